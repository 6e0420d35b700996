// Hand-made results for the serialization tests: small numbers that make the fastest obvious.
import type { Figures, LanguageResult, SerializationResult } from "../../src/bench/serialization-result.js";

export const figures = (message: string, format: Figures["format"], library: string, encodeNs: number, decodeNs: number, bytes: number): Figures => ({
  message: `polyglot.events.v1.${message}`,
  format,
  library,
  encodeNs,
  decodeNs,
  bytes,
});

export const language = (lang: LanguageResult["language"], rows: readonly Figures[]): LanguageResult => ({
  language: lang,
  runtime: `${lang} runtime`,
  harness: `${lang} harness`,
  settings: "short settings",
  figures: rows,
  seconds: 12.4,
});

export const result = (languages: readonly LanguageResult[], quick = false): SerializationResult => ({
  startedAt: "2026-12-03T08:30:00.000Z",
  seconds: 250.2,
  command: "./polyglot bench serialization",
  quick,
  machine: { cores: 2, memoryGiB: 24, loadAverage: [1.25, 0.5, 0.25] },
  languages,
});
