// Part of `npm run check:generated`: one version number for the package, the API and the
// changelog (and the npm package packages/elements, released with it). package.json's `version` must be the newest release in CHANGELOG.md (the first
// "## [x.y.z]" heading after Unreleased) and the committed openapi.json's `info.version` (the
// worker reads it from package.json; test/worker/openapi.test.ts checks the served document).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** @param {string} file */
const read = (file) => readFileSync(join(ROOT, file), "utf8");

const { version } = JSON.parse(read("package.json"));
const released = read("CHANGELOG.md").match(/^## \[(\d+\.\d+\.\d+[^\]]*)\]/m)?.[1];
const documented = JSON.parse(read("openapi.json")).info?.version;
const elements = JSON.parse(read("packages/elements/package.json")).version;

const problems = [
  released !== version && `CHANGELOG.md's newest release is ${released ?? "(none)"}, package.json says ${version}.`,
  elements !== version && `packages/elements/package.json says ${elements}, package.json says ${version}.`,
  documented !== version && `openapi.json's info.version is ${documented}, package.json says ${version}: run \`npm run openapi\`.`,
].filter(Boolean);
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`package.json, packages/elements, CHANGELOG.md and openapi.json agree on version ${version}.`);
