// The live dashboard: counters and activity feed over /ws, one chain at a time over /api/chains.
import type { Chain, RecentEvent } from "../../src/analytics/snapshot.js";
import { renderDlq, setupAdmin } from "./admin.js";
import { createCharts } from "./charts.js";
import { connect } from "./connection.js";
import { setupOps } from "./ops.js";
import { prependFeed, renderChain, renderConnection, renderFeed, renderMetrics } from "./render.js";
import "./style.css";

const feedLimit = 50;
const charts = createCharts();
let shownChain: string | undefined;

let chainRequests = 0;

async function showChain(correlationId: string): Promise<void> {
  shownChain = correlationId;
  // Events of one chain arrive in bursts: only the newest request's answer is drawn, so a slower
  // earlier answer never replaces a fuller later one.
  const request = ++chainRequests;
  const res = await fetch(`/api/chains/${encodeURIComponent(correlationId)}`);
  const chain = res.ok ? ((await res.json()) as Chain) : undefined;
  if (request === chainRequests) renderChain(chain, correlationId);
}

const pick = (correlationId: string): void => void showChain(correlationId);
const admin = setupAdmin({ onChainStarted: pick });
setupOps();

const follow = document.getElementById("follow") as HTMLInputElement | null;

function onEvent(event: RecentEvent): void {
  prependFeed(event, feedLimit, pick);
  admin.eventCounted();
  if (follow?.checked === true || event.correlationId === shownChain) void showChain(event.correlationId);
}

// /dashboard/?chain=<correlation id> opens on that chain (a link the demo can print).
const linked = new URLSearchParams(location.search).get("chain");
if (linked !== null && linked !== "") void showChain(linked);

const scheme = location.protocol === "https:" ? "wss" : "ws";
connect(`${scheme}://${location.host}/ws`, {
  onState: renderConnection,
  onMessage(message) {
    switch (message.type) {
      case "snapshot":
        renderMetrics(message.metrics);
        charts.update(message.metrics);
        renderDlq(message.metrics);
        renderFeed(message.metrics.recentEvents, pick);
        if (shownChain !== undefined) void showChain(shownChain);
        break;
      case "metrics":
        renderMetrics(message.metrics);
        charts.update(message.metrics);
        renderDlq(message.metrics);
        break;
      case "event":
        onEvent(message.event);
        break;
    }
  },
});
