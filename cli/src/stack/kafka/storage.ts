// Where each broker keeps its files, and the one-time storage format that KRaft requires.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { StackContext } from "../component.js";

/** `.polyglot/kafka/single` or `.polyglot/kafka/cluster-3`: the two modes never share data. */
export function clusterDir(stateDir: string, brokers: number): string {
  return path.join(stateDir, "kafka", brokers === 1 ? "single" : `cluster-${brokers}`);
}

export interface BrokerFiles {
  readonly dir: string;
  readonly properties: string;
  readonly data: string;
}

export function brokerFiles(stateDir: string, brokers: number, name: string): BrokerFiles {
  const dir = path.join(clusterDir(stateDir, brokers), name);
  return { dir, properties: path.join(dir, "server.properties"), data: path.join(dir, "data") };
}

/** The cluster id every broker of one cluster is formatted with, made once (Kafka's format: 16 random bytes, base64url). */
export async function clusterId(stateDir: string, brokers: number): Promise<string> {
  const file = path.join(clusterDir(stateDir, brokers), "cluster-id");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(path.dirname(file), { recursive: true });
  // An id may start with "-"; it is passed as --cluster-id=ID so the option parser never takes it for a flag.
  const id = randomBytes(16).toString("base64url");
  // wx: brokers prepared side by side must agree on one id, so only the first writer wins.
  try {
    await writeFile(file, `${id}\n`, { flag: "wx" });
    return id;
  } catch {
    return (await readFile(file, "utf8")).trim();
  }
}

export function javaCommand(vars: Readonly<Record<string, string | undefined>>): string {
  const home = vars.JAVA_HOME;
  return home === undefined || home === "" ? "java" : path.join(home, "bin", "java");
}

/** Formats the broker's storage unless it already is (meta.properties exists). */
export async function formatStorage(ctx: StackContext, files: BrokerFiles, classpath: string, id: string, log4jConfig: string): Promise<void> {
  if (existsSync(path.join(files.data, "meta.properties"))) return;
  ctx.progress.update(`formatting ${path.relative(ctx.root, files.data)}`);
  await ctx.exec({
    command: javaCommand(ctx.env.vars),
    args: ["-cp", classpath, `-Dlog4j2.configurationFile=${log4jConfig}`, "kafka.tools.StorageTool", "format", "--ignore-formatted", `--cluster-id=${id}`, "-c", files.properties],
    cwd: files.dir,
    hint: `delete ${path.relative(ctx.root, files.dir)} and run ./polyglot up again`,
  });
}
