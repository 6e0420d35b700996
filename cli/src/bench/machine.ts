// What a benchmark ran on and from: the machine (cores, memory, CPU model, load) and the commit,
// so that a figure in docs/benchmarks.md can be compared with the next one.
import { cpus, loadavg, release, totalmem } from "node:os";
import { execa } from "execa";

export interface Machine {
  readonly cores: number;
  readonly memory_gib: number;
  readonly cpu_model: string;
  readonly os: string;
  readonly node: string;
  /** 1-minute load average when the bench started: other work on the machine moves every figure. */
  readonly load_average: number;
}

export interface Commit {
  readonly sha: string;
  /** True when the work tree had uncommitted changes. */
  readonly dirty: boolean;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cores: list.length,
    memory_gib: Math.round(totalmem() / 1024 ** 3),
    cpu_model: list[0]?.model.trim() ?? "unknown",
    os: `Linux ${release()}`,
    node: process.version,
    load_average: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
}

export async function commitOf(root: string): Promise<Commit> {
  const sha = await execa("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root, reject: false });
  const status = await execa("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, reject: false });
  return { sha: sha.exitCode === 0 ? sha.stdout.trim() : "unknown", dirty: status.exitCode === 0 && status.stdout.trim() !== "" };
}
