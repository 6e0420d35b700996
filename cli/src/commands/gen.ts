// ./polyglot gen: regenerates the committed code of Go, Python and TypeScript from schemas/proto
// with `buf generate`, then the shared test vectors. It first installs the pinned generators it
// needs (see schemas/README.md for why these versions): buf's remote plugins cannot be reached
// from our machines, so every plugin is local.
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { execa, ExecaError } from "execa";
import pc from "picocolors";
import type { Context } from "../context.js";
import type { Command } from "./command.js";

/** protoc 36.2 is the compiler of protobuf-java 4.36.2 and Python's protobuf 7.36.2. */
export const PROTOC_VERSION = "4.36.2";
export const PROTOC_GEN_GO_VERSION = "v1.36.12";
const MAVEN_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.9.0";

export function toolsBin(ctx: Context): string {
  return path.join(ctx.stateDir, "tools", "bin");
}

/** Turns "spawn go ENOENT" into a message that says what to install. */
function missingTool(error: unknown, tool: string, hint: string): Error {
  if (error instanceof Error && "code" in error && error.code === "ENOENT") return new Error(`${tool} is missing: ${hint}`);
  return error instanceof Error ? error : new Error(String(error));
}

function step(message: string): void {
  console.log(pc.cyan(`gen: ${message}`));
}

async function versionOf(binary: string, args: string[]): Promise<string | undefined> {
  if (!existsSync(binary)) return undefined;
  const { stdout, exitCode } = await execa(binary, args, { reject: false });
  return exitCode === 0 ? stdout.trim() : undefined;
}

async function isNewer(file: string, than: string): Promise<boolean> {
  if (!existsSync(than)) return true;
  return (await stat(file)).mtimeMs > (await stat(than)).mtimeMs;
}

/** `npm ci` in schemas/ when its lock file changed since the last install: buf and protoc-gen-es. */
async function ensureSchemasPackages(ctx: Context): Promise<void> {
  const dir = path.join(ctx.root, "schemas");
  if (!(await isNewer(path.join(dir, "package-lock.json"), path.join(dir, "node_modules", ".package-lock.json")))) return;
  step("installing buf and protoc-gen-es (npm ci in schemas/)...");
  await execa("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "inherit" });
}

async function ensureProtocGenGo(ctx: Context): Promise<void> {
  const bin = toolsBin(ctx);
  const binary = path.join(bin, "protoc-gen-go");
  if ((await versionOf(binary, ["--version"])) === `protoc-gen-go ${PROTOC_GEN_GO_VERSION}`) return;
  step(`installing protoc-gen-go ${PROTOC_GEN_GO_VERSION} (go install)...`);
  await mkdir(bin, { recursive: true });
  await execa("go", ["install", `google.golang.org/protobuf/cmd/protoc-gen-go@${PROTOC_GEN_GO_VERSION}`], {
    stdio: "inherit",
    env: { GOBIN: bin },
  }).catch((error: unknown) => {
    throw missingTool(error, "go", "install Go (https://go.dev/dl), then run ./polyglot gen again.");
  });
}

/** Maven Central's classifier of protoc for this machine. */
function protocClassifier(): string {
  const osName = { linux: "linux", darwin: "osx", win32: "windows" }[process.platform as string];
  const arch = { x64: "x86_64", arm64: "aarch_64" }[process.arch as string];
  if (!osName || !arch) throw new Error(`no protoc on Maven Central for ${process.platform}/${process.arch}`);
  return `${osName}-${arch}`;
}

async function ensureProtoc(ctx: Context): Promise<void> {
  const bin = toolsBin(ctx);
  const binary = path.join(bin, "protoc");
  // protoc reports its own release number, which drops protobuf-java's major version.
  if ((await versionOf(binary, ["--version"])) === `libprotoc ${PROTOC_VERSION.split(".").slice(1).join(".")}`) return;
  const artifact = `com.google.protobuf:protoc:${PROTOC_VERSION}:exe:${protocClassifier()}`;
  step(`installing protoc ${PROTOC_VERSION} from Maven Central (${artifact})...`);
  await mkdir(bin, { recursive: true });
  const tmp = await mkdtemp(path.join(os.tmpdir(), "polyglot-protoc-"));
  try {
    // Maven's own output is noise when it works (and raw colour codes even with -q): show it only on failure.
    await execa(
      "mvn",
      ["-q", "-B", `${MAVEN_DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${artifact}`, `-DoutputDirectory=${tmp}`, "-Dmdep.stripVersion=true"],
      { all: true },
    ).catch((error: unknown) => {
      if (error instanceof ExecaError && error.all) console.error(error.all);
      throw missingTool(error, "mvn", "install Maven 3 (Debian: apt-get install maven), then run ./polyglot gen again.");
    });
    // Copied, not renamed: the temp dir may be on another file system.
    await copyFile(path.join(tmp, `protoc-${protocClassifier()}.exe`), binary);
    await chmod(binary, 0o755);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Everything `buf generate` and the vector generator need, installed when missing. */
export async function ensureCodegenTools(ctx: Context): Promise<void> {
  await ensureSchemasPackages(ctx);
  await ensureProtocGenGo(ctx);
  await ensureProtoc(ctx);
}

export const gen: Command = {
  summary: "regenerate the Go, Python and TypeScript code and the test vectors from schemas/",
  async run(args, ctx) {
    const { values } = parseArgs({ args, strict: true, options: { help: { type: "boolean", short: "h" } } });
    if (values.help) {
      console.log(
        "Usage: ./polyglot gen\n\nInstalls the pinned generators when missing, runs `buf generate` in schemas/ and rewrites\n" +
          "the test vectors in schemas/testdata/. Java is generated by user-service's Maven build.",
      );
      return 0;
    }
    await ensureCodegenTools(ctx);
    const schemas = path.join(ctx.root, "schemas");
    step("buf generate (Go, Python, TypeScript)...");
    await execa(path.join(schemas, "node_modules", ".bin", "buf"), ["generate"], { cwd: schemas, stdio: "inherit" });
    step("writing the test vectors (schemas/testdata)...");
    await execa(process.execPath, [path.join(schemas, "testdata", "generate.ts")], { cwd: schemas, stdio: "inherit" });
    step("done");
    return 0;
  },
};
