// The four harnesses of `./polyglot bench serialization` (bench/serialization/<lang>/): how
// each is installed and built, the command that measures and writes its results file, and
// which of its output lines are worth showing as progress.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type { Context } from "../context.js";
import type { ExecStep } from "../stack/component.js";
import { execStep } from "../stack/stack-context.js";
import { StackError } from "../stack/stack-error.js";
import { needsInstall } from "../suites/vitest-suite.js";
import { shortName, type Language } from "./serialization-result.js";

export interface HarnessRun {
  /** Where the harness writes its results (the shape in bench/serialization/README.md). */
  readonly out: string;
  /** A build check: every benchmark runs once or barely, the figures mean nothing. */
  readonly quick: boolean;
}

export interface Harness {
  readonly language: Language;
  /** Installs and builds what the harness needs; `report` gets a line per long step. */
  prepare(ctx: Context, report: (line: string) => void): Promise<void>;
  command(ctx: Context, run: HarnessRun): ExecStep;
  /** A fresh filter for one run: the progress line worth showing for a line of output, if any. */
  progressFilter(): (line: string) => string | undefined;
}

export const harnessDir = (root: string, language: Language): string =>
  path.join(root, "bench", "serialization", language === "typescript" ? "ts" : language);

/** Runs a step, passing each output line through `filter` to `report`; a failure names the step and what to do next. */
export async function runStep(step: ExecStep, filter: (line: string) => string | undefined, report: (line: string) => void): Promise<void> {
  await execStep(step, {
    update(line) {
      const shown = filter(line);
      if (shown !== undefined) report(shown);
    },
  });
}

const quiet = (): undefined => undefined;

const java: Harness = {
  language: "java",
  async prepare(ctx, report) {
    report("java: building the JMH harness (mvn package; the first build downloads JMH, Avro and Jackson from Maven Central)...");
    await runStep(
      { command: "mvn", args: ["-B", "-q", "--no-transfer-progress", "package"], cwd: harnessDir(ctx.root, "java"), hint: "fix what Maven reports above (cd bench/serialization/java && mvn package), then run ./polyglot bench serialization again" },
      quiet,
      report,
    );
  },
  command(ctx, run) {
    const javaHome = process.env.JAVA_HOME;
    return {
      command: javaHome === undefined || javaHome === "" ? "java" : path.join(javaHome, "bin", "java"),
      args: ["-jar", path.join("target", "serialization-bench.jar"), "--root", ctx.root, "--out", run.out, ...(run.quick ? ["--quick"] : [])],
      cwd: harnessDir(ctx.root, "java"),
      hint: "read JMH's output above (cd bench/serialization/java && java -jar target/serialization-bench.jar --quick runs it alone), then run ./polyglot bench serialization again",
    };
  },
  progressFilter() {
    // JMH prints "# Benchmark: ...SerializationBenchmark.encode", then "# Parameters: (format = avro, message = ...)", then "# Run progress: 16.67% complete, ETA 00:01:10".
    let op = "";
    let params = "";
    return (line) => {
      const benchmark = /^# Benchmark: .*\.(\w+)$/.exec(line);
      if (benchmark !== null) op = benchmark[1] ?? "";
      const p = /^# Parameters: \(format = (\w+), message = ([\w.]+)\)/.exec(line);
      if (p !== null) params = `${shortName(p[2] ?? "")} ${p[1] ?? ""} ${op}`;
      const progress = /^# Run progress: ([\d.]+)% complete, ETA (\S+)/.exec(line);
      if (progress === null) return undefined;
      return `java: ${Math.round(Number(progress[1]))}% (ETA ${progress[2]}) ${params}`;
    };
  },
};

