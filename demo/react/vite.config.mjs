// The React host: `npx vite --config demo/react/vite.config.mjs` (JSX through vite's own transform).

import { defineConfig } from "vite";
import { rollcallElements } from "../vite.frameworks.mjs";

export default defineConfig({
  root: import.meta.dirname,
  resolve: { alias: [rollcallElements] },
  oxc: { jsx: { runtime: "automatic" } },
});
