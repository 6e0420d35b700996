// Prometheus comes from Debian's `prometheus` package (the binaries prometheus and promtool).
// The stack runs its own `prometheus` process with the project's configuration, so the system
// service that the package registers must not hold the port.
import { existsSync } from "node:fs";
import { execa } from "execa";
import type { StackContext } from "../component.js";
import { StackError } from "../stack-error.js";

export const prometheusBinary = "/usr/bin/prometheus";
export const promtoolBinary = "/usr/bin/promtool";

export function prometheusInstalled(): boolean {
  return existsSync(prometheusBinary) && existsSync(promtoolBinary);
}

/** Installs Debian's `prometheus` package when prometheus or promtool is missing. */
export async function ensurePrometheus(ctx: Pick<StackContext, "progress" | "exec">): Promise<void> {
  if (prometheusInstalled()) return;
  const manual = "apt-get update && apt-get install -y --no-install-recommends prometheus";
  if (!existsSync("/usr/bin/apt-get")) {
    throw new StackError("Prometheus is not installed and this is not a Debian-like system (no apt-get)", `install Prometheus 2.x so that ${prometheusBinary} and ${promtoolBinary} exist, then run the command again`);
  }
  if (process.getuid?.() !== 0) {
    throw new StackError("Prometheus is not installed, and installing it needs root", `run: sudo sh -c '${manual}', then run the command again`);
  }
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const hint = `check that Debian's package mirror is reachable, or run '${manual}' yourself, then run the command again`;
  ctx.progress.update("installing Prometheus from Debian's packages (first run only): apt-get update");
  await ctx.exec({ command: "apt-get", args: ["update", "-q"], cwd: "/", env, hint });
  ctx.progress.update("installing Prometheus from Debian's packages (first run only): apt-get install prometheus");
  // No recommends: they would add prometheus-node-exporter, another service on another port.
  await ctx.exec({ command: "apt-get", args: ["install", "-y", "-q", "--no-install-recommends", "prometheus"], cwd: "/", env, hint });
  await stopSystemService();
}

/**
 * The package's post-install starts its service where an init system allows it (systemd, or a
 * SysV script without a policy-rc.d that forbids it). That copy would listen on 9090 with the
 * default configuration, so it is stopped and kept from starting at boot.
 */
async function stopSystemService(): Promise<void> {
  if (existsSync("/run/systemd/system")) {
    await execa("systemctl", ["disable", "--now", "prometheus.service"], { reject: false });
    return;
  }
  if (existsSync("/etc/init.d/prometheus")) {
    const status = await execa("/etc/init.d/prometheus", ["status"], { reject: false });
    if (status.exitCode === 0) await execa("/etc/init.d/prometheus", ["stop"], { reject: false });
    await execa("update-rc.d", ["prometheus", "disable"], { reject: false });
  }
}
