// Every component of the stack runs under the log writer (infra/logwriter, Go): it execs the
// component with stdout and stderr on a pipe to a small writer that rotates
// .polyglot/logs/<name>.log by size, keeping a few rotated files beside it
// (<name>-2026-12-03T11-50-00.000.log). A JSON line per record at hundreds of records a second
// would otherwise grow a log by gigabytes, and `./polyglot logs --correlation` would read it all.
import path from "node:path";
import { buildDir } from "./build-dir.js";
import type { StackContext } from "./component.js";
import { buildGoBinary } from "./go-build.js";

export const logWriterBinary = (root: string): string => buildDir(root, "bin", "logwriter");

/** Builds the log writer when its sources changed (a second or two; lumberjack is its one module). */
export function ensureLogWriter(ctx: Pick<StackContext, "root" | "stateDir" | "progress" | "exec">): Promise<void> {
  return buildGoBinary(ctx, {
    dir: path.join(ctx.root, "infra", "logwriter"),
    pkg: ".",
    binary: logWriterBinary(ctx.root),
    building: "log writer: go build",
    hint: "go downloads gopkg.in/natefinch/lumberjack.v2 from the Go module proxy on the first build: check the network, then run ./polyglot up again",
  });
}

/** A rotated file of `component`'s log: `<component>-<UTC time stamp>.log`, as lumberjack names it. */
const rotatedName = /^(.+)-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3})\.log$/;

/** The component and time stamp of a rotated log file's name, or undefined for any other name. */
export function parseRotatedName(file: string): { readonly component: string; readonly stamp: string } | undefined {
  const m = rotatedName.exec(file);
  return m?.[1] === undefined || m[2] === undefined ? undefined : { component: m[1], stamp: m[2] };
}
