import { describe, expect, it } from "vitest";
import { routeTemplate } from "../../src/http/server.js";
import { typeLabel } from "../../src/telemetry/prometheus.js";

describe("metric labels stay a bounded set", () => {
  it("names routes by template, never by raw path", () => {
    expect(routeTemplate("/metrics")).toBe("/metrics");
    expect(routeTemplate("/api/chains/corr-123")).toBe("/api/chains/{correlationId}");
    expect(routeTemplate("/dashboard/assets/index-abc.js")).toBe("/dashboard/{file}");
    expect(routeTemplate("/api/admin/signup")).toBe("/api/admin/signup");
    expect(routeTemplate("/api/admin/whatever")).toBe("unknown");
    expect(routeTemplate("/wp-login.php")).toBe("unknown");
  });

  it("keeps known ce_types and calls the rest unknown", () => {
    expect(typeLabel("polyglot.events.v1.OrderCreatedEvent")).toBe("polyglot.events.v1.OrderCreatedEvent");
    expect(typeLabel("polyglot.events.v1.AnalyticsUpdate")).toBe("polyglot.events.v1.AnalyticsUpdate");
    expect(typeLabel("x".repeat(100))).toBe("unknown");
    expect(typeLabel(undefined)).toBe("unknown");
  });
});
