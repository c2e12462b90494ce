// Fails when the built widget grows past its budget: what a visitor downloads is
// public/widget/rollcall.js compressed (gzip -9). Run after `npm run build:widget`.

import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const LIMIT = 20_480;
const file = new URL("../public/widget/rollcall.js", import.meta.url);

let source;
try {
  source = readFileSync(file);
} catch {
  console.error("public/widget/rollcall.js is missing: run `npm run build:widget` first.");
  process.exit(1);
}
const gzipped = gzipSync(source, { level: 9 }).length;
console.log(`widget: ${source.length} bytes, ${gzipped} bytes gzip -9 (limit ${LIMIT})`);
if (gzipped > LIMIT) {
  console.error(`The widget is ${gzipped - LIMIT} bytes over its budget.`);
  process.exit(1);
}
