// What the three framework hosts (demo/react, demo/vue, demo/svelte) share in their vite configs:
// @rollcall/elements resolves to the package as built here (npm run build:package), as it would
// from node_modules once installed.

import { fileURLToPath } from "node:url";

/** `@rollcall/elements` and `@rollcall/elements/<entry>` to packages/elements/dist/. */
export const rollcallElements = {
  find: /^@rollcall\/elements/,
  replacement: fileURLToPath(new URL("../packages/elements/dist", import.meta.url)),
};
