// What the end-to-end files share: the app running offline with a state of its own, Chromium, and
// the dev outbox. Not a test file: `npm run test:e2e` runs test/e2e/*.e2e.mjs only.

import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { freePort, PROJECT_ROOT, startDevServer } from "../../scripts/dev-server.mjs";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../support/chromium.mjs";

/**
 * @typedef {Awaited<ReturnType<typeof startApp>>} App
 * @typedef {{ to: string, template: string, links: string[], attachments: { filename: string, url: string }[] }} OutboxMail what the dev outbox lists, as far as the tests read it
 */

/** The root key the app runs with, to create orgs through the API. */
export const ROOT_KEY = "e2e-root-key-0123456789abcdefghijklmnopq";

/**
 * Runs each stop in turn, every one even when one before it throws, so that nothing a test file
 * started outlives it; then throws the first error, if any.
 * @param {(() => unknown)[]} stops
 */
export async function stopEach(...stops) {
  /** @type {unknown[]} */
  const errors = [];
  for (const stop of stops) {
    try {
      await stop();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length) throw errors[0];
}

/**
 * The app (`wrangler dev`, serving the built widget) on a free port, with a state directory named
 * after `name` that its `stop()` removes, as does a start that fails.
 * @param {string} name
 */
export async function startApp(name) {
  assert.ok(existsSync(join(PROJECT_ROOT, "public/widget/rollcall.js")), "build the widget first: npm run build:widget");
  const stateDir = join(PROJECT_ROOT, ".wrangler", `e2e-${name}-${process.pid}`);
  const removeState = () => rmSync(stateDir, { recursive: true, force: true });
  try {
    const server = await startDevServer({ port: await freePort(), stateDir, vars: { ROLLCALL_ROOT_KEY: ROOT_KEY } });
    return { ...server, stop: () => stopEach(() => server.stop(), removeState) };
  } catch (error) {
    removeState();
    throw error;
  }
}

/**
 * One call to the app's API, as a client would make it: JSON in, JSON out, and an answer that is
 * not 2xx fails the test, naming the route and what came back.
 * @param {{ url: string } | undefined} app @param {string} method @param {string} path
 * @param {{ key?: string, body?: unknown }} [options]
 * @returns {Promise<any>} the answer's JSON, which the test reads as it knows it
 */
export async function api(app, method, path, { key, body } = {}) {
  assert.ok(app, `the app runs before ${method} ${path}`);
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

export const launchChromium = () => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });

/**
 * The app and Chromium for one test file: started before its tests (then `start`, for what else
 * the file serves), stopped after them (`stops` between the browser and the app), every stop run
 * even when one throws. Returns what a test calls to get both, failing plainly if the start did.
 * @param {string} name the app's state directory, after the file
 * @param {{ start?: () => Promise<void>, stops?: (() => unknown)[] }} [options]
 * @returns {() => { server: App, browser: import("playwright-core").Browser }}
 */
export function appAndBrowser(name, { start, stops = [] } = {}) {
  /** @type {{ server?: App, browser?: import("playwright-core").Browser }} */
  const running = {};
  before(
    async () => {
      running.server = await startApp(name);
      running.browser = await launchChromium();
      await start?.();
    },
    // The dev server's start takes minutes on a busy machine.
    { timeout: 420_000 },
  );
  after(() =>
    stopEach(
      () => running.browser?.close(),
      ...stops,
      () => running.server?.stop(),
    ),
  );
  return () => {
    const { server, browser } = running;
    assert.ok(server && browser, "the app and the browser started");
    return { server, browser };
  };
}

/**
 * The newest mail of that template to that address in the app's dev outbox, once it has arrived.
 * @param {{ url: string }} app @param {string} address @param {string} template
 * @returns {Promise<OutboxMail>}
 */
export async function mailTo(app, address, template, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${app.url}/dev/mail.json?to=${encodeURIComponent(address)}`);
    const { messages } = /** @type {{ messages: OutboxMail[] }} */ (await res.json());
    const found = messages.find((m) => m.template === template);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no ${template} mail to ${address} within ${timeoutMs} ms`);
}

/**
 * Signs `email` in to the hosted admin on `page`: the form, the emailed link from the dev outbox,
 * the page behind it and its button. Ends on /admin/sessions.
 * @param {import("playwright-core").Page} page @param {{ url: string }} app @param {string} email
 */
export async function signIn(page, app, email) {
  await page.goto(`${app.url}/admin/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await page.getByRole("heading", { name: "Check your inbox" }).waitFor();
  const mail = await mailTo(app, email, "sign_in");
  const link = mail.links.find((l) => l.includes("/admin/link/"));
  assert.ok(link, `a sign-in link in ${JSON.stringify(mail.links)}`);
  await page.goto(link);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/admin\/sessions$/);
}

/**
 * A third-party site on an origin of its own (127.0.0.1:`port`, the app being on localhost): it
 * serves whatever `pages` holds at a path, whatever the query (checkout comes back with one).
 * @param {number} port
 * @returns {Promise<{ url: string, pages: Map<string, string>, stop: () => Promise<void> }>}
 */
export function startSite(port) {
  /** @type {Map<string, string>} */
  const pages = new Map();
  const http = createServer((req, res) => {
    const body = pages.get(new URL(req.url ?? "/", "http://x").pathname);
    res.writeHead(body ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(body ?? "not found");
  });
  return new Promise((ready) =>
    http.listen(port, "127.0.0.1", () =>
      ready({
        url: `http://127.0.0.1:${port}`,
        pages,
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
 * How wide the page is against its window: wider, and a phone scrolls sideways.
 * @param {import("playwright-core").Page} page
 */
export const widthsOf = (page) =>
  page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));

/** Nothing runs out of the window sideways. @param {import("playwright-core").Page} page @param {string} what */
export async function assertFits(page, what) {
  const { scrollWidth, innerWidth } = await widthsOf(page);
  assert.ok(scrollWidth <= innerWidth, `${what}: the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
}

/**
 * At a phone's width, a table of cards shows no empty card (a header row whose names are only read
 * out) and no caption squeezed to its longest word. @param {import("playwright-core").Page} page @param {string} what
 */
export async function assertCardsWhole(page, what) {
  const problems = await page.locator("table.cards").evaluateAll((tables) =>
    tables.flatMap((table) => {
      const name = table.querySelector("caption")?.textContent?.trim() || "a table";
      const found = [];
      for (const row of Array.from(table.querySelectorAll("thead tr"))) {
        const style = getComputedStyle(row);
        const frame = ["border-top-width", "border-bottom-width", "padding-top", "padding-bottom"].reduce(
          (sum, side) => sum + Number.parseFloat(style.getPropertyValue(side)),
          0,
        );
        if (frame > 0 && row.getBoundingClientRect().height - frame < 1) found.push(`${name}: an empty card for its header row`);
      }
      const caption = table.querySelector("caption");
      if (caption && caption.getBoundingClientRect().width < table.getBoundingClientRect().width / 2)
        found.push(`${name}: a squeezed caption`);
      return found;
    }),
  );
  assert.deepEqual(problems, [], `${what}: tables of cards`);
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe finds no violation on the page. @param {import("playwright-core").Page} page @param {string} what */
export async function assertAxeClean(page, what) {
  // Evaluated by the browser's debugging protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await /** @type {any} */ (window).axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map(
      (/** @type {any} */ v) => `${v.id}: ${v.nodes.map((/** @type {any} */ n) => n.target.join(" ")).join(", ")}`,
    );
  });
  assert.deepEqual(violations, [], `${what}: axe violations`);
}
