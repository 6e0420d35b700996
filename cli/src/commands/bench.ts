// ./polyglot bench serialization: protobuf vs JSON vs Avro in the four languages (cli/src/bench/).
// Kept minimal on this branch; `./polyglot bench` with the load figures joins it later.
import { parseArgs } from "node:util";
import { renderSerializationTable, runSerializationBench } from "../bench/serialization.js";
import { languages, type Language } from "../bench/serialization-result.js";
import { printFailure } from "../stack/report.js";
import { UsageError } from "../usage-error.js";
import type { Command } from "./command.js";

const usage = `Usage: ./polyglot bench serialization [--quick] [--language java|go|python|typescript]... [--json]

Encodes and decodes the test vectors' messages with protobuf, JSON and Avro in Java (JMH), Go (go test -bench),
Python (pytest-benchmark) and TypeScript (tinybench); prints ns/op and bytes per language, message and format, and
whether "Protocol Buffers: fastest" holds in each language. About 5 minutes on 2 cores.
  --quick       a build check: every benchmark runs barely (figures mean nothing)
  --language    only this language (repeatable)
  --json        the result as JSON on stdout (progress goes to stderr)`;

export const bench: Command = {
  summary: "measure: `bench serialization` compares protobuf, JSON and Avro in the four languages",
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { quick: { type: "boolean" }, language: { type: "string", multiple: true }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (positionals.length !== 1 || positionals[0] !== "serialization") throw new UsageError(`expected \`bench serialization\`\n\n${usage}`);
    const chosen = values.language ?? [...languages];
    const unknown = chosen.filter((l) => !(languages as readonly string[]).includes(l));
    if (unknown.length > 0) throw new UsageError(`unknown language ${unknown.join(", ")}: choose from ${languages.join(", ")}`);
    const progress = (line: string): void => {
      (values.json ? console.error : console.log)(line);
    };
    try {
      const result = await runSerializationBench(ctx, progress, { quick: values.quick ?? false, languages: chosen as Language[] });
      console.log(values.json ? JSON.stringify(result, null, 2) : `\n${renderSerializationTable(result)}`);
      return 0;
    } catch (error: unknown) {
      await printFailure(error, ctx.root);
      return 1;
    }
  },
};
