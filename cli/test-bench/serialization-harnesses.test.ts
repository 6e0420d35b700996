// Each harness of `./polyglot bench serialization` builds and runs a quick pass, and its
// results file covers every message of bench/serialization/messages.json in every format, so
// the harnesses cannot rot. No figure is judged: a quick pass measures nothing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { runSerializationBench } from "../src/bench/serialization.js";
import { formats, languages } from "../src/bench/serialization-result.js";
import type { Context } from "../src/context.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const ctx: Context = { root, stateDir: process.env.POLYGLOT_STATE_DIR ?? path.join(root, ".polyglot"), ci: process.env.CI === "true" };
const listed = (JSON.parse(readFileSync(path.join(root, "bench", "serialization", "messages.json"), "utf8")) as { messages: string[] }).messages;

test.each(languages)("the %s harness builds, runs a quick pass and covers every message in every format", async (language) => {
  const result = await runSerializationBench(ctx, (line) => console.log(line), { quick: true, languages: [language] });
  expect(result.quick).toBe(true);
  const [only] = result.languages;
  expect(only?.language).toBe(language);
  // JMH forks per benchmark, so the Java quick pass takes the first message only.
  const messages = language === "java" ? listed.slice(0, 1) : listed;
  const covered = new Set(only?.figures.map((f) => `${f.message} ${f.format}`));
  expect([...covered].sort()).toEqual(messages.flatMap((m) => formats.map((f) => `${m} ${f}`)).sort());
  for (const f of only?.figures ?? []) expect(f.bytes, `${f.message} ${f.library}`).toBeGreaterThan(0);
});
