// `npm run build:package`: the npm package @rollcall/elements in packages/elements/dist/.
//
// 1. The code: a vite library build (widget/package/vite.config.ts), one module per entry.
// 2. The types: the widget's own declarations (`tsc -b widget`, into .tmp/types/), copied for every
//    file an entry reaches. The API client types its calls with the worker's AppType; a site must
//    not need the worker's sources or Hono for that, so the client's `Routes` is written out as the
//    type it resolves to (TypeScript's own printer) and the Hono import is dropped. Anything else
//    reaching outside the widget and the worker's plain vocabularies (a bare import other than Lit)
//    fails the build.
// 3. The manifest: custom-elements.json with the package's module paths (each element in the file
//    that registers it), and from it the JSX typings for React, Vue and Svelte, written by the
//    maintained generators (custom-element-jsx-integration, -vuejs-, -svelte-).

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateJsxTypes } from "custom-element-jsx-integration";
import { generateSvelteTypes } from "custom-element-svelte-integration";
import { generateVuejsTypes } from "custom-element-vuejs-integration";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGE = join(ROOT, "packages/elements");
const DIST = join(PACKAGE, "dist");
const TYPES = join(ROOT, ".tmp/types");
/** @param {string} name */
const bin = (name) => join(ROOT, "node_modules/.bin", name);
/** @param {string} command @param {string[]} args */
const run = (command, args) => execFileSync(command, args, { cwd: ROOT, stdio: "inherit" });

/** Each entry of the package: its built file and the declaration file of its source. */
const ENTRIES = {
  index: "widget/package/index",
  define: "widget/package/define",
  join: "widget/join/define",
  sessions: "widget/sessions/define",
  invite: "widget/invite/define",
  roster: "widget/roster/define",
};
/** Bare imports a declaration may keep: Lit is the package's peer dependency. */
const PEERS = /^(lit|lit-html|lit-element|@lit\/[\w-]+|@lit-labs\/[\w-]+)(\/|$)/;

run(bin("vite"), ["build", "--config", "widget/package/vite.config.ts"]);
run(bin("tsc"), ["-b", "widget"]);

// --- 2. Declarations -------------------------------------------------------------------------

const OUT_TYPES = join(DIST, "types");
rmSync(OUT_TYPES, { recursive: true, force: true });
const CLIENT = "widget/api/client.d.ts";

/** The type the worker's routes resolve to, printed in full. */
function printedRoutes() {
  const probe = join(TYPES, "widget/api/routes.probe.ts");
  writeFileSync(
    probe,
    `import type { Hono } from "hono";\nimport type { AppType } from "../../worker/app";\n` +
      `type Routes = AppType extends Hono<any, infer S, any> ? S : never;\nexport declare const routes: Routes;\n`,
  );
  try {
    const program = ts.createProgram([probe], {
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      types: [],
    });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(probe);
    let printed = "";
    ts.forEachChild(source ?? ts.factory.createSourceFile([], ts.factory.createToken(ts.SyntaxKind.EndOfFileToken), 0), (node) => {
      if (ts.isVariableStatement(node)) {
        const [declaration] = node.declarationList.declarations;
        printed = checker.typeToString(
          checker.getTypeAtLocation(declaration),
          undefined,
          ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias,
        );
      }
    });
    if (!printed || printed === "any" || printed === "never") throw new Error(`The worker's routes printed as "${printed}".`);
    return printed;
  } finally {
    rmSync(probe);
  }
}

/**
 * The client's declarations, self-contained: Routes written out, no Hono, no AppType.
 * @param {string} text
 */
