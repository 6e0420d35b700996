// CPU and memory of every component of the stack while a load runs: their process groups read
// from /proc once a second (./proc-stats.ts), and this process's own CPU (the generator must
// not be the bottleneck, so it reports itself).
import { GroupSampler } from "./proc-stats.js";

export interface ComponentProcess {
  readonly name: string;
  /** The process group id (the pid `up` started it with). */
  readonly pgid: number;
}

export interface ResourcePoint {
  /** Seconds since the sampler started. */
  readonly t: number;
  /** Per component (and `load generator`): CPU in % of one core over the last interval. */
  readonly cpuPct: Readonly<Record<string, number>>;
  readonly rssMb: Readonly<Record<string, number>>;
}

export interface ResourceTotals {
  /** CPU ms spent per component between start() and stop(). */
  readonly cpuMs: Readonly<Record<string, number>>;
  readonly peakRssMb: Readonly<Record<string, number>>;
  readonly series: readonly ResourcePoint[];
}

export const generatorName = "load generator";

const selfCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

export class ResourceSampler {
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, number>();
  private readonly peak = new Map<string, number>();
  private readonly series: ResourcePoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private since = 0;
  private lastAt = 0;
  private sampling: Promise<void> = Promise.resolve();

  private readonly groups: GroupSampler;

  constructor(private readonly components: readonly ComponentProcess[], private readonly everyMs = 1_000) {
    this.groups = new GroupSampler(new Set(components.map((c) => c.pgid)));
  }

  private async sample(): Promise<void> {
    const now = performance.now();
    const groups = await this.groups.sample();
    const cpu = new Map<string, number>(this.components.map((c) => [c.name, groups.get(c.pgid)?.cpuMs ?? this.last.get(c.name) ?? 0]));
    cpu.set(generatorName, selfCpuMs());
    const rss = new Map<string, number>(this.components.map((c) => [c.name, groups.get(c.pgid)?.rssBytes ?? 0]));
    rss.set(generatorName, process.memoryUsage.rss());
    const cpuPct: Record<string, number> = {};
    const rssMb: Record<string, number> = {};
    for (const [name, ms] of cpu) {
      if (!this.first.has(name)) this.first.set(name, ms);
      const before = this.last.get(name);
      if (before !== undefined && now > this.lastAt) cpuPct[name] = Math.round(((ms - before) / (now - this.lastAt)) * 1000) / 10;
      this.last.set(name, ms);
    }
    for (const [name, bytes] of rss) {
      rssMb[name] = mb(bytes);
      this.peak.set(name, Math.max(this.peak.get(name) ?? 0, bytes));
    }
    if (this.lastAt > 0) this.series.push({ t: Math.round((now - this.since) / 100) / 10, cpuPct, rssMb });
    this.lastAt = now;
  }

  async start(): Promise<void> {
    this.since = performance.now();
    await this.sample();
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample()).catch(() => undefined);
    }, this.everyMs);
  }

  /** The latest CPU % per component (for the progress line). */
  latest(): ResourcePoint | undefined {
    return this.series.at(-1);
  }

  async stop(): Promise<ResourceTotals> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample();
    const cpuMs: Record<string, number> = {};
    for (const [name, end] of this.last) cpuMs[name] = Math.round(end - (this.first.get(name) ?? end));
    return { cpuMs, peakRssMb: Object.fromEntries([...this.peak].map(([n, b]) => [n, mb(b)])), series: this.series };
  }
}
