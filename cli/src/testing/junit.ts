// Counts test cases in JUnit XML reports, the one format that every runner here can write
// (vitest, Maven Surefire, pytest, gotestsum), so the suites' counts can be summed.
import { readFile } from "node:fs/promises";
import { XMLParser } from "fast-xml-parser";

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface FailedCase {
  readonly suite: string;
  readonly name: string;
}

export interface ReportSummary extends Counts {
  readonly failures: FailedCase[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => name === "testsuite" || name === "testcase",
});

type Node = Record<string, unknown>;

function asNodes(value: unknown): Node[] {
  return Array.isArray(value) ? (value as Node[]) : [];
}

function collect(node: Node, summary: ReportSummary, suiteName: string): void {
  for (const testcase of asNodes(node.testcase)) {
    if ("failure" in testcase || "error" in testcase) {
      summary.failed += 1;
      summary.failures.push({ suite: String(testcase.classname ?? suiteName), name: String(testcase.name ?? "?") });
    } else if ("skipped" in testcase) {
      summary.skipped += 1;
    } else {
      summary.passed += 1;
    }
  }
  for (const child of asNodes(node.testsuite)) collect(child, summary, String(child.name ?? suiteName));
}

/** Parses one JUnit XML document (root `testsuites` or a single `testsuite`). */
export function summarizeJUnit(xml: string): ReportSummary {
  const summary: ReportSummary = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const doc = parser.parse(xml) as Node;
  const root = (doc.testsuites as Node | undefined) ?? { testsuite: doc.testsuite };
  collect(root, summary, "");
  return summary;
}

/** Sums the reports at the given paths. */
export async function summarizeReports(paths: readonly string[]): Promise<ReportSummary> {
  const total: ReportSummary = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const file of paths) {
    const one = summarizeJUnit(await readFile(file, "utf8"));
    total.passed += one.passed;
    total.failed += one.failed;
    total.skipped += one.skipped;
    total.failures.push(...one.failures);
  }
  return total;
}
