// Keeps the worker's folders owning one thing each: prints which folder imports which, and fails
// when two folders reach each other (a cycle in the folder graph), when a routes file imports
// another routes file, or when anything but the ledger client (and the entry files, which export
// the ledger's class and type its binding) imports the ledger. Every kind of import counts,
// `import type` included: a type that travels both ways is a dependency both ways.
//
// Usage: node scripts/check-imports.mjs [worker folder, default worker/]

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const root = resolve(process.argv[2] ?? new URL("../worker", import.meta.url).pathname);

/** The folder a file belongs to: its first directory under the worker, "." for the top files. */
const ROOT_FOLDER = ".";

/** @param {string} dir @returns {string[]} */
function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/**
 * The code with comments blanked out, strings and template literals kept, so that an import
 * written in a comment does not count and a "//" inside a string does not hide code.
 * @param {string} text
 */
function withoutComments(text) {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const IMPORT_PATTERNS = [
  // import x from "…", import type { x } from "…", export { x } from "…", export * from "…"
  /(?:^|[;\n}])\s*(?:import|export)\s[^;"'`]*?\sfrom\s*["']([^"']+)["']/g,
  // import "…" (for its effects)
  /(?:^|[;\n}])\s*import\s*["']([^"']+)["']/g,
  // import("…"), in code or in a type position
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
];

/** @param {string} text @returns {string[]} */
function specifiers(text) {
  const code = withoutComments(text);
  return IMPORT_PATTERNS.flatMap((pattern) => [...code.matchAll(pattern)].map((m) => /** @type {string} */ (m[1])));
}

/** The file a relative specifier names, or null when it is a package or not a file of ours. @param {string} from @param {string} spec */
function resolveSpecifier(from, spec) {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(from), spec);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}.d.ts`, join(base, "index.ts"), join(base, "index.tsx")];
  if (/\.js$/.test(base)) candidates.push(base.replace(/\.js$/, ".ts"));
  return candidates.find((path) => existsSync(path) && statSync(path).isFile()) ?? null;
}

/** @param {string} file */
function folderOf(file) {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 ? /** @type {string} */ (parts[0]) : ROOT_FOLDER;
}

/** routes.ts, routes.tsx, dev-routes.ts, or anything under a routes/ folder. @param {string} file */
function isRoutesFile(file) {
  const parts = relative(root, file).split(sep);
  const name = /** @type {string} */ (parts.at(-1));
  return /(^|[-.])routes\.tsx?$/.test(name) || parts.slice(0, -1).includes("routes");
}

/** The one module through which the rest of the worker talks to a session's ledger. */
const LEDGER_FOLDER = "ledger";
const LEDGER_CLIENT = join("sessions", "ledger-client.ts");

/** @typedef {{ from: string, to: string }} FileEdge */

const files = sourceFiles(root).sort();
/** @type {Map<string, Map<string, FileEdge[]>>} folder → imported folder → the imports that make the edge */
const graph = new Map();
/** @type {FileEdge[]} */
const routesToRoutes = [];
/** @type {FileEdge[]} */
const aroundLedgerClient = [];
/** @type {string[]} */
const unresolved = [];

for (const file of files) {
  const folder = folderOf(file);
  if (!graph.has(folder)) graph.set(folder, new Map());
  for (const spec of specifiers(readFileSync(file, "utf8"))) {
    const target = resolveSpecifier(file, spec);
    if (!target) {
      if (spec.startsWith(".")) unresolved.push(`${relative(root, file)} imports "${spec}", which is no file`);
      continue;
    }
    if (!target.startsWith(root + sep)) continue;
    const edge = { from: relative(root, file), to: relative(root, target) };
    if (isRoutesFile(file) && isRoutesFile(target) && target !== file) routesToRoutes.push(edge);
    const to = folderOf(target);
    if (to === LEDGER_FOLDER && folder !== LEDGER_FOLDER && folder !== ROOT_FOLDER && edge.from !== LEDGER_CLIENT)
      aroundLedgerClient.push(edge);
    if (to === folder) continue;
    const edges = /** @type {Map<string, FileEdge[]>} */ (graph.get(folder));
    edges.set(to, [...(edges.get(to) ?? []), edge]);
  }
}
for (const targets of graph.values()) for (const to of targets.keys()) if (!graph.has(to)) graph.set(to, new Map());

const folders = [...graph.keys()].sort();

console.log(`Folder imports under ${relative(process.cwd(), root) || "."}/:`);
const width = Math.max(...folders.map((f) => f.length));
for (const folder of folders) {
  const targets = [...(graph.get(folder)?.keys() ?? [])].sort();
  console.log(`  ${folder.padEnd(width)} → ${targets.length ? targets.join(", ") : "(nothing)"}`);
}

/**
 * Strongly connected components (Tarjan): every folder in a component of two or more reaches
 * every other, so each such component holds at least one cycle.
 * @returns {string[][]}
 */
function components() {
  let index = 0;
  /** @type {Map<string, number>} */ const order = new Map();
  /** @type {Map<string, number>} */ const low = new Map();
  /** @type {string[]} */ const stack = [];
  const onStack = new Set();
  /** @type {string[][]} */ const found = [];
  /** @param {string} v */
  const visit = (v) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(/** @type {number} */ (low.get(v)), /** @type {number} */ (low.get(w))));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(/** @type {number} */ (low.get(v)), /** @type {number} */ (order.get(w))));
      }
    }
    if (low.get(v) === order.get(v)) {
      /** @type {string[]} */ const component = [];
      let w;
      do {
        w = /** @type {string} */ (stack.pop());
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const folder of folders) if (!order.has(folder)) visit(folder);
  return found;
}

/** One cycle through `start` inside its component, found breadth-first (so it is a short one). @param {string} start @param {Set<string>} within */
function cycleThrough(start, within) {
  /** @type {Map<string, string>} */ const cameFrom = new Map();
  const queue = [start];
  while (queue.length) {
    const v = /** @type {string} */ (queue.shift());
    for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
      if (!within.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(/** @type {string} */ (cameFrom.get(/** @type {string} */ (path[0]))));
        return [...path, start];
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

let failed = false;

for (const component of components()) {
  failed = true;
  const cycle = cycleThrough(/** @type {string} */ (component[0]), new Set(component));
  console.error(`\nFolder cycle: ${cycle.join(" → ")}`);
  if (component.length > cycle.length - 1) console.error(`  (these folders all reach each other: ${component.join(", ")})`);
  for (let i = 0; i < cycle.length - 1; i++) {
    const edges = graph.get(/** @type {string} */ (cycle[i]))?.get(/** @type {string} */ (cycle[i + 1])) ?? [];
    for (const edge of edges) console.error(`  ${edge.from} imports ${edge.to}`);
  }
}

if (routesToRoutes.length) {
  failed = true;
  console.error("\nRoutes import other routes (move what they share into a service or schema module):");
  for (const edge of routesToRoutes) console.error(`  ${edge.from} imports ${edge.to}`);
}

if (aroundLedgerClient.length) {
  failed = true;
  console.error(`\nImports of the ledger from outside ${LEDGER_CLIENT} (reach it through the ledger client):`);
  for (const edge of aroundLedgerClient) console.error(`  ${edge.from} imports ${edge.to}`);
}

if (unresolved.length) {
  failed = true;
  console.error("\nImports of files that do not exist:");
  for (const line of unresolved) console.error(`  ${line}`);
}

if (failed) {
  console.error("\nThe import check failed.");
  process.exit(1);
}
console.log("\nNo folder cycles; no routes file imports another; only the ledger client imports the ledger.");
