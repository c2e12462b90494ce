// `npm run readme:elements`: writes the README's element reference (between
// <!-- elements:start --> and <!-- elements:end -->) from custom-elements.json: each element's
// attributes, events, slots, parts and custom properties, and a theming example. `npm run
// check:generated` runs it and fails when the committed README differs, so the reference cannot
// drift from the elements' JSDoc headers (the manifest is generated from them by `npm run analyze`).
//
// The theming example names custom properties and parts; each must exist on every element it is
// applied to, or this script fails rather than document a property that does nothing.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const README = join(ROOT, "README.md");
const START = "<!-- elements:start -->";
const END = "<!-- elements:end -->";

/** @typedef {{ name: string, description?: string, default?: string, type?: { text: string } }} Item */
/** @typedef {{ name: string, tagName: string, customElement?: boolean, summary?: string, description?: string, attributes?: Item[], events?: Item[], slots?: Item[], cssParts?: Item[], cssProperties?: Item[] }} Element */
/** @typedef {{ kind: string, name: string, declaration: { name: string, module: string } }} Export */
/** @typedef {{ modules: { path: string, declarations?: Element[], exports?: Export[] }[] }} Manifest */

/** The elements of the manifest, by tag name. @param {Manifest} manifest @returns {Element[]} */
export function elementsOf(manifest) {
  return manifest.modules
    .flatMap((mod) => mod.declarations ?? [])
    .filter((d) => d.customElement && d.tagName)
    .sort((a, b) => a.tagName.localeCompare(b.tagName));
}

/**
 * What frameworks and editors rely on in the manifest, or an error naming what is wrong: every
 * element defined under its tag by a module of the manifest, every definition a real custom
 * element name, every event typed.
 * @param {Manifest} manifest
 */
export function manifestProblems(manifest) {
  const paths = new Set(manifest.modules.map((m) => m.path));
  const definitions = manifest.modules.flatMap((m) => (m.exports ?? []).filter((e) => e.kind === "custom-element-definition"));
  return [
    ...definitions
      .filter((d) => !/^[a-z][a-z0-9]*-[a-z0-9-]*$/.test(d.name) || !paths.has(d.declaration.module))
      .map((d) => `definition "${d.name}" (module ${d.declaration.module}) is not a custom element of the manifest`),
    ...elementsOf(manifest)
      .filter((el) => !definitions.some((d) => d.name === el.tagName))
      .map((el) => `<${el.tagName}> has no custom-element-definition`),
    ...elementsOf(manifest).flatMap((el) =>
      (el.events ?? [])
        .filter((e) => !e.type?.text)
        .map((e) => `<${el.tagName}>'s event ${e.name} has no type (@fires {CustomEvent<…>} name)`),
    ),
  ];
}

/** Markdown table cell: one line, pipes escaped. @param {string | undefined} text */
const cell = (text) =>
  (text ?? "")
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|")
    .trim();
/** @param {string | undefined} text */
const code = (text) => (text ? `\`${text}\`` : "");

/**
 * A table with its columns padded to their widest cell, as `npm run format` lays tables out, so
 * formatting the README leaves the reference as generated.
 * @param {string[]} head @param {string[][]} rows
 */
function table(head, rows) {
  const widths = head.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (/** @type {string[]} */ cells) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(head), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.map(line)].join("\n");
}

/** The first of each name: a JSDoc header may list a part twice. @param {Item[] | undefined} items */
const unique = (items) => (items ?? []).filter((item, i, all) => all.findIndex((o) => o.name === item.name) === i);

