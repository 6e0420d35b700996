// Is a port free, and if not, which process holds it.
import net from "node:net";
import { execa } from "execa";

/** True when nothing listens on `port` (we can bind 127.0.0.1:port ourselves). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface PortHolder {
  readonly pid: number;
  readonly command: string;
}

/** Parses one line of `ss -ltnpH`: `LISTEN 0 50 127.0.0.1:9092 0.0.0.0:* users:(("java",pid=42,fd=130))`. */
export function parseSsHolder(line: string): PortHolder | undefined {
  const match = /users:\(\("([^"]*)",pid=(\d+)/.exec(line);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { command: match[1], pid: Number(match[2]) };
}

/** The process listening on `port`, from `ss` (iproute2); undefined when it cannot tell. */
export async function portHolder(port: number): Promise<PortHolder | undefined> {
  const result = await execa("ss", ["-ltnpH", `sport = :${port}`], { reject: false });
  if (result.exitCode !== 0) return undefined;
  for (const line of result.stdout.split("\n")) {
    const holder = parseSsHolder(line);
    if (holder !== undefined) return holder;
  }
  return undefined;
}

/** "port 9092 is taken by java (pid 42)" */
export async function describeTakenPort(port: number): Promise<string> {
  const holder = await portHolder(port);
  return holder === undefined ? `port ${port} is taken by another process` : `port ${port} is taken by ${holder.command} (pid ${holder.pid})`;
}
