// What the built widget weighs: each file in public/widget/ raw and gzip -9 (what the network
// carries), its static imports, and what a public page with <rollcall-join> downloads (the loader
// and everything the join chunk imports statically). Read by the build's budget check
// (check-widget-budgets.mjs) and by the benchmark (bench/widget-size.mjs).

import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

/** @typedef {{ file: string; name: string; raw: number; gzip: number; imports: string[] }} Chunk */

/** A built file's name without its content hash: `join-CKr3fMIO.js` → `join`. @param {string} file */
export const chunkName = (file) => file.replace(/-[\w-]{8}\.js$/, "").replace(/\.js$/, "");

/**
 * @param {URL} dir the folder of the built widget
 * @returns {{ chunks: Chunk[]; joinPage: { files: string[]; gzip: number } | null }}
 */
export function widgetSizes(dir) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .sort();
  /** @type {Map<string, Chunk>} */
  const chunks = new Map();
  for (const file of files) {
    const source = readFileSync(new URL(file, dir));
    const imports = [...source.toString("utf8").matchAll(/(?:\bfrom|\bimport)\s*["'`]\.\/([^"'`]+\.js)["'`]/g)].map((m) => m[1] ?? "");
    chunks.set(file, { file, name: chunkName(file), raw: source.length, gzip: gzipSync(source, { level: 9 }).length, imports });
  }
  /** @param {string} file @param {Set<string>} seen @returns {Set<string>} */
  const closure = (file, seen) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const dep of chunks.get(file)?.imports ?? []) closure(dep, seen);
    return seen;
  };
  const join = files.find((f) => chunkName(f) === "join");
  const page = join ? [...closure(join, new Set(["rollcall.js"]))] : null;
  return {
    chunks: [...chunks.values()],
    joinPage: page ? { files: page, gzip: page.reduce((sum, f) => sum + (chunks.get(f)?.gzip ?? 0), 0) } : null,
  };
}
