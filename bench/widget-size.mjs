// The size a page pays for the widget: what a public page with <rollcall-join> downloads (the
// loader, the join chunk and the shared chunk), and each provider element's own chunk, gzip -9.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "../scripts/dev-server.mjs";
import { widgetSizes } from "../scripts/widget-sizes.mjs";

export const title = "Widget size";

const DIR = join(PROJECT_ROOT, "public", "widget");

/** @param {import("./run.mjs").BenchContext} ctx */
export async function run(ctx) {
  if (!existsSync(join(DIR, "rollcall.js"))) {
    ctx.print("    public/widget/ is not built (npm run build:widget); skipped");
    return [];
  }
  const { chunks, joinPage } = widgetSizes(pathToFileURL(`${DIR}/`));
  if (joinPage) ctx.print(`    public page with <rollcall-join>: ${joinPage.gzip} bytes gzip -9 (${joinPage.files.join(" + ")})`);
  for (const name of ["roster", "invite"]) {
    const chunk = chunks.find((c) => c.name === name);
    if (chunk) ctx.print(`    <rollcall-${name}> chunk: ${chunk.gzip} bytes gzip -9`);
  }
  return [];
}
