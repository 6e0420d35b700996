// Is a port free, and if not, which process holds it.
import { readdir, readFile, readlink } from "node:fs/promises";
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

/** Socket inodes listening on `port`, from the text of /proc/net/tcp or tcp6 (state 0A is LISTEN). */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  return procNetTcp
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === "0A")
    .map((f) => f[9] ?? "");
}

/** The same answer without iproute2: the process whose open files include the listening socket. */
async function holderFromProc(port: number): Promise<PortHolder | undefined> {
  const tables = await Promise.all(["/proc/net/tcp", "/proc/net/tcp6"].map((f) => readFile(f, "utf8").catch(() => "")));
  const sockets = new Set(tables.flatMap((t) => listeningInodes(t, port)).map((inode) => `socket:[${inode}]`));
  if (sockets.size === 0) return undefined;
  for (const pid of (await readdir("/proc")).filter((d) => /^\d+$/.test(d))) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      if (sockets.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ""))) {
        const command = (await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "?")).trim();
        return { pid: Number(pid), command };
      }
    }
  }
  return undefined;
}

/** The process listening on `port`, from `ss` (iproute2) or else /proc; undefined when it cannot tell. */
export async function portHolder(port: number): Promise<PortHolder | undefined> {
  const result = await execa("ss", ["-ltnpH", `sport = :${port}`], { reject: false });
  if (result.exitCode === 0) {
    for (const line of result.stdout.split("\n")) {
      const holder = parseSsHolder(line);
      if (holder !== undefined) return holder;
    }
  }
  return holderFromProc(port);
}

/** "port 9092 is taken by java (pid 42)" */
export async function describeTakenPort(port: number): Promise<string> {
  const holder = await portHolder(port);
  return holder === undefined ? `port ${port} is taken by another process` : `port ${port} is taken by ${holder.command} (pid ${holder.pid})`;
}
