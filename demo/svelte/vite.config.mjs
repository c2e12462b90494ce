// The Svelte host: `npx vite --config demo/svelte/vite.config.mjs`.

import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";
import { rollcallElements } from "../vite.frameworks.mjs";

export default defineConfig({
  root: import.meta.dirname,
  resolve: { alias: [rollcallElements] },
  plugins: [svelte({ configFile: false })],
});
