// The e-mails of history chains, delivered to the SMTP sink (Mailpit) the way notification-service
// delivers them: over SMTP, one message per mail with its headers (Message-ID, X-Correlation-ID,
// X-Trigger-Event-ID) and a text and an HTML part. Several connections, each sending message
// after message in one session, keep Mailpit's ingestion busy without an SMTP library.
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import type { HistoryChain, HistoryMail } from "./history.js";

const from = "no-reply@polyglot.example";

function bodies(c: HistoryChain, m: HistoryMail): { text: string; html: string } {
  switch (m.kind) {
    case "welcome":
      return {
        text: `Hello ${c.name},\r\n\r\nwelcome to Kafka Polyglot! Your account ${c.email} is ready.\r\nYou signed up through: web.\r\n\r\nSee you soon,\r\nthe Kafka Polyglot team\r\n`,
        html: `<h1>Hello ${c.name},</h1>\r\n<p>welcome to Kafka Polyglot! Your account <strong>${c.email}</strong> is ready.</p>\r\n<p>You signed up through: web.</p>\r\n`,
      };
    case "order_confirmation":
      return {
        text: `Hello ${c.name},\r\n\r\nthank you for your order ${c.orderId} (status: confirmed).\r\n\r\n  1 x Welcome package at USD 0.00 = USD 0.00\r\n\r\nTotal: USD 0.00\r\n\r\nThe Kafka Polyglot team\r\n`,
        html: `<h1>Hello ${c.name},</h1>\r\n<p>thank you for your order <strong>${c.orderId}</strong> (status: confirmed).</p>\r\n<p>Total: USD 0.00</p>\r\n`,
      };
    case "shipping_notification":
      return {
        text: `Hello ${c.name},\r\n\r\nyour order ${c.orderId} has left our warehouse.\r\nCarrier: polyglot-post\r\nTracking number: ${c.trackingNumber}\r\n\r\nThe Kafka Polyglot team\r\n`,
        html: `<h1>Hello ${c.name},</h1>\r\n<p>your order <strong>${c.orderId}</strong> has left our warehouse.</p>\r\n<p>Carrier: polyglot-post<br>Tracking number: <strong>${c.trackingNumber}</strong></p>\r\n`,
      };
  }
}

/** The message as notification-service's mail module builds it (RFC 5322, CRLF line ends). */
export function mailMessage(c: HistoryChain, m: HistoryMail): string {
  const boundary = `===============${randomBytes(8).toString("hex")}==`;
  const { text, html } = bodies(c, m);
  const part = (type: string, body: string): string => `--${boundary}\r\nContent-Type: ${type}; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${body}\r\n`;
  return (
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"\r\nMIME-Version: 1.0\r\n` +
    `From: Kafka Polyglot <${from}>\r\nTo: ${c.name} <${c.email}>\r\nSubject: ${m.subject}\r\n` +
    `Date: ${m.at.toUTCString()}\r\nMessage-ID: <${randomBytes(16).toString("hex")}@notification-service.polyglot>\r\n` +
    `X-Correlation-ID: ${c.correlationId}\r\nX-Trigger-Event-ID: ${m.triggerEventId}\r\n\r\n` +
    part("text/plain", text) +
    part("text/html", `<!DOCTYPE html>\r\n<html lang="en">\r\n<body style="font-family: sans-serif; line-height: 1.5;">\r\n${html}<p>The Kafka Polyglot team</p>\r\n</body>\r\n</html>\r\n`) +
    `--${boundary}--\r\n`
  );
}

/** One SMTP session: each `send` waits for the server's answer to every command it sends. */
class SmtpSession {
  private buffer = "";
  private waiting: ((line: string) => void) | undefined;
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      this.deliver();
    });
    socket.on("error", (e) => {
      this.failure = e;
      this.deliver();
    });
  }

  static async open(port: number): Promise<SmtpSession> {
    const socket = connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const session = new SmtpSession(socket);
    await session.expect("220");
    await session.command("EHLO polyglot-seed", "250");
    return session;
  }

  /** The next complete reply (the last line of a multi-line one). */
  private deliver(): void {
    if (this.waiting === undefined) return;
    if (this.failure !== undefined) {
      this.waiting(`ERR ${this.failure.message}`);
      this.waiting = undefined;
      return;
    }
    const lines = this.buffer.split("\r\n");
    const last = lines.findIndex((l) => /^\d{3} /.test(l));
    if (last < 0) return;
    this.buffer = lines.slice(last + 1).join("\r\n");
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve(lines[last] ?? "");
  }

  private async expect(code: string): Promise<void> {
    const line = await new Promise<string>((resolve) => {
      this.waiting = resolve;
      this.deliver();
    });
    if (!line.startsWith(code)) throw new Error(`the SMTP sink answered "${line}" where ${code} was expected`);
  }

  private async command(line: string, code: string): Promise<void> {
    this.socket.write(`${line}\r\n`);
    await this.expect(code);
  }

  async send(recipient: string, message: string): Promise<void> {
    await this.command(`MAIL FROM:<${from}>`, "250");
    await this.command(`RCPT TO:<${recipient}>`, "250");
    await this.command("DATA", "354");
    // Dot-stuffing: a line that starts with "." gets another one.
    await this.command(`${message.replaceAll("\r\n.", "\r\n..")}.`, "250");
  }

  async close(): Promise<void> {
    await this.command("QUIT", "221").catch(() => undefined);
    this.socket.destroy();
  }
}

/** Delivers the mails of `chains` over `connections` parallel SMTP sessions. */
export async function deliverMails(port: number, chains: readonly HistoryChain[], connections = 4): Promise<void> {
  const mails = chains.flatMap((c) => c.mails.map((m) => ({ c, m })));
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const session = await SmtpSession.open(port);
      try {
        for (let i = next++; i < mails.length; i = next++) {
          const { c, m } = mails[i] as (typeof mails)[number];
          await session.send(c.email, mailMessage(c, m));
        }
      } finally {
        await session.close();
      }
    }),
  );
}
