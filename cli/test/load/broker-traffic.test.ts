// Records and requests per chain from two scrapes of the brokers' JMX exporter.
import { describe, expect, test } from "vitest";
import { parseBrokerCounters, perChain } from "../../src/load/broker-traffic.js";

const scrape = (produce: number, fetch: number, users: number): string =>
  [
    "# HELP kafka_network_requestmetrics_requests_total Attribute exposed for management",
    "# TYPE kafka_network_requestmetrics_requests_total counter",
    `kafka_network_requestmetrics_requests_total{request="Produce",version="11",} ${produce}.0`,
    `kafka_network_requestmetrics_requests_total{request="Produce",version="9",} 1.0`,
    `kafka_network_requestmetrics_requests_total{request="Fetch",version="17",} ${fetch}.0`,
    `kafka_network_requestmetrics_requests_total{request="FetchConsumer",version="17",} ${fetch}.0`,
    `kafka_server_brokertopicmetrics_messagesin_total{topic="user-events",} ${users}.0`,
    "kafka_server_brokertopicmetrics_messagesin_total 999.0",
    'jvm_memory_bytes_used{area="heap",} 1.2E8',
  ].join("\n");

describe("broker traffic", () => {
  test("a scrape's counters are summed over versions, the topic-less total and Fetch's sub-meters left out", () => {
    expect(parseBrokerCounters(scrape(10, 4, 7))).toEqual({ records: { "user-events": 7 }, requests: { Produce: 11, Fetch: 4 } });
  });

  test("per chain is the difference over the complete chains, what did not move left out", () => {
    const before = parseBrokerCounters(scrape(10, 4, 7));
    const after = parseBrokerCounters(scrape(40, 4, 27));
    expect(perChain(before, after, 20)).toEqual({ records: { "user-events": 1 }, records_total: 1, requests: { Produce: 1.5 }, requests_total: 1.5 });
  });
});
