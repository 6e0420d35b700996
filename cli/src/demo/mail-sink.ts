// Reads the SMTP sink (Mailpit) through its JSON API, asking only for what a reader needs:
// - newestMails: the newest mails, page by page (GET /api/v1/messages?start=&limit=, newest
//   first), stopping at the first one received before a given time, so a reader pays for the
//   mails of its own run, not for the sink's history;
// - mailsTo: those of one address among them;
// - mailHeaders: one mail's headers (GET /api/v1/message/{ID}/headers), for X-Correlation-ID.
// Not Mailpit's search (GET /api/v1/search?query=to:...): it matches with a LIKE over every
// stored message and counts all matches, so it slows as the sink grows (0.4-0.7 s at 22,000).
// Mailpit's summaries carry the header To/From/Subject, its own ID, the Message-ID and Created.
import { http } from "./http.js";

export interface SinkAddress {
  readonly Name: string;
  readonly Address: string;
}

/** One entry of Mailpit's message listing or search (MessageSummary). */
export interface SinkSummary {
  /** Mailpit's database id. */
  readonly ID: string;
  /** The Message-ID header without <>. */
  readonly MessageID: string;
  readonly To: readonly SinkAddress[];
  readonly Subject: string;
  /** When Mailpit received it (RFC 3339). */
  readonly Created: string;
}

interface SinkPage {
  readonly total: number;
  readonly messages_count: number;
  readonly start: number;
  readonly messages: readonly SinkSummary[];
}

export interface SinkMail {
  readonly to: string[];
  readonly subject: string;
}

const pageSize = 200;

async function page(url: string): Promise<SinkPage> {
  const answer = await http.get(url);
  if (answer.status !== 200) throw new Error(`GET ${url} answered ${answer.status}`);
  return answer.body as SinkPage;
}

export function summaryToMail(m: SinkSummary): SinkMail {
  return { to: m.To.map((a) => a.Address), subject: m.Subject };
}

/** The mails to `address` received at or after `sinceMs` (ms since the epoch), newest first. */
export async function mailsTo(sinkUrl: string, address: string, sinceMs: number): Promise<SinkMail[]> {
  const wanted = address.toLowerCase();
  return (await newestMails(sinkUrl, sinceMs)).map(summaryToMail).filter((m) => m.to.some((a) => a.toLowerCase() === wanted));
}

/** The mails received at or after `sinceMs` (ms since the epoch), newest first. */
export async function newestMails(sinkUrl: string, sinceMs: number): Promise<SinkSummary[]> {
  const found: SinkSummary[] = [];
  for (let start = 0; ; start += pageSize) {
    const { messages } = await page(`${sinkUrl}/api/v1/messages?start=${start}&limit=${pageSize}`);
    for (const m of messages) {
      // Mailpit's Created has millisecond precision; the caller's clock is the same machine's.
      if (Date.parse(m.Created) < sinceMs) return found;
      found.push(m);
    }
    if (messages.length < pageSize) return found;
  }
}

/** The headers of one mail, names as Mailpit gives them (canonical case), each with its values. */
export async function mailHeaders(sinkUrl: string, id: string): Promise<Record<string, string[]>> {
  const url = `${sinkUrl}/api/v1/message/${encodeURIComponent(id)}/headers`;
  const answer = await http.get(url);
  if (answer.status !== 200) throw new Error(`GET ${url} answered ${answer.status}`);
  return answer.body as Record<string, string[]>;
}
