// Copies analytics-service's generated protobuf-es code (src/gen, committed, made by
// `./polyglot gen`) into src/gen before tsc: the harness compiles and runs exactly the
// service's generated code, with this package's @bufbuild/protobuf. The copy is git-ignored.
import { cpSync, rmSync } from "node:fs";
import path from "node:path";

const here = import.meta.dirname;
const source = path.join(here, "..", "..", "..", "services", "analytics-service", "src", "gen");
const target = path.join(here, "src", "gen");
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
