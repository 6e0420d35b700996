// CPU time and resident memory of whole process groups, from /proc. Every component of the
// stack runs in its own process group (its pid is the group id: cli/src/stack/process.ts), so a
// group's sum is the component's cost whatever it forks (mvn's JVM, uvicorn's workers, npm's node).
import { readdir, readFile } from "node:fs/promises";

/** Clock ticks per second of /proc's CPU fields: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)). */
export const ticksPerSecond = 100;
const pageBytes = 4096;

export interface ProcSample {
  /** utime + stime + cutime + cstime in ms (children that ended count towards their parent). */
  readonly cpuMs: number;
  readonly rssBytes: number;
}

/** The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
export function parseStat(text: string): { pgrp: number; cpuTicks: number; rssPages: number } | undefined {
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  // After ") ": state(3) ppid(4) pgrp(5) ... utime(14) stime(15) cutime(16) cstime(17) ... rss(24)
  const f = text.slice(close + 2).trim().split(/\s+/);
  const field = (n: number): number => Number(f[n - 3]);
  return { pgrp: field(5), cpuTicks: field(14) + field(15) + field(16) + field(17), rssPages: field(24) };
}

/**
 * CPU and RSS summed per process group, for the groups asked for. Reading every process's stat
 * file each second cost the generator more than the groups it measures (a busy machine has
 * hundreds of processes), so the whole of /proc is scanned only every `rescanEvery` samples,
 * to find members that appeared; in between only the known members are read.
 */
export class GroupSampler {
  private members: readonly string[] = [];
  private samples = 0;

  constructor(
    private readonly pgids: ReadonlySet<number>,
    private readonly rescanEvery = 5,
  ) {}

  async sample(): Promise<Map<number, ProcSample>> {
    const candidates = this.samples++ % this.rescanEvery === 0 ? (await readdir("/proc").catch(() => [] as string[])).filter((e) => /^\d+$/.test(e)) : this.members;
    const out = new Map<number, { ticks: number; pages: number }>();
    const members: string[] = [];
    await Promise.all(
      candidates.map(async (pid) => {
        const stat = parseStat(await readFile(`/proc/${pid}/stat`, "utf8").catch(() => ""));
        if (stat === undefined || !this.pgids.has(stat.pgrp)) return;
        members.push(pid);
        const sum = out.get(stat.pgrp) ?? { ticks: 0, pages: 0 };
        sum.ticks += stat.cpuTicks;
        sum.pages += stat.rssPages;
        out.set(stat.pgrp, sum);
      }),
    );
    this.members = members;
    return new Map([...out].map(([g, s]) => [g, { cpuMs: (s.ticks * 1000) / ticksPerSecond, rssBytes: s.pages * pageBytes }]));
  }
}
