// The services' consumer-group lag while a load runs (cli/src/chaos/lag.ts reads it), polled
// every 2 s: the peak per group goes in the report, the series in the HTML plot.
import { groupLags } from "../chaos/lag.js";
import { serviceGroups } from "../chaos/recovery.js";

export interface LagPoint {
  readonly t: number;
  readonly lag: Readonly<Record<string, number>>;
}

export class LagSampler {
  private readonly peak = new Map<string, number>();
  private readonly series: LagPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private since = 0;
  private sampling: Promise<void> = Promise.resolve();
  private latestTotal: number | undefined;

  constructor(private readonly bootstrap: string, private readonly everyMs = 2_000) {}

  private async sample(): Promise<void> {
    try {
      const lags = await groupLags(this.bootstrap);
      const lag: Record<string, number> = {};
      // The services' groups only: a tool's group (EndToEndLatency's test-group-*) is not the stack's lag.
      for (const l of lags.filter((x) => (serviceGroups as readonly string[]).includes(x.group))) {
        lag[l.group] = Number(l.lag);
        this.peak.set(l.group, Math.max(this.peak.get(l.group) ?? 0, Number(l.lag)));
      }
      this.latestTotal = Object.values(lag).reduce((a, b) => a + b, 0);
      this.series.push({ t: Math.round((performance.now() - this.since) / 100) / 10, lag });
    } catch {
      // A broker too busy to answer within the admin timeout: this point is missing, the next one may not be.
    }
  }

  start(): void {
    this.since = performance.now();
    this.sampling = this.sample();
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample());
    }, this.everyMs);
  }

  /** The summed lag of every group at the last sample. */
  get latest(): number | undefined {
    return this.latestTotal;
  }

  async stop(): Promise<{ peak: Record<string, number>; series: LagPoint[] }> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample();
    return { peak: Object.fromEntries(this.peak), series: this.series };
  }
}
