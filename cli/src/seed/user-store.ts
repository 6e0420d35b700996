// user-service's rows of history chains in its embedded H2 database: the user and its sent
// outbox row (kept for the relay's retention, 24 h, as the service keeps it). Written while
// user-service is stopped (H2 locks its file), through H2's own RunScript tool from the jar
// user-service was built with: two CSV files and one INSERT ... SELECT FROM CSVREAD each, so
// 100,000 chains are one JVM start and two statements instead of 200,000 JDBC round trips.
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { userServiceAppDir } from "../stack/components/user-service.js";
import type { HistoryChain } from "./history.js";
import type { SeedRecord } from "./records.js";

/** The H2 jar user-service runs with: the one in its extracted jar's lib/ (`./polyglot up` extracts it). */
export async function h2Jar(root: string): Promise<string | undefined> {
  const lib = path.join(userServiceAppDir(root), "lib");
  const jar = (await readdir(lib).catch(() => [] as string[])).find((name) => /^h2-[\d.]+\.jar$/.test(name));
  return jar === undefined ? undefined : path.join(lib, jar);
}

const csvField = (v: string): string => `"${v.replaceAll('"', '""')}"`;

/** Collects the rows chain by chain into CSV files, then loads them in one go. */
export class UserStoreWriter {
  private readonly users;
  private readonly outbox;

  constructor(private readonly dir: string) {
    this.users = createWriteStream(path.join(dir, "users.csv"));
    this.outbox = createWriteStream(path.join(dir, "outbox.csv"));
    this.users.write("ID,EMAIL,EMAIL_KEY,NAME,SOURCE,CREATED_AT\n");
    this.outbox.write("EVENT_ID,TOPIC,RECORD_KEY,EVENT_TYPE,EVENT_SOURCE,EVENT_TIME,CORRELATION_ID,TRACEPARENT,PAYLOAD,CREATED_AT\n");
  }

  static async create(dir: string): Promise<UserStoreWriter> {
    await mkdir(dir, { recursive: true });
    return new UserStoreWriter(dir);
  }

  /** The chain's user and the outbox row of its sign-up record (the relay sent it at once). */
  add(c: HistoryChain, signup: SeedRecord): void {
    const at = c.signedUpAt.toISOString();
    this.users.write([c.userId, c.email, c.email.toLowerCase(), c.name, "WEB", at].map(csvField).join(",") + "\n");
    this.outbox.write(
      [c.signupEventId, signup.topic, c.userId, signup.headers.get("ce_type") ?? "", "/user-service", at, c.correlationId, c.signupTraceparent, signup.value.toString("hex"), at].map(csvField).join(",") + "\n",
    );
  }

  /** Loads the CSV files into the database at `h2File` (the path without `.mv.db`). */
  async load(java: string, jar: string, h2File: string): Promise<void> {
    await Promise.all([new Promise((r) => this.users.end(r)), new Promise((r) => this.outbox.end(r))]);
    const csv = (name: string): string => path.join(this.dir, name).replaceAll("'", "''");
    const script = path.join(this.dir, "load.sql");
    await writeFile(
      script,
      `INSERT INTO users (id, email, email_key, name, phone, source, created_at, updated_at)
  SELECT ID, EMAIL, EMAIL_KEY, NAME, NULL, SOURCE, CAST(CREATED_AT AS TIMESTAMP WITH TIME ZONE), CAST(CREATED_AT AS TIMESTAMP WITH TIME ZONE)
  FROM CSVREAD('${csv("users.csv")}', NULL, 'charset=UTF-8');
INSERT INTO outbox (event_id, topic, record_key, event_type, event_source, event_time, correlation_id, causation_id, traceparent, payload, created_at, sent_at)
  SELECT EVENT_ID, TOPIC, RECORD_KEY, EVENT_TYPE, EVENT_SOURCE, EVENT_TIME, CORRELATION_ID, '', TRACEPARENT, CAST(PAYLOAD AS VARBINARY),
    CAST(CREATED_AT AS TIMESTAMP WITH TIME ZONE), CAST(CREATED_AT AS TIMESTAMP WITH TIME ZONE)
  FROM CSVREAD('${csv("outbox.csv")}', NULL, 'charset=UTF-8');
`,
    );
    // The URL user-service opens (DataSourceConfiguration.embeddedUrl), so the file is the same.
    await execa(java, ["-cp", jar, "org.h2.tools.RunScript", "-url", `jdbc:h2:file:${h2File}`, "-user", "sa", "-password", "", "-script", script]);
    await rm(this.dir, { recursive: true, force: true });
  }
}
