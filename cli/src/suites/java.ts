// The Java suites of user-service, run by Maven; the test command sums their Surefire/Failsafe XML.
//   java             - unit tests: web slice, mapping, outbox and relay, an embedded KRaft broker,
//                      and the shared protobuf vectors (mvn test)
//   java-integration - the packaged jar as a real process against the run's broker: records read
//                      back exactly, kill -9 between commit and publication, a broker outage (mvn verify)
import { copyFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type { Suite, SuiteRun } from "./suite.js";

async function runMaven(root: string, reportDir: string, args: readonly string[], reportsFolder: string): Promise<SuiteRun> {
  const cwd = path.join(root, "services", "user-service");
  const reportsDir = path.join(cwd, "target", reportsFolder);
  // A report left by an earlier run of a since-deleted test class must not be counted.
  await rm(reportsDir, { recursive: true, force: true });
  const { exitCode } = await execa("mvn", ["-B", "--no-transfer-progress", ...args], { cwd, stdio: "inherit", reject: false });
  const files = await readdir(reportsDir).catch(() => [] as string[]);
  const reports: string[] = [];
  for (const file of files.filter((f) => f.startsWith("TEST-") && f.endsWith(".xml"))) {
    const target = path.join(reportDir, file);
    await copyFile(path.join(reportsDir, file), target);
    reports.push(target);
  }
  return { exitCode: exitCode ?? 1, reports };
}

export const javaSuite: Suite = {
  name: "java",
  summary: "user-service unit tests and the Java vector test (JUnit 5, Maven)",
  run: (ctx, reportDir) => runMaven(ctx.root, reportDir, ["test"], "surefire-reports"),
};

export const javaIntegrationSuite: Suite = {
  name: "java-integration",
  summary: "user-service as a process on a real broker: exact records, kill -9, broker outage (JUnit 5, Maven)",
  needs: "broker",
  run: (ctx, reportDir) => runMaven(ctx.root, reportDir, ["verify", "-DskipUnitTests=true"], "failsafe-reports"),
};
