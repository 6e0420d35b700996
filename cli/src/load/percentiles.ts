// Latency percentiles with HdrHistogram (hdr-histogram-js): fixed memory whatever the count,
// 3 significant digits, recorded in microseconds so that sub-millisecond HTTP answers keep
// their resolution.
import * as hdr from "hdr-histogram-js";

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

export class LatencyHistogram {
  private readonly histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

  /** Records one latency in ms; a negative one (clocks of two writers a hair apart) counts as 0. */
  record(ms: number): void {
    this.histogram.recordValue(Math.max(0, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The percentile in ms (0 when nothing was recorded). */
  at(percentile: number): number {
    return this.count === 0 ? 0 : round(this.histogram.getValueAtPercentile(percentile) / 1000);
  }

  summary(): Percentiles {
    return { count: this.count, p50: this.at(50), p90: this.at(90), p99: this.at(99), p999: this.at(99.9), max: this.count === 0 ? 0 : round(this.histogram.maxValue / 1000) };
  }
}