/** @param {Element} el */
function section(el) {
  const out = [`### \`<${el.tagName}>\``, "", cell(el.description || el.summary)];
  const attributes = unique(el.attributes);
  if (attributes.length)
    out.push(
      "",
      table(
        ["Attribute", "Type", "Default", "Description"],
        attributes.map((a) => [code(a.name), code(cell(a.type?.text)), code(cell(a.default)), cell(a.description)]),
      ),
    );
  const events = unique(el.events);
  if (events.length)
    out.push(
      "",
      table(
        ["Event", "Type", "Description"],
        events.map((e) => [code(e.name), code(cell(e.type?.text)), cell(e.description)]),
      ),
    );
  const slots = unique(el.slots);
  if (slots.length)
    out.push(
      "",
      table(
        ["Slot", "Description"],
        slots.map((s) => [s.name ? code(s.name) : "(default)", cell(s.description)]),
      ),
    );
  const parts = unique(el.cssParts);
  if (parts.length)
    out.push(
      "",
      table(
        ["Part", "Description"],
        parts.map((p) => [code(p.name), cell(p.description)]),
      ),
    );
  const properties = unique(el.cssProperties);
  if (properties.length)
    out.push(
      "",
      table(
        ["Custom property", "Default", "Description"],
        properties.map((p) => [code(p.name), code(cell(p.default)), cell(p.description)]),
      ),
    );
  return out.join("\n");
}

/** The theming example: custom properties on every element, a part of each that has it. */
const THEME = {
  properties: { "--rollcall-accent": "#0f766e", "--rollcall-radius": "12px", "--rollcall-font": '"Inter", system-ui, sans-serif' },
  parts: [
    {
      selector: "rollcall-join::part(button)",
      part: "button",
      tags: ["rollcall-join"],
      rules: "text-transform: uppercase;\n  letter-spacing: 0.04em;",
    },
    { selector: "rollcall-roster::part(table)", part: "table", tags: ["rollcall-roster"], rules: "font-variant-numeric: tabular-nums;" },
    { selector: "rollcall-sessions::part(join)", part: "join", tags: ["rollcall-sessions"], rules: "font-weight: 700;" },
  ],
};

/** @param {Element[]} elements */
function theming(elements) {
  const byTag = new Map(elements.map((el) => [el.tagName, el]));
  for (const el of elements)
    for (const name of Object.keys(THEME.properties))
      if (!el.cssProperties?.some((p) => p.name === name)) throw new Error(`<${el.tagName}> has no custom property ${name}`);
  for (const { part, tags } of THEME.parts)
    for (const tag of tags) if (!byTag.get(tag)?.cssParts?.some((p) => p.name === part)) throw new Error(`<${tag}> has no part ${part}`);
  const tags = elements.map((el) => el.tagName).join(",\n");
  const properties = Object.entries(THEME.properties)
    .map(([name, value]) => `  ${name}: ${value};`)
    .join("\n");
  const parts = THEME.parts.map((p) => `${p.selector} {\n  ${p.rules}\n}`).join("\n");
  return [
    "### Theming",
    "",
    "Custom properties are inherited: set them on the elements (or any ancestor) to restyle every",
    "element at once. Parts reach inside one element's shadow root for what the properties do not cover.",
    "",
    "```css",
    `${tags} {\n${properties}\n}`,
    parts,
    "```",
  ].join("\n");
}

/** @param {Manifest} manifest */
export function reference(manifest) {
  const elements = elementsOf(manifest);
  return [
    START,
    "<!-- Generated from custom-elements.json by `npm run readme:elements`: edit the elements' JSDoc headers, not this. -->",
    "",
    ...elements.flatMap((el) => [section(el), ""]),
    theming(elements),
    END,
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = JSON.parse(readFileSync(join(ROOT, "custom-elements.json"), "utf8"));
  const problems = manifestProblems(manifest);
  if (problems.length) throw new Error(`custom-elements.json:\n  ${problems.join("\n  ")}`);
  const readme = readFileSync(README, "utf8");
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md needs ${START} … ${END} where the element reference goes`);
  writeFileSync(README, readme.slice(0, start) + reference(manifest) + readme.slice(end + END.length));
  console.log(`README.md: element reference written (${elementsOf(manifest).length} elements).`);
}
