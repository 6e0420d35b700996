// The admin panel: component health, consumer lag, DLQ counts, the sign-up and order forms and
// the SMTP sink's e-mails, all through analytics-service's /api/admin.
import type { MetricsSnapshot } from "../../src/analytics/snapshot.js";
import { parseItems } from "./items.js";

interface ComponentHealth {
  name: string;
  language: string;
  healthy: boolean;
  detail: string;
}
interface LagRow {
  group: string;
  topic: string;
  lag: number;
}
interface OutboxMail {
  to: string[];
  subject: string;
  received_at: string;
  url: string;
}
interface Outbox {
  ui: string;
  total: number;
  messages: OutboxMail[];
}

const byId = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} is missing from index.html`);
  return el as T;
};

function li(text: string, className?: string): HTMLLIElement {
  const item = document.createElement("li");
  item.textContent = text;
  if (className !== undefined) item.className = className;
  return item;
}

async function getJson<T>(path: string): Promise<T | undefined> {
  try {
    const res = await fetch(path);
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

async function refreshHealth(): Promise<void> {
  const answer = await getJson<{ components: ComponentHealth[] }>("/api/admin/health");
  const list = byId("components");
  if (answer === undefined) {
    list.replaceChildren(li("analytics-service does not answer", "bad"));
    return;
  }
  list.replaceChildren(
    li("analytics-service · typescript: up", "ok"),
    ...answer.components.map((c) => li(`${c.name} · ${c.language}: ${c.healthy ? "up" : `down (${c.detail})`}`, c.healthy ? "ok" : "bad")),
  );
}

async function refreshLag(): Promise<void> {
  const answer = await getJson<{ lag: LagRow[] }>("/api/admin/lag");
  const body = byId("lag");
  const row = (cells: string[]): HTMLTableRowElement => {
    const tr = document.createElement("tr");
    for (const c of cells) {
      const td = document.createElement("td");
      td.textContent = c;
      tr.append(td);
    }
    return tr;
  };
  body.replaceChildren(...(answer === undefined ? [row(["unavailable", "", ""])] : answer.lag.map((r) => row([r.group, r.topic, String(r.lag)]))));
}

async function refreshOutbox(): Promise<void> {
  const answer = await getJson<Outbox>("/api/admin/outbox");
  const list = byId("outbox");
  if (answer === undefined) {
    list.replaceChildren(li("the SMTP sink (Mailpit) does not answer", "bad"));
    return;
  }
  const link = byId<HTMLAnchorElement>("mail-sink-link");
  link.href = answer.ui;
  link.textContent = `all ${answer.total} in Mailpit`;
  // The newest first, as Mailpit lists them; each opens in Mailpit's UI.
  list.replaceChildren(...(answer.messages.length === 0 ? [li("no e-mail yet", "empty")] : answer.messages.map(mailItem)));
}

function mailItem(m: OutboxMail): HTMLLIElement {
  const item = li("");
  const a = document.createElement("a");
  a.href = m.url;
  a.target = "_blank";
  a.rel = "noopener";
  a.textContent = `${m.to.join(", ")}: ${m.subject}`;
  item.append(a);
  return item;
}

export function renderDlq(m: MetricsSnapshot): void {
  const entries = Object.entries(m.dlqRecords);
  byId("dlq").replaceChildren(...(entries.length === 0 ? [li("none", "empty")] : entries.map(([topic, n]) => li(`${topic}.dlq: ${n}`))));
}

interface PostAnswer {
  readonly body: unknown;
  /** The chain the call started, as the service that started it names it. */
  readonly correlationId: string | null;
}

async function post(path: string, body: unknown, answer: HTMLElement): Promise<PostAnswer | undefined> {
  answer.textContent = "…";
  try {
    const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await res.text();
    answer.textContent = `${res.status} ${text}`;
    return res.ok ? { body: JSON.parse(text) as unknown, correlationId: res.headers.get("x-correlation-id") } : undefined;
  } catch (e: unknown) {
    answer.textContent = `failed: ${e instanceof Error ? e.message : String(e)}`;
    return undefined;
  }
}

export interface AdminHandlers {
  /** A form started a chain: the page shows it, and it grows live as its events arrive. */
  readonly onChainStarted: (correlationId: string) => void;
}

export function setupAdmin(handlers: AdminHandlers): { eventCounted(): void } {
  const signup = byId<HTMLFormElement>("signup-form");
  const order = byId<HTMLFormElement>("order-form");
  signup.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(signup);
    void post("/api/admin/signup", { email: data.get("email"), name: data.get("name") }, byId("signup-answer")).then((answer) => {
      const userId = (answer?.body as { user_id?: unknown } | undefined)?.user_id;
      if (typeof userId === "string") (order.elements.namedItem("user_id") as HTMLInputElement).value = userId;
      if (answer?.correlationId != null) handlers.onChainStarted(answer.correlationId);
    });
  });
  order.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(order);
    void post("/api/admin/orders", { user_id: data.get("user_id"), items: parseItems(String(data.get("items") ?? "")) }, byId("order-answer")).then((answer) => {
      if (answer?.correlationId != null) handlers.onChainStarted(answer.correlationId);
    });
  });
  const refresh = (): void => {
    void refreshHealth();
    void refreshLag();
    void refreshOutbox();
  };
  refresh();
  setInterval(refresh, 5_000);
  // Each event counted may be an e-mail just sent or a group that moved: read them again soon
  // after, at most once a second, rather than waiting for the next 5 s round.
  let pending: ReturnType<typeof setTimeout> | undefined;
  return {
    eventCounted() {
      pending ??= setTimeout(() => {
        pending = undefined;
        void refreshLag();
        void refreshOutbox();
      }, 1_000);
    },
  };
}
