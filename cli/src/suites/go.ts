// The Go suites of order-service, run by `go test` through gotestsum (pinned as a tool in
// services/order-service/go.mod) so that they leave a JUnit report. Go downloads the modules
// into its usual cache on first use.
//   go             - unit tests, kfake consumer tests and the shared-vector test, and the
//                    tests of the stack's log writer (infra/logwriter)
//   go-integration - the service's consumer, producer and HTTP API against the real broker
//                    (build tag `integration`), reading back the exact records it wrote
import path from "node:path";
import { execa } from "execa";
import type { Context } from "../context.js";
import type { Suite, SuiteRun } from "./suite.js";

const orderServiceDir = (root: string): string => path.join(root, "services", "order-service");

/** `go test goTestArgs` in module `dir`, with gotestsum from order-service's go.mod. */
async function gotestsum(ctx: Context, report: string, goTestArgs: readonly string[], dir = orderServiceDir(ctx.root)): Promise<SuiteRun> {
  const { exitCode } = await execa(
    "go",
    ["tool", `-modfile=${path.join(orderServiceDir(ctx.root), "go.mod")}`, "gotestsum", "--format", ctx.ci ? "standard-quiet" : "pkgname", "--junitfile", report, "--", ...goTestArgs],
    { cwd: dir, stdio: "inherit", reject: false },
  );
  return { exitCode: exitCode ?? 1, reports: [report] };
}

/** gotestsum passes what follows `--` to `go test`: the suite is `go test` with these arguments. */
const goCommand = (args: readonly string[]): string => ["cd services/order-service && go test", ...args].join(" ");

const unitArgs = ["./..."];
const integrationArgs = ["-tags", "integration", "-count=1", "-run", "^TestBroker", "./internal/kafka/"];

export const goSuite: Suite = {
  name: "go",
  summary: "order-service: unit, kfake consumer and vector tests (go test)",
  commands: [goCommand(unitArgs), "cd infra/logwriter && go test ./..."],
  async run(ctx, reportDir) {
    const service = await gotestsum(ctx, path.join(reportDir, "go.xml"), unitArgs);
    const logWriter = await gotestsum(ctx, path.join(reportDir, "go-logwriter.xml"), unitArgs, path.join(ctx.root, "infra", "logwriter"));
    return { exitCode: service.exitCode !== 0 ? service.exitCode : logWriter.exitCode, reports: [...service.reports, ...logWriter.reports] };
  },
};

export const goIntegrationSuite: Suite = {
  name: "go-integration",
  summary: "order-service against the real broker: the records it writes, read back (go test)",
  needs: "broker",
  commands: [goCommand(integrationArgs)],
  run: (ctx, reportDir) => gotestsum(ctx, path.join(reportDir, "go-integration.xml"), integrationArgs),
};
