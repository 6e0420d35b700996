import { describe, expect, it } from "vitest";
import { summarizeJUnit } from "../src/testing/junit.js";
import { judge } from "../src/commands/test.js";

describe("summarizeJUnit", () => {
  it("counts passed, failed, errored and skipped cases in nested suites", () => {
    const xml = `<?xml version="1.0"?>
      <testsuites>
        <testsuite name="a">
          <testcase classname="a" name="one"/>
          <testcase classname="a" name="two"><failure message="boom"/></testcase>
          <testsuite name="nested"><testcase classname="n" name="three"><skipped/></testcase></testsuite>
        </testsuite>
        <testsuite name="b"><testcase classname="b" name="four"><error/></testcase></testsuite>
      </testsuites>`;
    const s = summarizeJUnit(xml);
    expect(s).toMatchObject({ passed: 1, failed: 2, skipped: 1 });
    expect(s.failures.map((f) => f.name)).toEqual(["two", "four"]);
  });

  it("reads a single testsuite root as Maven Surefire writes it", () => {
    const xml = `<testsuite name="dev.polyglot.FooTest" tests="2"><testcase name="x"/><testcase name="y"/></testsuite>`;
    expect(summarizeJUnit(xml)).toMatchObject({ passed: 2, failed: 0, skipped: 0 });
  });
});

describe("judge", () => {
  const clean = { passed: 3, failed: 0, skipped: 0, failures: [] };

  it("keeps the counts of a clean run", () => {
    expect(judge(0, clean).summary.failed).toBe(0);
  });

  it("counts a non-zero exit without failing cases as one failure", () => {
    expect(judge(1, clean)).toMatchObject({ summary: { failed: 1 }, note: expect.stringContaining("exited 1") });
  });

  it("counts a suite that ran no test as one failure", () => {
    expect(judge(0, { passed: 0, failed: 0, skipped: 0, failures: [] }).summary.failed).toBe(1);
  });
});
