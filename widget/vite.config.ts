// Builds the embeddable widget: one fully minified ES module, public/widget/rollcall.js, served by
// the worker's static assets at /widget/rollcall.js. Also copies the demo site to public/demo/.

import { cpSync, rmSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vite";
import { minifyLitTemplates } from "./build/minify-templates.ts";

const root = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  root,
  publicDir: false,
  build: {
    outDir: path.join(root, "public/widget"),
    emptyOutDir: true,
    target: "es2022",
    minify: true,
    sourcemap: false,
    // Library mode keeps whitespace unless the output is minified explicitly.
    rolldownOptions: { output: { minify: true } },
    reportCompressedSize: true,
    lib: {
      entry: path.join(root, "widget/rollcall.ts"),
      formats: ["es"],
      fileName: () => "rollcall.js",
    },
  },
  plugins: [
    minifyLitTemplates(),
    {
      name: "rollcall-demo",
      apply: "build",
      closeBundle() {
        const target = path.join(root, "public/demo");
        rmSync(target, { recursive: true, force: true });
        cpSync(path.join(root, "demo"), target, { recursive: true });
      },
    },
  ],
});