const go: Harness = {
  language: "go",
  async prepare(ctx, report) {
    report("go: building the harness (go test; the first build downloads hamba/avro)...");
    await runStep(
      { command: "go", args: ["test", "-count=1", "-run", "^$", "."], cwd: harnessDir(ctx.root, "go"), hint: "fix what go reports above (cd bench/serialization/go && go vet), then run ./polyglot bench serialization again" },
      quiet,
      report,
    );
  },
  command(ctx, run) {
    return {
      command: "go",
      args: ["test", "-run", "^$", "-bench", ".", "-benchtime", run.quick ? "1x" : "200ms", "-count", "1"],
      cwd: harnessDir(ctx.root, "go"),
      env: { BENCH_RESULTS: run.out },
      hint: "read go test's output above (cd bench/serialization/go && go test -run '^$' -bench . runs it alone), then run ./polyglot bench serialization again",
    };
  },
  progressFilter() {
    return (line) => {
      const m = /^BenchmarkSerialization\/(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns\/op/.exec(line);
      return m === null ? undefined : `go: ${m[1] ?? ""} ${Math.round(Number(m[2]))} ns/op`;
    };
  },
};

/** The harness's venv lives in the state folder; it is remade when requirements.txt changes. */
export const pythonVenv = (ctx: Context): string => path.join(ctx.stateDir, "bench", "serialization", "python-venv");

async function findPython311(): Promise<string> {
  for (const candidate of ["python3.11", "python3"]) {
    const { exitCode, stdout } = await execa(candidate, ["-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"], { reject: false });
    if (exitCode === 0 && stdout.trim() === "3.11") return candidate;
  }
  throw new StackError("Python 3.11 with venv is missing", "install Python 3.11 with venv (Debian: apt-get install python3.11 python3.11-venv), then run ./polyglot bench serialization again");
}

const python: Harness = {
  language: "python",
  async prepare(ctx, report) {
    const dir = harnessDir(ctx.root, "python");
    const venv = pythonVenv(ctx);
    const bin = path.join(venv, "bin", "python");
    const stamp = path.join(venv, ".polyglot-installed");
    const wanted = createHash("sha256").update(await readFile(path.join(dir, "requirements.txt"))).digest("hex");
    if (existsSync(bin) && existsSync(stamp) && (await readFile(stamp, "utf8")).trim() === wanted) return;
    const hint = "check the network (PyPI), then run ./polyglot bench serialization again";
    await rm(venv, { recursive: true, force: true });
    report(`python: creating the harness's venv (${path.relative(ctx.root, venv)}) and installing requirements.txt...`);
    await runStep({ command: await findPython311(), args: ["-m", "venv", venv], cwd: dir, hint }, quiet, report);
    await runStep(
      { command: bin, args: ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--progress-bar", "off", "-r", "requirements.txt"], cwd: dir, hint },
      quiet,
      report,
    );
    await writeFile(stamp, `${wanted}\n`);
  },
  command(ctx, run) {
    return {
      command: path.join(pythonVenv(ctx), "bin", "python"),
      args: ["run.py", "--out", run.out, ...(run.quick ? ["--quick"] : [])],
      cwd: harnessDir(ctx.root, "python"),
      env: { PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" },
      hint: "read pytest's output above, then run ./polyglot bench serialization again",
    };
  },
  progressFilter() {
    return (line) => {
      const m = /::test_(encode|decode)\[([^\]]+)\] PASSED\s+\[\s*(\d+)%\]/.exec(line);
      return m === null ? undefined : `python: ${m[3] ?? ""}% ${m[2] ?? ""} ${m[1] ?? ""}`;
    };
  },
};

const typescript: Harness = {
  language: "typescript",
  async prepare(ctx, report) {
    const dir = harnessDir(ctx.root, "typescript");
    if (needsInstall(dir)) {
      report("typescript: installing the harness's npm dependencies (npm ci in bench/serialization/ts)...");
      await runStep({ command: "npm", args: ["ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd: dir, hint: "check the network (npm registry), then run ./polyglot bench serialization again" }, quiet, report);
    }
    report("typescript: building the harness (analytics-service's generated code + tsc)...");
    await runStep({ command: "npm", args: ["run", "--silent", "build"], cwd: dir, hint: "fix the TypeScript errors above (cd bench/serialization/ts && npm run build), then run ./polyglot bench serialization again" }, quiet, report);
  },
  command(ctx, run) {
    return {
      // The pinned Node 24 that runs this CLI.
      command: process.execPath,
      args: [path.join("dist", "main.js"), "--out", run.out, ...(run.quick ? ["--quick"] : [])],
      cwd: harnessDir(ctx.root, "typescript"),
      hint: "read the harness's output above (cd bench/serialization/ts && node dist/main.js --quick runs it alone), then run ./polyglot bench serialization again",
    };
  },
  progressFilter() {
    return (line) => (/ ns\/op /.test(line) ? `typescript: ${line}` : undefined);
  },
};

export const harnesses: Readonly<Record<Language, Harness>> = { java, go, python, typescript };
