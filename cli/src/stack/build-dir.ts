// Where builds and downloads go: the repository's .polyglot/, whatever POLYGLOT_STATE_DIR says.
// They depend only on their inputs (sources, poms, versions, the JDK), like a build, so the
// throw-away stacks of the test suites (.polyglot/test/*) share them with the stack of
// `./polyglot up` instead of each compiling, fetching and training its own (a fresh machine's
// `./polyglot test` starts five such stacks). Records, databases, logs and pids stay per state dir.
import path from "node:path";

export const buildDir = (root: string, ...parts: string[]): string => path.join(root, ".polyglot", ...parts);
