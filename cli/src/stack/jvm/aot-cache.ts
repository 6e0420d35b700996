// Start-up caches for the stack's JVMs (user-service, the broker, Zipkin): JDK 25's AOT cache
// (JEP 483 and 515: classes already loaded and linked, and method profiles, mapped from one
// file), made once by a training run of the component and reused by every start until what it
// runs changes. It halves the CPU a JVM spends starting, which on 2 cores shared by the whole
// stack is most of `./polyglot up`. Without a JDK 25 (none under JAVA_HOME, /usr/lib/jvm or
// /opt) or when a training run fails, the component starts as before, without a cache.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildDir } from "../build-dir.js";
import type { ProcessSpec, StackContext } from "../component.js";
import { alive, startDetached, stopGroup } from "../process.js";

/** The first JDK release with the AOT cache and its one-step training (-XX:AOTCacheOutput). */
const aotRelease = 25;

/** Where JDKs are installed when JAVA_HOME is not one with an AOT cache. */
const jdkFolders = ["/usr/lib/jvm", "/opt"];

/** The feature release of the JDK at `home` (from its `release` file), or undefined. */
async function featureRelease(home: string): Promise<number | undefined> {
  try {
    const release = await readFile(path.join(home, "release"), "utf8");
    const version = /^JAVA_VERSION="(\d+)/m.exec(release)?.[1];
    return version === undefined || !existsSync(path.join(home, "bin", "java")) ? undefined : Number(version);
  } catch {
    return undefined;
  }
}

let found: Promise<string | undefined> | undefined;

/** The `java` of a JDK 25 or later: JAVA_HOME's if it is one, else the newest under /usr/lib/jvm or /opt. */
export function aotJava(vars: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  found ??= (async () => {
    const home = vars.JAVA_HOME;
    const homes = home === undefined || home === "" ? [] : [home];
    for (const folder of jdkFolders) {
      const names = await readdir(folder).catch(() => [] as string[]);
      homes.push(...names.map((n) => path.join(folder, n)));
    }
    let best: { home: string; release: number } | undefined;
    for (const candidate of homes) {
      const release = await featureRelease(candidate);
      if (release !== undefined && release >= aotRelease && (best === undefined || release > best.release)) best = { home: candidate, release };
      // JAVA_HOME wins when it qualifies: the user chose it.
      if (candidate === home && best !== undefined) break;
    }
    return best === undefined ? undefined : path.join(best.home, "bin", "java");
  })();
  return found;
}

export interface Training {
  /** The component, for file names and progress lines. */
  readonly name: string;
  /** The JDK 25 `java` that trains and later runs with the cache. */
  readonly java: string;
  /** Files whose change makes the cache stale (jars, the classpath); size and mtime are hashed. */
  readonly inputs: readonly string[];
  /** The process to train on: the component's own JVM flags and main class, on throw-away ports and data. */
  readonly process: (cacheOutput: string) => Promise<ProcessSpec>;
  /** Resolves once the training process has done what it should learn (e.g. is healthy); then it is stopped with SIGTERM. Omit when it exits by itself. */
  readonly exercised?: () => Promise<boolean>;
  /** At most this long for the whole run, cache writing included. */
  readonly timeoutMs?: number;
}

/**
 * `.polyglot/aot/` of the repository, whatever POLYGLOT_STATE_DIR says: a cache depends only on
 * the JDK, the flags and the jars (its name is their hash), like a build, so the throw-away
 * stacks of the test suites (.polyglot/test/*) share it instead of each training its own.
 */
export const aotDir = (ctx: StackContext): string => buildDir(ctx.root, "aot");

async function inputsHash(training: Training, args: readonly string[]): Promise<string> {
  const hash = createHash("sha256").update(training.java).update(args.join("\0"));
  for (const file of training.inputs) {
    const info = await stat(file);
    hash.update(`${file}:${info.size}:${info.mtimeMs}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * The AOT cache for `training`, made now by a training run if there is none for the current
 * inputs. Undefined when it could not be made: the reason is in .polyglot/aot/<name>-*.log, and
 * the run is not tried again until the inputs change.
 */
export async function aotCache(ctx: StackContext, training: Training, runArgs: readonly string[]): Promise<string | undefined> {
  const dir = aotDir(ctx);
  await mkdir(dir, { recursive: true });
  const key = `${training.name}-${await inputsHash(training, runArgs)}`;
  // Three brokers are prepared side by side and share one cache: one training run for all.
  let made = pending.get(path.join(dir, key));
  if (made === undefined) {
    made = makeCache(ctx, training, dir, key);
    pending.set(path.join(dir, key), made);
  }
  return made;
}

const pending = new Map<string, Promise<string | undefined>>();

async function makeCache(ctx: StackContext, training: Training, dir: string, key: string): Promise<string | undefined> {
  const cache = path.join(dir, `${key}.aot`);
  const failed = path.join(dir, `${key}.failed`);
  if (existsSync(cache)) return cache;
  if (existsSync(failed)) return undefined;
  // Older caches and markers of this component are stale now.
  const ours = new RegExp(`^${training.name}-[0-9a-f]{16}\\.(aot|failed|log)$`);
  for (const name of await readdir(dir)) {
    if (ours.test(name) && !name.startsWith(key)) await rm(path.join(dir, name), { force: true });
  }
  const log = path.join(dir, `${key}.log`);
  ctx.progress.update(`training run for ${training.name}'s AOT cache (once per build; next starts load it)`);
  const since = performance.now();
  // Written under a name of this process, then renamed: another `up` may train the same cache.
  const output = `${cache}.${process.pid}.tmp`;
  const made = await train(training, output, log);
  if (made && existsSync(output)) {
    await rename(output, cache);
    ctx.progress.update(`${training.name}'s AOT cache made in ${((performance.now() - since) / 1000).toFixed(1)} s`);
    return cache;
  }
  await rm(output, { force: true });
  await writeFile(failed, `no AOT cache: the training run failed, see ${log}\n`);
  ctx.progress.update(`${training.name}: no AOT cache (see ${path.relative(ctx.root, log)}), starting without one`);
  return undefined;
}

async function train(training: Training, output: string, log: string): Promise<boolean> {
  const deadline = Date.now() + (training.timeoutMs ?? 180_000);
  const spec = await training.process(output);
  const { pid, exited } = await startDetached(spec, log);
  let exit: string | undefined;
  void exited.then((how) => {
    exit = how;
  });
  try {
    if (training.exercised !== undefined) {
      while (exit === undefined && !(await training.exercised())) {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      if (exit !== undefined) return false;
      // SIGTERM: the JVM writes the cache as it exits; give it the rest of the time to do so.
      await stopGroup(pid, Math.max(deadline - Date.now(), 1_000));
      return existsSync(output);
    }
    while (exit === undefined && (await alive(pid))) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return existsSync(output);
  } finally {
    await stopGroup(pid, 5_000);
  }
}

/** The flags that run a JVM on its cache: only when the cache exists, so a start never depends on one. */
export function aotFlags(cache: string | undefined): string[] {
  return cache === undefined ? [] : [`-XX:AOTCache=${cache}`];
}
