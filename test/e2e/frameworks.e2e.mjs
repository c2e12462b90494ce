// End to end, in Chromium against the running app: the React, Vue and Svelte hosts (demo/react,
// demo/vue, demo/svelte), built by vite with @rollcall/elements as npm run build:package made it,
// served from another origin. In each, a visitor registers through <rollcall-join>, and the
// framework's own code receives the rollcall-registered event: the page shows "Registered: …"
// from the framework's state.
//
//   node --test test/e2e/frameworks.e2e.mjs     (needs npm run build:widget and npm run build:package)

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { test } from "node:test";
import { build } from "vite";
import { freePort, PROJECT_ROOT } from "../../scripts/dev-server.mjs";
import { appAndBrowser, ROOT_KEY } from "./support.mjs";

const FRAMEWORKS = ["react", "vue", "svelte"];
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

/** @type {{ url: string, stop: () => Promise<void> } | undefined} */
let site;
// .tmp/ holds the type checker's output too; a fresh clone may not have it yet.
mkdirSync(join(PROJECT_ROOT, ".tmp"), { recursive: true });
const built = mkdtempSync(join(PROJECT_ROOT, ".tmp", "frameworks-"));

const running = appAndBrowser("frameworks", {
  start: async () => {
    assert.ok(existsSync(join(PROJECT_ROOT, "packages/elements/dist/define.js")), "build the package first: npm run build:package");
    // Each host under /<framework>/ of one static site.
    for (const framework of FRAMEWORKS)
      await build({
        configFile: join(PROJECT_ROOT, "demo", framework, "vite.config.mjs"),
        base: `/${framework}/`,
        logLevel: "warn",
        build: { outDir: join(built, framework), emptyOutDir: true },
      });
    site = await serveStatic(built, await freePort());
  },
  stops: [() => site?.stop(), () => rmSync(built, { recursive: true, force: true })],
});

/**
 * The built hosts, as files under `dir`, on their own origin.
 * @param {string} dir @param {number} port
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
function serveStatic(dir, port) {
  const http = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (path.endsWith("/")) path += "index.html";
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((ready) =>
    http.listen(port, "127.0.0.1", () =>
      ready({
        url: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise((/** @type {() => void} */ done) => {
            http.closeAllConnections();
            http.close(() => done());
          }),
      }),
    ),
  );
}

/**
 * @param {string} method @param {string} path @param {{ key?: string, body?: unknown }} [options]
 * @returns {Promise<any>} the answer's JSON, which the test reads as it knows it
 */
async function api(method, path, { key, body } = {}) {
  const res = await fetch(`${running().server.url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

test("in a React, a Vue and a Svelte app, <rollcall-join> registers and the framework receives the event", {
  timeout: 180_000,
}, async () => {
  const { server, browser } = running();
  assert.ok(site, "the site started");
  const { apiKey: key } = await api("POST", "/v1/orgs", {
    key: ROOT_KEY,
    body: { name: "Framework Swim Club", ownerEmail: "coach@example.org" },
  });
  await api("PATCH", "/v1/org", { key, body: { settings: { embedOrigins: [site.url] } } });
  const session = await api("POST", "/v1/sessions", {
    key,
    body: {
      title: "Lane swim",
      description: "Open lanes for adults.",
      startsAt: "2031-06-07T09:00:00-04:00",
      timeZone: "America/Toronto",
      durationMinutes: 60,
      minParticipants: 1,
      maxParticipants: 10,
    },
  });

  /** @type {string[]} */
  const problems = [];
  for (const framework of FRAMEWORKS) {
    // A browser of its own for each: one that registered remembers it (a returning registrant sees
    // "You are attending!" instead of Join).
    const context = await browser.newContext({ locale: "en-US" });
    context.on("weberror", (error) => problems.push(`${framework}: ${error.error().message}`));
    const page = await context.newPage();
    // The element's own calls go to the app's origin: the api given to define() by the host.
    const query = new URLSearchParams({ session: session.id, api: server.url });
    await page.goto(`${site.url}/${framework}/?${query}`);
    const state = page.locator("#framework-state");
    await state.getByText("Not registered yet").waitFor();
    const join = page.locator("rollcall-join");
    await join.getByRole("heading", { name: "Lane swim" }).waitFor();
    await join.getByRole("button", { name: "Join" }).click();
    const name = `Ada ${framework}`;
    await join.getByLabel("Name").fill(name);
    await join.getByLabel("Email").fill(`ada.${framework}@example.org`);
    await join.getByRole("button", { name: "Register" }).click();
    await join.getByText("You are attending!").waitFor();
    // The framework's state, rendered by the framework: its listener received the event's detail.
    await state.getByText(`Registered: ${name}`, { exact: true }).waitFor({ timeout: 10_000 });
    await context.close();
  }
  const roster = await api("GET", `/v1/sessions/${session.id}/roster`, { key });
  const emails = JSON.stringify(roster);
  for (const framework of FRAMEWORKS)
    assert.ok(emails.includes(`ada.${framework}@example.org`), `${framework}'s registration reached the API`);
  assert.deepEqual(problems, [], "no error in any page");
});
