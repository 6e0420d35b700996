// The dashboard is served by analytics-service under /dashboard/; `vite dev` proxies the API to it.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const service = process.env.ANALYTICS_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/dashboard/",
  build: {
    outDir: fileURLToPath(new URL("../dist/dashboard", import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      "/metrics": service,
      "/api": service,
      "/ws": { target: service.replace(/^http/, "ws"), ws: true },
    },
  },
});
