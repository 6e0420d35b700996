// One HTTP/1.1 exchange over a plain socket, so that a test can send what no HTTP client would:
// a request target that is not a URL, a header without a value, a body that is not what it says.
import net from "node:net";

export interface RawAnswer {
  /** 0 when the server closed the connection without an answer. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export async function rawRequest(base: string, head: string, body: Buffer = Buffer.alloc(0), timeoutMs = 15_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise<RawAnswer>((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs / 1000} s to ${JSON.stringify(head.split("\r\n")[0])}`)), timeoutMs);
    // Written, not ended: a server may drop a half-closed connection before it answers. It closes after its answer (Connection: close).
    socket.on("connect", () => socket.write(Buffer.concat([Buffer.from(head, "latin1"), body])));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8");
      const [head0 = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head0.split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      resolve({ status, headers, body: rest.join("\r\n\r\n") });
    });
  });
}

/** A request with `Connection: close`, a Host header and, when there is a body, its length. */
export function requestHead(method: string, target: string, host: string, headers: Readonly<Record<string, string>> = {}, bodyLength = 0): string {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${host}`, "Connection: close", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (bodyLength > 0 || method === "POST" || method === "PATCH" || method === "PUT") lines.push(`Content-Length: ${bodyLength}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}
