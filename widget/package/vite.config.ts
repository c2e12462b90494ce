// Builds the npm package @rollcall/elements into packages/elements/dist/: one ES module per entry
// (index, define, join, sessions, invite, roster), the code they share and what loads on demand
// (French, problem messages, the form) as chunks beside them. Lit stays an import (a peer
// dependency: the site's bundler brings one copy for every Lit element of the page). Readable
// output (the site's bundler minifies); templates are minified as the script build's are.

import path from "node:path";
import { defineConfig } from "vite";
import { minifyLitTemplates } from "../build/minify-templates.ts";

const root = path.resolve(import.meta.dirname, "../..");
const widget = (file: string) => path.join(root, "widget", file);

export default defineConfig({
  root,
  publicDir: false,
  logLevel: "warn",
  build: {
    outDir: path.join(root, "packages/elements/dist"),
    emptyOutDir: true,
    target: "es2022",
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: {
        index: widget("package/index.ts"),
        define: widget("package/define.ts"),
        join: widget("join/define.ts"),
        sessions: widget("sessions/define.ts"),
        invite: widget("invite/define.ts"),
        roster: widget("roster/define.ts"),
      },
      formats: ["es"],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      external: [/^lit(\/|$)/, /^@lit\//, /^lit-html(\/|$)/, /^lit-element(\/|$)/],
      output: { chunkFileNames: "chunks/[name]-[hash].js" },
    },
  },
  plugins: [minifyLitTemplates()],
});
