// What the broker did for the chains of a load run: records written per topic and requests per
// API (Produce, Fetch, OffsetCommit, ...), read from each broker's JMX exporter
// (infra/prometheus/jmx-exporter/kafka.yaml) before and after the run. Divided by the chains
// that completed, they show the lever the issue names: fewer, larger requests. Fetches include
// the consumers' idle long polls, so at a low rate they are mostly the rate of polling.

/** Running totals summed over every broker. */
export interface BrokerCounters {
  /** Records appended per topic (kafka_server_brokertopicmetrics_messagesin_total). */
  readonly records: Readonly<Record<string, number>>;
  /** Requests per API, all versions (kafka_network_requestmetrics_requests_total). */
  readonly requests: Readonly<Record<string, number>>;
}

export interface BrokerTrafficPerChain {
  readonly records: Readonly<Record<string, number>>;
  readonly records_total: number;
  readonly requests: Readonly<Record<string, number>>;
  readonly requests_total: number;
}

/** Kafka's sub-meters of Fetch (a consumer's or a follower's): already counted in Fetch. */
const subMeters = new Set(["FetchConsumer", "FetchFollower"]);

/** One sample line of the Prometheus text format: `name{label="v",...} value`. */
const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}\s+(\S+)/;

function label(labels: string, name: string): string | undefined {
  return new RegExp(`(?:^|,)${name}="([^"]*)"`).exec(labels)?.[1];
}

/** The counters in one scrape of a broker's metrics. */
export function parseBrokerCounters(text: string): BrokerCounters {
  const records: Record<string, number> = {};
  const requests: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = sampleLine.exec(line);
    if (m === null) continue;
    const [, name, labels = "", raw] = m;
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    if (name === "kafka_server_brokertopicmetrics_messagesin_total") {
      const topic = label(labels, "topic");
      if (topic !== undefined) records[topic] = (records[topic] ?? 0) + value;
    } else if (name === "kafka_network_requestmetrics_requests_total") {
      const request = label(labels, "request");
      if (request !== undefined && !subMeters.has(request)) requests[request] = (requests[request] ?? 0) + value;
    }
  }
  return { records, requests };
}

function sum(a: BrokerCounters, b: BrokerCounters): BrokerCounters {
  const add = (x: Readonly<Record<string, number>>, y: Readonly<Record<string, number>>): Record<string, number> => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return { records: add(a.records, b.records), requests: add(a.requests, b.requests) };
}

/** Every broker's counters summed; undefined when a broker's metrics cannot be read. */
export async function readBrokerCounters(metricsUrls: readonly string[]): Promise<BrokerCounters | undefined> {
  try {
    const texts = await Promise.all(
      metricsUrls.map(async (url) => {
        const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.text();
      }),
    );
    return texts.map(parseBrokerCounters).reduce(sum, { records: {}, requests: {} });
  } catch {
    return undefined;
  }
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** (after - before) / chains, keeping what moved. */
export function perChain(before: BrokerCounters, after: BrokerCounters, chains: number): BrokerTrafficPerChain {
  const delta = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> =>
    Object.fromEntries(
      Object.entries(b)
        .map(([k, v]) => [k, round1((v - (a[k] ?? 0)) / Math.max(chains, 1))] as const)
        .filter(([, v]) => v > 0)
        .sort((x, y) => y[1] - x[1]),
    );
  const records = delta(before.records, after.records);
  const requests = delta(before.requests, after.requests);
  const total = (r: Record<string, number>): number => round1(Object.values(r).reduce((a, b) => a + b, 0));
  return { records, records_total: total(records), requests, requests_total: total(requests) };
}
