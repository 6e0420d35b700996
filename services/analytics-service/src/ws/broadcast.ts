// The WebSocket at /ws on the HTTP server's port: a snapshot on connect, then every event.
import type { Server } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { WebSocket, WebSocketServer } from "ws";
import type { Logger } from "pino";
import type { MetricsSnapshot, RecentEvent, WsMessage } from "../analytics/snapshot.js";

export interface Broadcast {
  /** Sends the event at once, and the metrics soon after (coalesced, at most every `metricsIntervalMs`). */
  event(event: RecentEvent): void;
  clients(): number;
  /** Closes every client (1001 going away) and stops accepting new ones. */
  close(): Promise<void>;
}

export interface BroadcastDeps {
  readonly server: Server;
  readonly logger: Logger;
  readonly metrics: () => MetricsSnapshot;
  readonly metricsIntervalMs?: number;
  /** A client whose unsent data passes this is dropped: it cannot make the service grow. */
  readonly maxBufferedBytes?: number;
}

export function createBroadcast(deps: BroadcastDeps): Broadcast {
  const maxBuffered = deps.maxBufferedBytes ?? 4 * 1024 * 1024;
  const interval = deps.metricsIntervalMs ?? 250;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  let metricsTimer: NodeJS.Timeout | undefined;

  deps.server.on("upgrade", (req, socket, head) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname !== "/ws") {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });

  // Liveness: a client that did not answer the last ping is gone (laptop asleep, network lost).
  const alive = new WeakSet<WebSocket>();
  wss.on("connection", (ws) => {
    deps.logger.debug({ clients: wss.clients.size }, "ws client connected");
    alive.add(ws);
    ws.on("pong", () => alive.add(ws));
    ws.on("error", () => ws.terminate());
    send(ws, { type: "snapshot", metrics: deps.metrics() });
  });
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, 30_000);
  pinger.unref();

  function send(ws: WebSocket, message: WsMessage, text = JSON.stringify(message)): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > maxBuffered) {
      deps.logger.warn({ bufferedBytes: ws.bufferedAmount }, "dropping a slow ws client");
      ws.terminate();
      return;
    }
    ws.send(text);
  }

  function broadcast(message: WsMessage): void {
    if (wss.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const ws of wss.clients) send(ws, message, text);
  }

  return {
    event(event) {
      broadcast({ type: "event", event });
      metricsTimer ??= setTimeout(() => {
        metricsTimer = undefined;
        broadcast({ type: "metrics", metrics: deps.metrics() });
      }, interval);
    },
    clients: () => wss.clients.size,
    async close() {
      clearInterval(pinger);
      if (metricsTimer !== undefined) clearTimeout(metricsTimer);
      const closed = [...wss.clients].map((ws) => new Promise<void>((resolve) => ws.once("close", () => resolve())));
      for (const ws of wss.clients) ws.close(1001, "server shutting down");
      // A client that does not answer the closing handshake must not hold up shutdown.
      await Promise.race([Promise.all(closed), delay(2_000)]);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
