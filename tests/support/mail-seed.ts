// Fills the SMTP sink with many small mails fast, straight over SMTP (not through the chain), so a
// test can run a reader against a sink that holds tens of thousands of them. Each connection
// pipelines MAIL FROM, RCPT TO and DATA in one write (RFC 2920) and waits only for DATA's 354 and
// the final 250: two round trips per mail, several connections side by side.
import { once } from "node:events";
import { connect, type Socket } from "node:net";

/** One SMTP connection that reads replies in order: each `reply()` resolves with the next final reply line. */
class SmtpConnection {
  private buffer = "";
  private readonly replies: string[] = [];
  private readonly waiting: Array<(line: string) => void> = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      for (let end = this.buffer.indexOf("\r\n"); end >= 0; end = this.buffer.indexOf("\r\n")) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        // "250-..." continues a multi-line reply; "250 ..." ends it.
        if (line.length >= 4 && line[3] === "-") continue;
        const next = this.waiting.shift();
        if (next === undefined) this.replies.push(line);
        else next(line);
      }
    });
  }

  static async open(port: number): Promise<SmtpConnection> {
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    const c = new SmtpConnection(socket);
    await c.expect("220");
    c.socket.write("EHLO seed.polyglot\r\n");
    await c.expect("250");
    return c;
  }

  private reply(): Promise<string> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      this.socket.once("close", () => reject(new Error("the SMTP sink closed the connection")));
    });
  }

  async expect(code: string): Promise<void> {
    const line = await this.reply();
    if (!line.startsWith(code)) throw new Error(`the SMTP sink answered "${line}", expected ${code}`);
  }

  async send(from: string, to: string, message: string): Promise<void> {
    this.socket.write(`MAIL FROM:<${from}>\r\nRCPT TO:<${to}>\r\nDATA\r\n`);
    await this.expect("250");
    await this.expect("250");
    await this.expect("354");
    this.socket.write(`${message}\r\n.\r\n`);
    await this.expect("250");
  }

  async close(): Promise<void> {
    this.socket.write("QUIT\r\n");
    await this.expect("221").catch(() => undefined);
    this.socket.destroy();
  }
}

/** Sends `count` mails, `to(i)` the recipient of mail i, over `connections` connections side by side. */
export async function seedMails(port: number, count: number, to: (i: number) => string, connections = 4): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    const c = await SmtpConnection.open(port);
    try {
      for (let i = next++; i < count; i = next++) {
        const rcpt = to(i);
        const message = [`From: seed@polyglot.example`, `To: ${rcpt}`, `Subject: Seeded mail ${i}`, `Message-ID: <seed-${i}-${Date.now()}@seed.polyglot>`, "", `History mail ${i}.`].join("\r\n");
        await c.send("seed@polyglot.example", rcpt, message);
      }
    } finally {
      await c.close();
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}
