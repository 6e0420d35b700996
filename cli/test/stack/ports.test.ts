import net from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { describeTakenPort, listeningInodes, parseSsHolder, portFree } from "../../src/stack/ports.js";

describe("parseSsHolder", () => {
  test("reads the command and pid of the listener", () => {
    expect(parseSsHolder('LISTEN 0 50 127.0.0.1:9092 0.0.0.0:* users:(("java",pid=4242,fd=130))')).toEqual({ command: "java", pid: 4242 });
  });

  test("undefined when ss could not see the process", () => {
    expect(parseSsHolder("LISTEN 0 50 127.0.0.1:9092 0.0.0.0:*")).toBeUndefined();
  });
});

test("listeningInodes reads /proc/net/tcp: only LISTEN sockets on that port", () => {
  const table = [
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    "   0: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4711 1 0000000000000000 100 0 0 10 0",
    "   1: 0100007F:2384 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 4712 1 0000000000000000 20 4 30 10 -1",
    "   2: 0100007F:2385 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4713 1 0000000000000000 100 0 0 10 0",
  ].join("\n");
  expect(listeningInodes(table, 9092)).toEqual(["4711"]);
});

describe("a port held by this test", () => {
  let server: net.Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  test("is not free, and the message names this process", async () => {
    server = net.createServer();
    await new Promise<void>((resolve) => server?.listen({ host: "127.0.0.1", port: 0 }, resolve));
    const port = (server.address() as net.AddressInfo).port;
    expect(await portFree(port)).toBe(false);
    expect(await describeTakenPort(port)).toMatch(new RegExp(`^port ${port} is taken by .+ \\(pid ${process.pid}\\)$`));
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    expect(await portFree(port)).toBe(true);
  });
});
