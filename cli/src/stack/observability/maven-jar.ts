// Jars that a component runs straight from Maven Central (the Zipkin server, the JMX exporter
// agent): `mvn dependency:copy` on a pom under infra/ that pins the version, into
// .polyglot/tools/<name>/, fetched again only when that pom changes.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildDir } from "../build-dir.js";
import type { StackContext } from "../component.js";

export interface MavenJar {
  /** The folder under .polyglot/tools/ that holds it. */
  readonly name: string;
  /** The pom, relative to the repository root, whose dependency plugin lists the jar. */
  readonly pom: string;
  /** The file name the pom copies it to (its `destFileName`). */
  readonly file: string;
  /** For the progress line, e.g. "the Zipkin server (about 135 MB on the first run)". */
  readonly what: string;
}

export function toolDir(root: string, name: string): string {
  return buildDir(root, "tools", name);
}

// Three brokers are prepared side by side and share one agent jar: one Maven run for all.
const pending = new Map<string, Promise<string>>();

/** The jar's path, copied from ~/.m2 (downloaded there first if missing) unless it is current. */
export function mavenJar(ctx: StackContext, jar: MavenJar): Promise<string> {
  const key = toolDir(ctx.root, jar.name);
  let run = pending.get(key);
  if (run === undefined) {
    run = fetchJar(ctx, jar);
    pending.set(key, run);
    // A failed or finished run must not be reused by a later `up` in a long-lived process (tests).
    run.finally(() => pending.delete(key)).catch(() => undefined);
  }
  return run;
}

async function fetchJar(ctx: StackContext, jar: MavenJar): Promise<string> {
  const pom = path.join(ctx.root, jar.pom);
  const dir = toolDir(ctx.root, jar.name);
  const target = path.join(dir, jar.file);
  // The copy keeps the timestamp of the file in ~/.m2, so a hash of the pom tells whether it is current.
  const stamp = path.join(dir, ".pom.sha256");
  const hash = createHash("sha256").update(await readFile(pom)).digest("hex");
  if (existsSync(target) && existsSync(stamp) && (await readFile(stamp, "utf8")).trim() === hash) return target;
  await mkdir(dir, { recursive: true });
  ctx.progress.update(`fetching ${jar.what} with Maven`);
  await ctx.exec({
    command: "mvn",
    args: ["-B", "-f", pom, "dependency:copy", `-DoutputDirectory=${dir}`, "-Dmdep.overWriteReleases=true"],
    cwd: ctx.root,
    hint: "check that Maven Central is reachable (mvn -v works, ~/.m2/settings.xml has no unreachable mirror), then run ./polyglot up again",
  });
  if (!existsSync(target)) throw new Error(`mvn dependency:copy on ${jar.pom} left no ${jar.file} in ${dir}`);
  await writeFile(stamp, `${hash}\n`);
  return target;
}
