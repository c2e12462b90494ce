// `npm run check:engines` (part of `npm run verify`): every locked package runs on the oldest Node
// that package.json's `engines` admits, so a fresh `npm ci` prints no engine warning and the
// README's "Needs Node.js" line is true. A dependency upgrade that drops that Node fails here.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { PROJECT_ROOT } from "./dev-server.mjs";

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, "package-lock.json"), "utf8"));
const oldest = semver.minVersion(manifest.engines.node);
if (!oldest) throw new Error(`package.json engines.node (${manifest.engines.node}) admits no version`);

const refusing = Object.entries(lock.packages)
  // npm skips an optional package whose engines refuse the running Node, quietly and harmlessly.
  .filter(([path, pkg]) => path !== "" && !pkg.optional && typeof pkg.engines?.node === "string")
  .filter(([, pkg]) => !semver.satisfies(oldest, pkg.engines.node))
  .map(([path, pkg]) => `  ${path.replace(/^.*node_modules\//, "")}@${pkg.version} needs Node ${pkg.engines.node}`);

if (refusing.length) {
  console.error(`package.json admits Node ${oldest}, which these locked packages refuse:\n${refusing.join("\n")}`);
  console.error("Pin versions that run on it, or raise engines.node and the README's Node line together.");
  process.exit(1);
}
console.log(`Every locked package runs on Node ${oldest} (package.json engines: ${manifest.engines.node}).`);
