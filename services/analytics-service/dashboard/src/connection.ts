// A WebSocket to the service that reconnects on its own (with a capped backoff) and says so.
import type { WsMessage } from "../../src/analytics/snapshot.js";

export type ConnectionState = "connecting" | "live" | "reconnecting";

export interface ConnectionHandlers {
  readonly onMessage: (message: WsMessage) => void;
  readonly onState: (state: ConnectionState, detail: string) => void;
}

export function connect(url: string, handlers: ConnectionHandlers): void {
  let attempt = 0;
  const open = (): void => {
    const ws = new WebSocket(url);
    ws.addEventListener("open", () => {
      attempt = 0;
      handlers.onState("live", "live");
    });
    ws.addEventListener("message", (e: MessageEvent<string>) => {
      handlers.onMessage(JSON.parse(e.data) as WsMessage);
    });
    ws.addEventListener("close", () => {
      attempt += 1;
      const waitMs = Math.min(5_000, 250 * 2 ** Math.min(attempt, 5));
      handlers.onState("reconnecting", `reconnecting (try ${attempt})…`);
      setTimeout(open, waitMs);
    });
    // An error is always followed by close, which schedules the retry.
    ws.addEventListener("error", () => ws.close());
  };
  handlers.onState("connecting", "connecting…");
  open();
}
