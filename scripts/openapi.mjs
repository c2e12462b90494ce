// `npm run openapi`: writes openapi.json, the OpenAPI document the running worker serves at
// /v1/openapi.json (generated from the routes' zod schemas), pretty-printed with its keys in the
// order served. `node scripts/openapi.mjs --check` (part of `npm run verify`) writes nothing: it
// fails on the first difference, so the committed document cannot drift from the code.

import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, PROJECT_ROOT, startDevServer } from "./dev-server.mjs";

const FILE = join(PROJECT_ROOT, "openapi.json");
const STATE_DIR = join(PROJECT_ROOT, ".wrangler", `openapi-state-${process.pid}`);

const served = await servedDocument();
if (!process.argv.includes("--check")) {
  writeFileSync(FILE, served);
  console.log(`openapi.json written (${Buffer.byteLength(served)} bytes).`);
} else {
  const committed = existsSync(FILE) ? readFileSync(FILE, "utf8") : "";
  const difference = firstDifference(committed, served);
  if (difference) {
    console.error(`openapi.json differs from the document the worker serves, first at line ${difference.line}:`);
    console.error(`  committed: ${difference.committed}`);
    console.error(`  served:    ${difference.served}`);
    console.error("Run `npm run openapi` and commit openapi.json.");
    process.exit(1);
  }
  console.log("openapi.json matches the document the worker serves.");
}

/** The served document as the file holds it: two-space indentation, a final newline. */
async function servedDocument() {
  const server = await startDevServer({ port: await freePort(), stateDir: STATE_DIR });
  try {
    const response = await fetch(`${server.url}/v1/openapi.json`);
    if (!response.ok) throw new Error(`GET /v1/openapi.json answered ${response.status}: ${await response.text()}`);
    return `${JSON.stringify(await response.json(), null, 2)}\n`;
  } finally {
    await server.stop();
    rmSync(STATE_DIR, { recursive: true, force: true });
  }
}

/**
 * The first line where the two texts part, or null when they are the same.
 * @param {string} committed @param {string} served
 */
function firstDifference(committed, served) {
  if (committed === served) return null;
  const a = committed.split("\n");
  const b = served.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return { line: i + 1, committed: a[i]?.trim() ?? "(end of file)", served: b[i]?.trim() ?? "(end of file)" };
}
