// The Vue host: `npx vite --config demo/vue/vite.config.mjs`. Vue's compiler is told that tags
// starting with rollcall- are custom elements (not Vue components).

import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import { rollcallElements } from "../vite.frameworks.mjs";

export default defineConfig({
  root: import.meta.dirname,
  resolve: { alias: [rollcallElements] },
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith("rollcall-") } } })],
});
