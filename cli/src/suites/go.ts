// The Go suite: order-service's unit tests, kfake consumer tests and the shared-vector test,
// run by `go test` through gotestsum (pinned as a tool in services/order-service/go.mod) so
// that they leave a JUnit report. Go downloads the modules into its usual cache on first use.
import path from "node:path";
import { execa } from "execa";
import type { Suite } from "./suite.js";

export const goSuite: Suite = {
  name: "go",
  summary: "order-service: unit, kfake consumer and vector tests (go test)",
  async run(ctx, reportDir) {
    const report = path.join(reportDir, "go.xml");
    const { exitCode } = await execa(
      "go",
      ["tool", "gotestsum", "--format", ctx.ci ? "standard-quiet" : "pkgname", "--junitfile", report, "--", "./..."],
      { cwd: path.join(ctx.root, "services", "order-service"), stdio: "inherit", reject: false },
    );
    return { exitCode: exitCode ?? 1, reports: [report] };
  },
};
