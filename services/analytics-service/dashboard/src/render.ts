// Draws the metrics, the activity feed and one chain into the page (text only, never HTML from data).
import type { Chain, MetricsSnapshot, RecentEvent } from "../../src/analytics/snapshot.js";

const byId = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} is missing from index.html`);
  return el as T;
};

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (className !== undefined) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

const usd = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 9 });
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

export function renderMetrics(m: MetricsSnapshot): void {
  byId("userSignups").textContent = String(m.userSignups);
  byId("ordersCreated").textContent = String(m.ordersCreated);
  byId("emailsSent").textContent = String(m.emailsSent);
  // The exact decimal text from the service, not the float, so nothing is rounded here.
  byId("totalRevenue").textContent = m.revenueByCurrency["USD"] ?? usd.format(m.totalRevenue);
  byId("eventsTotal").textContent = String(m.eventsTotal);
  byId("dlqTotal").textContent = String(Object.values(m.dlqRecords).reduce((a, b) => a + b, 0));
  renderLatency(m);
}

function renderLatency(m: MetricsSnapshot): void {
  const rows = Object.entries(m.hopLatencyMs).sort(([, a], [, b]) => b.count - a.count);
  byId("latency").replaceChildren(
    ...(rows.length === 0
      ? [rowOf(["no hop seen yet"], "empty")]
      : rows.map(([hop, l]) => rowOf([hop, String(l.count), String(l.p50), String(l.p95), String(l.p99)]))),
  );
}

function rowOf(cells: readonly string[], className?: string): HTMLTableRowElement {
  const tr = el("tr", className);
  tr.append(...cells.map((c) => el("td", undefined, c)));
  return tr;
}

export function renderFeed(events: readonly RecentEvent[], onPickChain: (correlationId: string) => void): void {
  byId("feed").replaceChildren(...events.map((e) => feedItem(e, onPickChain)));
}

export function prependFeed(event: RecentEvent, limit: number, onPickChain: (correlationId: string) => void): void {
  const feed = byId("feed");
  const item = feedItem(event, onPickChain);
  item.classList.add("new");
  feed.prepend(item);
  while (feed.children.length > limit) feed.lastElementChild?.remove();
}

function feedItem(e: RecentEvent, onPickChain: (correlationId: string) => void): HTMLLIElement {
  const li = el("li", `lang-${e.language}`);
  const pick = el("button", "corr", e.correlationId.slice(0, 8));
  pick.type = "button";
  pick.title = `show chain ${e.correlationId}`;
  pick.addEventListener("click", () => onPickChain(e.correlationId));
  li.append(
    el("time", "when", clock.format(new Date(e.time))),
    el("span", "service", `${e.service} · ${e.language}`),
    el("span", "type", e.type),
    el("span", "summary", e.summary),
    pick,
  );
  return li;
}

export function renderChain(chain: Chain | undefined, correlationId: string): void {
  const panel = byId("chain-panel");
  panel.hidden = false;
  byId("chain-id").textContent = correlationId;
  const traceLink = byId<HTMLAnchorElement>("chain-trace");
  traceLink.hidden = chain?.traceUrl === undefined;
  if (chain?.traceUrl !== undefined) {
    traceLink.href = chain.traceUrl;
    traceLink.title = `trace ${chain.traceId ?? ""}`;
  }
  const list = byId("chain");
  if (chain === undefined) {
    list.replaceChildren(el("li", "empty", "no events for this correlation id"));
    return;
  }
  const depth = new Map<string, number>();
  list.replaceChildren(
    ...chain.events.map((e) => {
      const d = e.parentId === null ? 0 : (depth.get(e.parentId) ?? 0) + 1;
      depth.set(e.eventId, d);
      const li = el("li", `lang-${e.language}`);
      li.style.setProperty("--depth", String(d));
      li.append(
        el("span", "type", e.type),
        el("span", "service", `${e.service} · ${e.language}`),
        el("span", "hop", e.hopLatencyMs === null ? "root" : `+${e.hopLatencyMs} ms`),
        el("span", "summary", e.summary),
      );
      return li;
    }),
  );
}

export function renderConnection(state: string, detail: string): void {
  const badge = byId("connection");
  badge.dataset["state"] = state;
  badge.textContent = detail;
}
