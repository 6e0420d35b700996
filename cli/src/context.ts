// What every command needs to know about where it runs: the repository and its state folder.
import { fileURLToPath } from "node:url";
import path from "node:path";

export interface Context {
  /** The repository root (the folder holding ./polyglot). */
  readonly root: string;
  /** Git-ignored state: broker data, logs, pid files, downloaded tools, test reports. */
  readonly stateDir: string;
  /** True under CI (CI=true): no interactive output. */
  readonly ci: boolean;
}

export function createContext(env: NodeJS.ProcessEnv = process.env): Context {
  // dist/context.js -> cli/dist -> cli -> root
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  return Object.freeze({
    root,
    stateDir: env.POLYGLOT_STATE_DIR ?? path.join(root, ".polyglot"),
    ci: env.CI === "true",
  });
}
