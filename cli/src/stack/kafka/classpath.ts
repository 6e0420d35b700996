// The broker's runtime classpath, resolved by Maven from infra/kafka/pom.xml into ~/.m2 and
// cached in .polyglot/tools/kafka/classpath.txt (shared by every stack, see build-dir.ts) until the pom changes or a jar goes missing.
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { buildDir } from "../build-dir.js";
import type { StackContext } from "../component.js";

export function classpathFile(root: string): string {
  return buildDir(root, "tools", "kafka", "classpath.txt");
}

async function cached(file: string, pom: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  const [fileStat, pomStat] = await Promise.all([stat(file), stat(pom)]);
  if (pomStat.mtimeMs > fileStat.mtimeMs) return undefined;
  const classpath = (await readFile(file, "utf8")).trim();
  const jars = classpath.split(path.delimiter);
  return jars.length > 0 && jars.every((jar) => existsSync(jar)) ? classpath : undefined;
}

// Brokers are prepared side by side; they share one Maven run.
const pending = new Map<string, Promise<string>>();

/** Returns the classpath, running Maven when it is missing or stale. */
export function resolveClasspath(ctx: StackContext): Promise<string> {
  const file = classpathFile(ctx.root);
  let run = pending.get(file);
  if (run === undefined) {
    run = resolve(ctx);
    pending.set(file, run);
    run.catch(() => pending.delete(file));
  }
  return run;
}

async function resolve(ctx: StackContext): Promise<string> {
  const pom = path.join(ctx.root, "infra", "kafka", "pom.xml");
  const file = classpathFile(ctx.root);
  const hit = await cached(file, pom);
  if (hit !== undefined) return hit;
  ctx.progress.update("resolving Apache Kafka's jars with Maven (first run downloads about 40 MB into ~/.m2)");
  await ctx.exec({
    command: "mvn",
    // -B: one line per download, which the progress line shows; no colours in the captured output.
    args: ["-B", "-f", pom, "dependency:build-classpath", `-Dmdep.outputFile=${file}`],
    cwd: ctx.root,
    hint: "check that Maven Central is reachable (mvn -v works, ~/.m2/settings.xml has no unreachable mirror), then run ./polyglot up again",
  });
  const fresh = await cached(file, pom);
  if (fresh === undefined) throw new Error(`Maven wrote no usable classpath to ${file}`);
  return fresh;
}
