// The size a page pays for the widget: public/widget/rollcall.js, raw and gzip -9.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { PROJECT_ROOT } from "../scripts/dev-server.mjs";

export const title = "Widget bundle size";

const BUNDLE = join(PROJECT_ROOT, "public", "widget", "rollcall.js");

/** @param {import("./run.mjs").BenchContext} ctx */
export async function run(ctx) {
  if (!existsSync(BUNDLE)) {
    ctx.print("    public/widget/rollcall.js is not built (npm run build:widget); skipped");
    return [];
  }
  const bytes = readFileSync(BUNDLE);
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  ctx.print(`    public/widget/rollcall.js: ${bytes.length} bytes raw, ${gzipped} bytes gzip -9 (${(gzipped / 1024).toFixed(1)} KiB)`);
  return [];
}
