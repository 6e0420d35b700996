// The schemas suite: buf lint, format and breaking (against main), the proof that the breaking
// check rejects a broken schema, and the staleness of the generated code and test vectors.
// It first installs what `./polyglot gen` would (buf, protoc-gen-go, protoc), so it runs on a
// fresh clone.
import { ensureCodegenTools } from "../commands/gen.js";
import type { Suite } from "./suite.js";
import { vitestSuite } from "./vitest-suite.js";

const tests = vitestSuite({
  name: "schemas",
  summary: "buf lint/format/breaking, generated code and test vectors up to date (vitest in schemas/)",
  dir: "schemas",
});

export const schemas: Suite = {
  name: tests.name,
  summary: tests.summary,
  async run(ctx, reportDir) {
    await ensureCodegenTools(ctx);
    return tests.run(ctx, reportDir);
  },
};
