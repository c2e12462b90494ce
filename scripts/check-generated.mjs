// `npm run check:generated` (part of `npm run verify`): fails when a committed generated file is
// stale. Each generator runs in place; what it writes is compared with what was there, which is
// then put back, so a stale file keeps failing until someone regenerates it and commits.
// openapi.json has its own check (scripts/openapi.mjs --check): it needs the running worker.
//
// `wrangler types --check` is not used for the bindings: it compares only a hash in the file's
// header, and with --env-file it calls a freshly generated file out of date.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./dev-server.mjs";

const GENERATED = [
  { file: "worker/worker-configuration.d.ts", script: "types", from: "wrangler.toml and .dev.vars.example" },
  { file: "custom-elements.json", script: "analyze", from: "the elements' JSDoc headers" },
  { file: "README.md", script: "readme:elements", from: "custom-elements.json (its element reference)" },
];

let stale = 0;
for (const { file, script, from } of GENERATED) {
  const path = join(PROJECT_ROOT, file);
  const committed = existsSync(path) ? readFileSync(path, "utf8") : null;
  const run = spawnSync("npm", ["run", "--silent", script], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false" },
  });
  const generated = existsSync(path) ? readFileSync(path, "utf8") : null;
  if (committed !== null) writeFileSync(path, committed);
  if (run.status !== 0) {
    console.error(`\`npm run ${script}\` failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    stale++;
  } else if (committed !== generated) {
    console.error(`${file} is stale: it no longer matches ${from}. Run \`npm run ${script}\` and commit ${file}.`);
    console.error(firstDifference(committed ?? "", generated ?? ""));
    stale++;
  } else {
    console.log(`${file} is up to date.`);
  }
}
process.exit(stale ? 1 : 0);

/**
 * The first line where two texts part, so a stale file says what changed.
 * @param {string} before
 * @param {string} after
 */
function firstDifference(before, after) {
  const a = before.split("\n");
  const b = after.split("\n");
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `  first difference at line ${at + 1}:\n  - ${a[at] ?? "(end)"}\n  + ${b[at] ?? "(end)"}`;
}
