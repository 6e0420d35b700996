// The Java suite: user-service's JUnit 5 tests (web slice, mapping, an embedded KRaft broker,
// and the shared protobuf vectors) through Maven, whose Surefire XML is what the test command sums.
import { copyFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type { Suite } from "./suite.js";

export const javaSuite: Suite = {
  name: "java",
  summary: "user-service unit tests and the Java vector test (JUnit 5, Maven)",
  async run(ctx, reportDir) {
    const cwd = path.join(ctx.root, "services", "user-service");
    const surefire = path.join(cwd, "target", "surefire-reports");
    // A report left by an earlier run of a since-deleted test class must not be counted.
    await rm(surefire, { recursive: true, force: true });
    const { exitCode } = await execa("mvn", ["-B", "--no-transfer-progress", "test"], {
      cwd,
      stdio: "inherit",
      reject: false,
    });
    const files = await readdir(surefire).catch(() => [] as string[]);
    const reports: string[] = [];
    for (const file of files.filter((f) => f.startsWith("TEST-") && f.endsWith(".xml"))) {
      const target = path.join(reportDir, file);
      await copyFile(path.join(surefire, file), target);
      reports.push(target);
    }
    return { exitCode: exitCode ?? 1, reports };
  },
};
