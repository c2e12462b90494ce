// Fails the build when a chunk of the widget grows past its budget, or when what a public page
// with <rollcall-join> downloads does: the loader and every chunk the join chunk imports
// statically (French is not among them). Sizes are gzip -9, what the network carries.
// Reads the built files in public/widget/; run after `vite build` (npm run build:widget does).

import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const dir = new URL("../public/widget/", import.meta.url);

/**
 * widget/budgets.json: each chunk's budget in bytes gzip -9, by its name without the content hash,
 * and the join page's total (12 kB, SPEC part two). The end-to-end test reads the same file.
 */
const { chunks: BUDGETS, joinPage: JOIN_PAGE } = JSON.parse(readFileSync(new URL("../widget/budgets.json", import.meta.url), "utf8"));

let files;
try {
  files = readdirSync(dir).filter((f) => f.endsWith(".js"));
} catch {
  console.error("public/widget/ is missing: run `npm run build:widget` first.");
  process.exit(1);
}

const chunks = new Map(
  files.map((file) => {
    const source = readFileSync(new URL(file, dir));
    const text = source.toString("utf8");
    const imports = [...text.matchAll(/(?:\bfrom|\bimport)\s*["'`]\.\/([^"'`]+\.js)["'`]/g)].map((m) => m[1]);
    return [file, { raw: source.length, gzip: gzipSync(source, { level: 9 }).length, imports }];
  }),
);

/** @param {string} file */
const nameOf = (file) => file.replace(/-[\w-]{8}\.js$/, "").replace(/\.js$/, "");
const failures = [];
const rows = [];
for (const [file, chunk] of [...chunks].sort(([a], [b]) => a.localeCompare(b))) {
  const budget = BUDGETS[nameOf(file)];
  if (budget === undefined) failures.push(`${file} has no budget: add one to widget/budgets.json`);
  else if (chunk.gzip > budget) failures.push(`${file} is ${chunk.gzip - budget} bytes over its budget`);
  rows.push([file, chunk.raw, chunk.gzip, budget ?? "none"]);
}

/**
 * A file and everything it imports statically (what the browser fetches before the element runs).
 * @param {string} file
 * @param {Set<string>} [seen]
 * @returns {Set<string>}
 */
function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const dep of chunks.get(file)?.imports ?? []) closure(dep, seen);
  return seen;
}
const join = files.find((f) => nameOf(f) === "join");
if (!join) failures.push("no join chunk in public/widget/");
const page = new Set(["rollcall.js", ...(join ? closure(join) : [])]);
const total = [...page].reduce((sum, f) => sum + (chunks.get(f)?.gzip ?? 0), 0);
if (total > JOIN_PAGE) failures.push(`the join page is ${total - JOIN_PAGE} bytes over its budget`);

/** @param {string | number} v @param {number} n */
const pad = (v, n) => String(v).padStart(n);
console.log(`${"chunk".padEnd(28)}${pad("raw", 8)}${pad("gzip -9", 9)}${pad("budget", 8)}`);
for (const [file, raw, gzip, budget] of rows) console.log(`${file.padEnd(28)}${pad(raw, 8)}${pad(gzip, 9)}${pad(budget, 8)}`);
console.log(`join page (${[...page].join(" + ")}): ${total} bytes gzip -9, budget ${JOIN_PAGE}`);
for (const failure of failures) console.error(failure);
process.exit(failures.length ? 1 : 0);
