// Prints a demo run the way a person reads it: the HTTP answers, the event chains, the e-mails
// and the analytics, then one line per check.
import pc from "picocolors";
import type { EventRecord } from "../events/event-log.js";
import type { HttpAnswer } from "./http.js";
import type { DemoResult } from "./flow.js";

const languages: Readonly<Record<string, string>> = {
  "user-service": "Java",
  "order-service": "Go",
  "notification-service": "Python",
  "analytics-service": "TypeScript",
};

function heading(text: string): void {
  console.log(pc.bold(`\n━━ ${text}`));
}

function answer(label: string, a: HttpAnswer): void {
  heading(label);
  const color = a.status < 300 ? pc.green : pc.red;
  console.log(`   ${color(String(a.status))} ${JSON.stringify(a.body)}`);
}

function history(label: string, a: HttpAnswer): void {
  const body = a.body as { status?: string; history?: { status?: string; at?: string }[] };
  console.log(pc.dim(label));
  const steps = (body.history ?? []).map((h) => `${h.status ?? "?"} ${pc.dim(`(${h.at ?? "?"})`)}`);
  console.log(`   ${a.status < 300 ? pc.green(String(a.status)) : pc.red(String(a.status))} ${body.status ?? "?"}: ${steps.join(" -> ")}`);
}

function chain(title: string, all: readonly EventRecord[]): void {
  heading(title);
  // analytics-service answers each event with AnalyticsUpdates: counted here, not listed.
  const updates = all.filter((r) => r.topic === "analytics-events").length;
  const records = all.filter((r) => r.topic !== "analytics-events");
  const byId = new Map(all.map((r) => [r.headers.ce_id, r]));
  for (const r of records) {
    const service = (r.headers.ce_source ?? "").replace(/^\//, "");
    const cause = byId.get(r.headers.ce_causationid ?? "");
    const causedBy = cause ? `caused by ${cause.type.split(".").pop()}` : r.headers.ce_causationid ? `caused by ${r.headers.ce_causationid}` : "root";
    console.log(
      `   ${(r.headers.ce_time ?? "").padEnd(30)} ${service.padEnd(21)} ${(languages[service] ?? "?").padEnd(10)} ${r.type.split(".").pop()?.padEnd(22)} ${pc.dim(causedBy)}`,
    );
  }
  if (records.length === 0) console.log(pc.yellow("   (no events read back for this correlation id)"));
  if (updates > 0) console.log(pc.dim(`   + ${updates} AnalyticsUpdate events from analytics-service (TypeScript) on analytics-events`));
}

export function printDemo(result: DemoResult, urls: { user: string; order: string }): void {
  if (result.reusedNote) console.log(pc.yellow(`note: ${result.reusedNote}.`));
  answer(`1. POST ${urls.user}/api/users/signup`, result.signup);
  answer(`3. POST ${urls.order}/api/orders`, result.order);
  history(`   the posted order after its saga: GET ${urls.order}/api/orders/{id}`, result.orderState);
  chain(`the sign-up's chain (correlation id ${result.correlationId})`, result.chain);
  chain(`the order's chain (correlation id ${result.orderCorrelationId})`, result.orderChain);
  heading(`e-mails to ${result.email} in the SMTP sink`);
  for (const m of result.emails) console.log(`   ${m.subject}`);
  heading("analytics (GET /metrics): before -> after");
  const money = (cents: number) => (cents / 100).toFixed(2);
  console.log(`   sign-ups       ${result.before.userSignups} -> ${result.after.userSignups}`);
  console.log(`   orders created ${result.before.ordersCreated} -> ${result.after.ordersCreated}`);
  console.log(`   e-mails sent   ${result.before.emailsSent} -> ${result.after.emailsSent}`);
  console.log(`   revenue        ${money(result.before.revenueCents)} -> ${money(result.after.revenueCents)}`);
  console.log(`   declined       ${result.before.paymentsDeclined} -> ${result.after.paymentsDeclined}`);
  heading("checks");
  for (const c of result.checks) {
    const mark = c.ok ? pc.green("✓") : pc.red("✗");
    console.log(`   ${mark} ${c.what}: expected ${c.expected}, got ${c.actual}`);
  }
}