function selfContainedClient(text) {
  const routes = printedRoutes();
  // Hono's status code type is the only name the printed routes keep from Hono (a route answering a raw Response).
  const names = new Set(routes.replace(/"[^"]*"/g, "").match(/\b[A-Z]\w*/g));
  for (const known of ["Response", "StatusCode", "Record", "Date"]) names.delete(known);
  if (names.size) throw new Error(`The printed routes name types the package does not have: ${[...names].join(", ")}`);
  const out = text
    .replace(/^import type \{ Hono \} from "hono";\n/m, "")
    .replace(/^import type \{ AppType \} from "\.\.\/\.\.\/worker\/app";\n/m, "")
    .replace(
      /^type Routes = .*;$/m,
      `/** The API's routes, as the worker declares them (printed from its AppType by scripts/build-package.mjs). */\n` +
        `type StatusCode = number;\ntype Routes = ${routes};`,
    );
  if (/hono|AppType extends/.test(out)) throw new Error("widget/api/client.d.ts still reaches Hono or the worker's app.");
  return out;
}

/**
 * Copies the declaration `file` (relative to .tmp/types) and every declaration it imports.
 * @param {string} file @param {Set<string>} [done]
 */
function copyDeclarations(file, done = new Set()) {
  if (done.has(file)) return;
  done.add(file);
  const from = join(TYPES, file);
  if (!existsSync(from)) throw new Error(`${file} is missing: run \`tsc -b widget\`.`);
  let text = readFileSync(from, "utf8");
  if (file === CLIENT) text = selfContainedClient(text);
  const to = join(OUT_TYPES, file);
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, text.replace(/^\/\/# sourceMappingURL=.*$/m, ""));
  for (const [, specifier] of text.matchAll(/(?:from\s+|import\()"([^"]+)"/g)) {
    if (specifier.startsWith(".")) {
      const target = relative(TYPES, resolve(dirname(from), specifier));
      copyDeclarations(existsSync(join(TYPES, `${target}.d.ts`)) ? `${target}.d.ts` : join(target, "index.d.ts"), done);
    } else if (!PEERS.test(specifier)) {
      throw new Error(`${file} imports "${specifier}", which the package does not depend on.`);
    }
  }
}

for (const source of Object.values(ENTRIES)) copyDeclarations(`${source}.d.ts`);

// --- 3. The manifest and the frameworks' typings ---------------------------------------------

/** @typedef {{ name: string, kind?: string, tagName?: string, customElement?: boolean, events?: unknown[] }} Declaration */
/** @type {{ schemaVersion: string, modules: { path: string, declarations?: Declaration[], exports?: { kind: string, name: string, declaration: { name: string, module: string } }[] }[] }} */
const manifest = JSON.parse(readFileSync(join(ROOT, "custom-elements.json"), "utf8"));
/** @param {string} path */
const declarationsOf = (path) => manifest.modules.find((m) => m.path === path)?.declarations ?? [];
const modules = [];
for (const [entry, source] of Object.entries(ENTRIES)) {
  const definer = manifest.modules.find((m) => m.path === `${source}.ts`);
  const definitions = (definer?.exports ?? []).filter((e) => e.kind === "custom-element-definition");
  if (!definitions.length) continue;
  const declarations = definitions.flatMap((d) =>
    declarationsOf(d.declaration.module).filter((c) => c.customElement && c.name === d.declaration.name),
  );
  const path = `dist/${entry}.js`;
  modules.push({
    kind: "javascript-module",
    path,
    declarations,
    exports: definitions.flatMap((d) => [
      { kind: "js", name: d.declaration.name, declaration: { name: d.declaration.name, module: path } },
      { kind: "custom-element-definition", name: d.name, declaration: { name: d.declaration.name, module: path } },
    ]),
  });
}
if (modules.length !== 4) throw new Error(`Expected the four elements in the manifest, found ${modules.length}.`);
const packageManifest = { schemaVersion: manifest.schemaVersion, readme: "README.md", modules };

// Each event's type by a name the package exports (widget/package/index.ts): the manifest says
// `CustomEvent<RollcallRegisteredDetail>`; the generators, which wrap the type they are given in
// CustomEvent<…> and import it by name, are given the detail's name alone.
const indexTypes = readFileSync(join(OUT_TYPES, "widget/package/index.d.ts"), "utf8");
/** @param {string} event e.g. invitation-sent → RollcallInvitationSentDetail */
const detailName = (event) => `Rollcall${event.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}Detail`;
/** @param {(type: string) => string} write */
const withEventTypes = (write) =>
  JSON.parse(JSON.stringify(packageManifest), (key, value) => {
    if (key !== "type" || typeof value?.text !== "string") return value;
    const event = /^CustomEvent<RollcallEvents\["([\w-]+)"\]>$/.exec(value.text)?.[1];
    if (!event) return value;
    if (!indexTypes.includes(`type ${detailName(event)} =`)) throw new Error(`widget/package/index.ts exports no ${detailName(event)}.`);
    return { ...value, text: write(detailName(event)) };
  });
const published = withEventTypes((name) => `CustomEvent<${name}>`);
writeFileSync(join(DIST, "custom-elements.json"), `${JSON.stringify(published, null, 2)}\n`);
const forGenerators = withEventTypes((name) => name);
const typings = { outdir: DIST, hideLogs: true, globalTypePath: "./index.js" };
generateJsxTypes(forGenerators, { ...typings, fileName: "react.d.ts" });
generateVuejsTypes(forGenerators, { ...typings, fileName: "vue.d.ts" });
generateSvelteTypes(forGenerators, { ...typings, fileName: "svelte.d.ts" });
// The generators list an event type once per element that fires it, in one import: TypeScript
// refuses a name imported twice, so each import keeps one of each.
for (const file of ["react.d.ts", "vue.d.ts", "svelte.d.ts"]) {
  const path = join(DIST, file);
  const text = readFileSync(path, "utf8").replace(
    /import type \{([^}]*)\} from "\.\/index\.js";/g,
    (_, /** @type {string} */ names) =>
      `import type { ${[
        ...new Set(
          names
            .split(",")
            .map((n) => n.trim())
            .filter(Boolean),
        ),
      ].join(", ")} } from "./index.js";`,
  );
  writeFileSync(path, text);
}

// The entries' declarations beside their modules, so every `exports` entry has its types next to it.
for (const [entry, source] of Object.entries(ENTRIES)) {
  writeFileSync(join(DIST, `${entry}.d.ts`), `export * from "./types/${source}.js";\n`);
}
cpSync(join(ROOT, "LICENSE"), join(PACKAGE, "LICENSE"));
console.log(`@rollcall/elements built in ${relative(ROOT, DIST)}/`);
