// Puts the API reference's renderer (Scalar's standalone bundle, from the locked npm package) into
// the static assets, so /v1/docs loads it from this origin: `npm run build` and the local server
// (scripts/dev-server.mjs) run it. public/api-reference/ is a build output, not committed.
//
//   copyApiReference() → the file written (public/api-reference/standalone.js)

import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCE = join(ROOT, "node_modules", "@scalar", "api-reference", "dist", "browser", "standalone.js");
/** Where worker/docs/routes.tsx (API_REFERENCE_SCRIPT) expects it. */
const TARGET = join(ROOT, "public", "api-reference", "standalone.js");

export function copyApiReference() {
  mkdirSync(join(TARGET, ".."), { recursive: true });
  copyFileSync(SOURCE, TARGET);
  return TARGET;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`API reference renderer copied to ${copyApiReference()}.`);
}
