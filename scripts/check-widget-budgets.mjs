// Fails the build when a chunk of the widget grows past its budget, or when what a public page
// with <rollcall-join> downloads does (the loader and every chunk the join chunk imports
// statically; French is not among them), or when a chunk meant to load on demand (the invite
// modal's participant picker) is imported statically by another. Sizes are gzip -9, what the
// network carries.
// Reads the built files in public/widget/; run after `vite build` (npm run build:widget does).

import { existsSync, readFileSync } from "node:fs";
import { widgetSizes } from "./widget-sizes.mjs";

const dir = new URL("../public/widget/", import.meta.url);

/**
 * widget/budgets.json: each chunk's budget in bytes gzip -9, by its name without the content hash,
 * the join page's total (12 kB, SPEC part two), and the chunks only ever imported with import().
 * The end-to-end test reads the same file.
 * @type {{ chunks: Record<string, number>; joinPage: number; lazy?: string[] }}
 */
const budgets = JSON.parse(readFileSync(new URL("../widget/budgets.json", import.meta.url), "utf8"));

if (!existsSync(dir)) {
  console.error("public/widget/ is missing: run `npm run build:widget` first.");
  process.exit(1);
}
const { chunks, joinPage } = widgetSizes(dir);
const failures = [];
/** @param {string | number} v @param {number} n */
const pad = (v, n) => String(v).padStart(n);
console.log(`${"chunk".padEnd(28)}${pad("raw", 8)}${pad("gzip -9", 9)}${pad("budget", 8)}`);
for (const chunk of chunks) {
  const budget = budgets.chunks[chunk.name];
  if (budget === undefined) failures.push(`${chunk.file} has no budget: add one to widget/budgets.json`);
  else if (chunk.gzip > budget) failures.push(`${chunk.file} is ${chunk.gzip - budget} bytes over its budget`);
  console.log(`${chunk.file.padEnd(28)}${pad(chunk.raw, 8)}${pad(chunk.gzip, 9)}${pad(budget ?? "none", 8)}`);
}
if (!joinPage) failures.push("no join chunk in public/widget/");
else {
  console.log(`join page (${joinPage.files.join(" + ")}): ${joinPage.gzip} bytes gzip -9, budget ${budgets.joinPage}`);
  if (joinPage.gzip > budgets.joinPage) failures.push(`the join page is ${joinPage.gzip - budgets.joinPage} bytes over its budget`);
}
for (const name of budgets.lazy ?? []) {
  const lazy = chunks.find((c) => c.name === name);
  if (!lazy) failures.push(`no ${name} chunk in public/widget/: it should be a chunk of its own`);
  else
    for (const chunk of chunks)
      if (chunk.imports.includes(lazy.file)) failures.push(`${chunk.file} imports ${lazy.file} statically: it should load on demand`);
}
for (const failure of failures) console.error(failure);
process.exit(failures.length ? 1 : 0);
