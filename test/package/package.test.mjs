// The npm package @rollcall/elements as a site gets it (run after `npm run build:package`):
// - every entry imports in plain Node (server-side rendering) without a browser global; only the
//   element entries register their element, `define` and the index register nothing until asked;
// - `npm pack` makes a tarball with the built files, their declarations, the manifest and the
//   framework typings and nothing else; installed offline into a scratch project, a TypeScript
//   usage (React JSX with the generated typings, HTMLElementTagNameMap, the events' detail types)
//   type-checks, and a wrong detail or attribute type does not.
//
//   node --test test/package/package.test.mjs

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PACKAGE = join(ROOT, "packages/elements");
const PKG = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8"));
const TSC = join(ROOT, "node_modules/.bin/tsc");
/** The scratch project lives under the repository's .tmp/, so React's types resolve from its node_modules as Lit does. */
let scratch = "";

before(() => {
  assert.ok(existsSync(join(PACKAGE, "dist/index.js")), "build the package first: npm run build:package");
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  scratch = mkdtempSync(join(ROOT, ".tmp", "package-"));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs `code` as an ES module in a fresh Node, from the package's folder, and returns what it prints.
 * @param {string} code @returns {any}
 */
function node(code) {
  const out = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: PACKAGE, encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}

test("each entry imports in plain Node without window or document; only the element entries register", () => {
  const tags = ["rollcall-join", "rollcall-sessions", "rollcall-invite", "rollcall-roster"];
  /** @param {string} entry */
  const seen = (entry) =>
    node(`
      const before = { window: typeof window, document: typeof document };
      const mod = await import("./dist/${entry}.js");
      const registry = globalThis.customElements;
      console.log(JSON.stringify({ before, after: { window: typeof window, document: typeof document },
        exports: Object.keys(mod).sort(),
        defined: ${JSON.stringify(tags)}.filter((t) => registry?.get(t)) }));`);

  const index = seen("index");
  assert.deepEqual(index.before, { window: "undefined", document: "undefined" });
  assert.deepEqual(index.after, { window: "undefined", document: "undefined" }, "importing touches no browser global");
  assert.deepEqual(index.exports, ["RollcallInvite", "RollcallJoin", "RollcallRoster", "RollcallSessions", "configure"]);
  // The roster's module registers the <rollcall-invite> it renders, so the index (which exports the roster's class) does too.
  assert.deepEqual(index.defined, ["rollcall-invite"]);

  const define = seen("define");
  assert.deepEqual(define.exports, ["configure", "define"]);
  assert.deepEqual(define.defined, ["rollcall-invite"], "define registers nothing but what the roster's module does, until called");
  const called = node(`
    const { define } = await import("./dist/define.js");
    define({ api: "https://rollcall.example" });
    console.log(JSON.stringify(${JSON.stringify(tags)}.filter((t) => customElements.get(t))));`);
  assert.deepEqual(called, tags, "define() registers every element");

  for (const [entry, tag] of [
    ["join", "rollcall-join"],
    ["sessions", "rollcall-sessions"],
    ["invite", "rollcall-invite"],
  ]) {
    const loaded = seen(entry);
    assert.deepEqual(loaded.after, { window: "undefined", document: "undefined" });
    assert.deepEqual(loaded.defined, [tag], `@rollcall/elements/${entry} registers <${tag}> alone`);
  }
  assert.deepEqual(seen("roster").defined, ["rollcall-invite", "rollcall-roster"]);
});

test("configure({ api }) is the API base of an element without an api attribute; the attribute still wins", () => {
  const bases = node(`
    const { configure, RollcallJoin } = await import("./dist/index.js");
    const plain = new RollcallJoin();
    const own = new RollcallJoin();
    own.api = "https://other.example";
    const unset = plain.base;
    configure({ api: "https://rollcall.example/" });
    console.log(JSON.stringify([unset, plain.base, own.base]));`);
  // Without configure, a bundled element's default is its own script's origin (here a file: URL's, "null").
  assert.deepEqual(bases, ["null", "https://rollcall.example", "https://other.example"]);
});

test("npm pack's tarball installs offline and a TypeScript usage type-checks against it", { timeout: 120_000 }, () => {
  /** @type {{ filename: string, files: { path: string }[] }[]} */
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", scratch], { cwd: PACKAGE, encoding: "utf8" }));
  const files = packed[0].files.map((f) => f.path).sort();
  for (const file of [
    "package.json",
    "LICENSE",
    "dist/index.js",
    "dist/define.js",
    "dist/join.js",
    "dist/join.d.ts",
    "dist/react.d.ts",
    "dist/vue.d.ts",
    "dist/svelte.d.ts",
    "dist/custom-elements.json",
    "dist/types/widget/api/client.d.ts",
  ])
    assert.ok(files.includes(file), `the tarball holds ${file}`);
  assert.deepEqual(
    files.filter((f) => !/^(package\.json|LICENSE|README\.md|dist\/.*\.(js|d\.ts|json))$/.test(f)),
    [],
    "nothing but the package",
  );
  assert.ok(!files.some((f) => /types\/worker\/(app|db|ledger)/.test(f)), "no worker internals in the declarations");

  const app = join(scratch, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  // Lit, the peer dependency, resolves from the repository's node_modules (the project sits under it): nothing is fetched.
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--legacy-peer-deps", join(scratch, packed[0].filename)], {
    cwd: app,
    stdio: "pipe",
  });
  assert.equal(JSON.parse(readFileSync(join(app, "node_modules/@rollcall/elements/package.json"), "utf8")).version, PKG.version);

  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        lib: ["ES2023", "DOM", "DOM.Iterable"],
        jsx: "react-jsx",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      include: ["*.tsx"],
    }),
  );
  writeFileSync(
    join(app, "usage.tsx"),
    `import { define } from "@rollcall/elements/define";
import { type RollcallRegisteredDetail, RollcallJoin } from "@rollcall/elements";
import "@rollcall/elements/join";
import type { CustomElements } from "@rollcall/elements/react";

declare module "react" {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
}

define({ api: "https://rollcall.example" });

// HTMLElementTagNameMap: querySelector knows the element's class.
const join: RollcallJoin | null = document.querySelector("rollcall-join");
const created: RollcallJoin = document.createElement("rollcall-join");
created.session = "ses_1";
// HTMLElementEventMap: the event's detail is typed.
created.addEventListener("rollcall-registered", (e) => {
  const name: string = e.detail.registration.name;
  const status: string = e.detail.registration.status;
  console.log(name, status, join);
});

export function Page({ onName }: { onName: (name: string) => void }) {
  return (
    <rollcall-join
      session="ses_1"
      api="https://rollcall.example"
      onrollcall-registered={(e) => onName(e.detail.registration.name)}
      onrollcall-error={(e) => console.log(e.detail.code)}
    />
  );
}
const detail: RollcallRegisteredDetail | undefined = undefined;
console.log(detail);
`,
  );
  const ok = spawnSync(TSC, ["-p", app], { encoding: "utf8" });
  assert.equal(ok.status, 0, `the usage type-checks:\n${ok.stdout}${ok.stderr}`);

  // The typings are not any: a wrong detail field and a wrong attribute type are errors.
  writeFileSync(
    join(app, "wrong.tsx"),
    `import "@rollcall/elements/join";
import type { CustomElements } from "@rollcall/elements/react";
declare module "react" { namespace JSX { interface IntrinsicElements extends CustomElements {} } }
document.createElement("rollcall-join").addEventListener("rollcall-registered", (e) => console.log(e.detail.registration.nope));
export const Wrong = () => <rollcall-join session={42} onrollcall-registered={(e) => e.detail.nope} />;
`,
  );
  const wrong = spawnSync(TSC, ["-p", app], { encoding: "utf8" });
  assert.notEqual(wrong.status, 0);
  const errors = wrong.stdout.split("\n").filter((l) => l.includes("wrong.tsx("));
  assert.equal(errors.length, 3, `three errors in wrong.tsx:\n${wrong.stdout}`);
  assert.match(wrong.stdout, /Property 'nope' does not exist/);
  assert.match(wrong.stdout, /Type 'number' is not assignable to type 'string'/);
});
