// Builds Mailpit's web UI (server/ui/dist/) in a writable copy of its module source, before
// `go build` embeds it: the same esbuild settings as the module's own esbuild.config.mjs, for
// the app only. The module's second entry, the API docs page (docs.js), needs rapidoc 12, which
// the npm registry reachable here does not serve, so that one page is left out; the mailbox UI
// and the JSON API are whole. Run with the build copy as the working directory, after `npm install`.
import * as esbuild from "esbuild";
import pluginVue from "esbuild-plugin-vue-next";
import { sassPlugin } from "esbuild-sass-plugin";

await esbuild.build({
  entryPoints: ["server/ui-src/app.js"],
  bundle: true,
  minify: true,
  sourcemap: false,
  define: {
    __VUE_OPTIONS_API__: "true",
    __VUE_PROD_DEVTOOLS__: "false",
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
  },
  outdir: "server/ui/dist/",
  plugins: [pluginVue(), sassPlugin({ silenceDeprecations: ["import"], quietDeps: true })],
  loader: { ".svg": "file", ".woff": "file", ".woff2": "file" },
  logLevel: "warning",
});
