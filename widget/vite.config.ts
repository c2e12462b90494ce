// Builds the embeddable widget into public/widget/, served by the worker's static assets at /widget/:
// rollcall.js, the small loader a site embeds, and beside it one fully minified ES module per
// element (join-…, invite-…, roster-…) plus the code they share (lit-…, shared-…), each with a
// content hash in its name so it can be cached for good. Also copies the demo site to public/demo/.

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
    rolldownOptions: {
      output: {
        minify: true,
        // Element chunks are named after their element (every one is a define.ts).
        chunkFileNames: (chunk) => {
          const element = /\/widget\/(\w+)\/define\.ts$/.exec(chunk.facadeModuleId ?? "")?.[1];
          return `${element ?? "[name]"}-[hash].js`;
        },
        codeSplitting: {
          groups: [
            // Lit changes with its version only: its own chunk stays cached across our releases.
            { name: "lit", test: /node_modules[\\/](lit|lit-html|lit-element|@lit)[\\/]/ },
            // What the join element shares with the others (base class, API client, theme, fields,
            // shared English words, the vocabularies and the address rule it takes from the worker):
            // one chunk, rather than a few tiny ones that each cost a request and compress worse.
            {
              name: "shared",
              test: /\/(widget\/(shared\/\w+|api\/(client|origin)|i18n\/(en|localize))|worker\/(\w+\/statuses|recipients\/address))\.ts$/,
            },
          ],
        },
      },
    },
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
