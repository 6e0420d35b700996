// Mailpit (the SMTP sink) is built from its Go module, pinned below, into
// .polyglot/tools/mailpit/<version>/mailpit, once per version. `go install` alone gives a binary
// without the web UI (its assets are built by npm and embedded by `go build`), so:
//   1. `go mod download -json` fetches the module from the Go module proxy (its Dir is read-only);
//   2. the source is copied to a writable build dir beside the binary;
//   3. `npm install` of the packages the UI build needs (package-lock.json pins them), then
//      infra/mailpit/build-ui.mjs writes server/ui/dist/;
//   4. `go build` embeds the UI; the binary is moved into place last, so an interrupted build
//      leaves nothing that looks finished.
// The folder sits under the repository's .polyglot/ (not POLYGLOT_STATE_DIR), so the throw-away
// stacks of `./polyglot test` share the one build.
import { existsSync } from "node:fs";
import { cp, chmod, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { buildDir } from "../build-dir.js";
import { execa } from "execa";
import type { StackContext } from "../component.js";
import { StackError } from "../stack-error.js";

export const mailpitModule = "github.com/axllent/mailpit";
export const mailpitVersion = "v1.33.1";

/**
 * devDependencies that only lint or test Mailpit itself (eslint, playwright, jsdom, prettier) and
 * rapidoc (the API docs page, see build-ui.mjs): dropped before `npm install`, which keeps the
 * first install short and off packages the registry does not serve.
 */
const notForTheBuild = ["dependencies.rapidoc", "devDependencies.@playwright/test", "devDependencies.eslint", "devDependencies.@eslint/js", "devDependencies.@eslint/compat", "devDependencies.eslint-config-prettier", "devDependencies.eslint-plugin-vue", "devDependencies.globals", "devDependencies.jsdom", "devDependencies.prettier"];

export function mailpitBinary(root: string): string {
  return buildDir(root, "tools", "mailpit", mailpitVersion, "mailpit");
}

let building: Promise<string> | undefined;

/** The path of the Mailpit binary, built first when this version is not there yet. */
export function ensureMailpit(ctx: Pick<StackContext, "root" | "progress" | "exec">): Promise<string> {
  const binary = mailpitBinary(ctx.root);
  if (existsSync(binary)) return Promise.resolve(binary);
  building ??= build(ctx, binary).finally(() => {
    building = undefined;
  });
  return building;
}

async function build(ctx: Pick<StackContext, "root" | "progress" | "exec">, binary: string): Promise<string> {
  const versionDir = path.dirname(binary);
  const work = path.join(versionDir, `build-${process.pid}`);
  const step = (n: number, what: string): void => ctx.progress.update(`Mailpit ${mailpitVersion} (first run only) ${n}/4: ${what}`);
  const again = "then run the command again (a finished step is not cached: the build starts over)";

  step(1, "go mod download (Go module proxy)");
  const download = await execa("go", ["mod", "download", "-json", `${mailpitModule}@${mailpitVersion}`], { cwd: ctx.root, reject: false });
  const moduleDir = download.exitCode === 0 ? (JSON.parse(download.stdout) as { Dir?: string }).Dir : undefined;
  if (moduleDir === undefined || !existsSync(moduleDir)) {
    throw new StackError(`go mod download ${mailpitModule}@${mailpitVersion} failed: ${download.stderr.trim() || download.stdout.trim()}`, `check that the Go module proxy is reachable (go env GOPROXY), ${again}`);
  }

  step(2, "copying the module source to a writable build dir");
  await rm(work, { recursive: true, force: true });
  await mkdir(versionDir, { recursive: true });
  await cp(moduleDir, work, { recursive: true });
  await makeWritable(work);

  step(3, "npm install and the web UI build (esbuild)");
  const npmHint = `check that the npm registry is reachable (npm ping), ${again}`;
  await ctx.exec({ command: "npm", args: ["pkg", "delete", ...notForTheBuild], cwd: work, hint: npmHint });
  // --legacy-peer-deps: esbuild-sass-plugin's optional peer sass-embedded (a native compiler) is
  // not needed, the plain `sass` dependency compiles the styles. No lifecycle scripts run.
  await ctx.exec({ command: "npm", args: ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--legacy-peer-deps", "--loglevel=error"], cwd: work, hint: npmHint });
  await cp(path.join(ctx.root, "infra", "mailpit", "build-ui.mjs"), path.join(work, "build-ui.mjs"));
  await ctx.exec({ command: "node", args: ["build-ui.mjs"], cwd: work, hint: `the UI build failed: see the output above, ${again}` });

  step(4, "go build (compiles Mailpit and its SQLite: a few minutes on 2 cores)");
  const built = path.join(work, "mailpit");
  await ctx.exec({
    command: "go",
    args: ["build", "-v", "-trimpath", "-ldflags", `-s -w -X ${mailpitModule}/config.Version=${mailpitVersion}`, "-o", built, "."],
    cwd: work,
    env: { CGO_ENABLED: "0" },
    hint: `go downloads Mailpit's modules from the Go module proxy: check the network, ${again}`,
  });
  await rename(built, binary);
  await rm(work, { recursive: true, force: true });
  return binary;
}

/** The module cache is read-only (0444 files, 0555 dirs): the copy must take the UI build. */
async function makeWritable(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  await chmod(dir, 0o755);
  for (const e of entries) {
    const p = path.join(e.parentPath, e.name);
    const mode = (await stat(p)).mode;
    await chmod(p, e.isDirectory() ? 0o755 : mode | 0o200);
  }
}
