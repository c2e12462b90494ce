// Builds the embeddable widget into public/widget/, served by the worker's static assets at /widget/:
// rollcall.js, the small loader a site embeds, and beside it one fully minified ES module per
// element (join-…, invite-…, roster-…), the code they share (shared-…) and what loads only on
// demand (French, problem messages, the provider's token), each with a
// content hash in its name so it can be cached for good. Removes public/demo/ (the demo site,
// which scripts/dev-server.mjs copies there for a developer), so that what `npm run deploy` builds
// and uploads never holds it.

import { rmSync } from "node:fs";
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
        // Tree-shaking hints are spent once the bundle is built; licence comments stay.
        comments: { legal: true, annotation: false, jsdoc: false },
        // Element chunks are named after their element (the one whose define.ts they hold).
        chunkFileNames: (chunk) => {
          const element = chunk.moduleIds.map((id) => /\/widget\/(\w+)\/define\.ts$/.exec(id)?.[1]).find(Boolean);
          return `${element ?? "[name]"}-[hash].js`;
        },
        codeSplitting: {
          groups: [
            // What the join element shares with the others (Lit, the base class, the API client, the
            // theme, the shared English words, the vocabularies it takes from the worker): one chunk,
            // rather than several that each cost a request and compress worse. Lit is released with
            // the widget anyway, so a chunk of its own would gain no cache.
            {
              name: "shared",
              test: /(node_modules[\\/](lit|lit-html|lit-element|@lit)[\\/].*|\/(widget\/(shared\/(element|live|theme)|api\/(client|origin)|i18n\/(en|localize))|worker\/invitations\/statuses)\.ts)$/,
            },
            // What only the provider's elements share: the widget token, their extra styles, plural
            // rules and the one way dates are written.
            {
              name: "provider",
              test: /\/(widget\/(shared\/provider\.styles|api\/tokens)|worker\/(auth\/token-request|i18n\/plural|time\/(format|zoned)))\.ts$/,
            },
            // Form fields and the address rule: the invite modal's, and the join form's once it opens.
            { name: "fields", test: /\/(widget\/(shared\/field|join\/form-fields)|worker\/recipients\/address)\.ts$/ },
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
      name: "rollcall-no-demo",
      apply: "build",
      buildStart() {
        rmSync(path.join(root, "public/demo"), { recursive: true, force: true });
      },
    },
  ],
});
