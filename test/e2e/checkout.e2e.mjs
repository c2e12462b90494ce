// End to end, in Chromium against the running app (`wrangler dev`, offline, so the checkout is the
// dev checkout page), with <rollcall-join> embedded by a site on another origin: a priced session,
// a registrant with a discount code is sent from the site to checkout, comes back unpaid (the seat
// still held: until when, what is owed, "Complete your payment"), goes to pay again, pays, and is
// back on the site: "You are attending!" with "Payment received" (Pay pressed by keyboard). Both
// states and the dev checkout page are photographed at 375 and 1280 px into .tmp/screenshots/;
// nothing runs out of the page sideways and axe finds no violation.
//
//   node --test test/e2e/checkout.e2e.mjs     (needs the built widget: npm run build:widget)

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { freePort, PROJECT_ROOT } from "../../scripts/dev-server.mjs";
import { api, appAndBrowser, assertAxeClean, assertFits, ROOT_KEY, startSite } from "./support.mjs";

const SCREENSHOTS = join(PROJECT_ROOT, ".tmp", "screenshots");

/** @type {Awaited<ReturnType<typeof startSite>> | undefined} */
let site;

const running = appAndBrowser("checkout", {
  start: async () => {
    site = await startSite(await freePort());
  },
  stops: [() => site?.stop()],
});

/** @param {string} sessionId */
const sitePage = (sessionId) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Pottery weekend</title>
  <script type="module" src="${running().server.url}/widget/rollcall.js"></script>
  <style>
    body { margin: 0; font: 16px/1.5 Georgia, serif; color: #2b2118; background: #f7f1ea; }
    header { background: #7a3e1d; color: #fff; padding: 0.8rem 1.2rem; }
    header h1 { margin: 0; font-size: 1.3rem; }
    main { max-width: 50rem; margin: 0 auto; padding: 1.2rem; }
  </style>
</head>
<body>
  <header><h1>Clayworks Studio</h1></header>
  <main><rollcall-join session="${sessionId}"></rollcall-join></main>
</body>
</html>`;

/** Photographs the page at 375 and 1280 px, checking at each width that nothing runs out sideways and axe finds nothing. @param {import("playwright-core").Page} page @param {string} name */
async function shots(page, name) {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await assertFits(page, `${name} at ${width} px`);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await assertAxeClean(page, name);
}

/**
 * After Pay or Abandon: back on the site. The dev checkout page sends the browser back to the
 * registration's returnUrl when it knows how; until then the test goes back as it would, with
 * the parameter checkout appends.
 * @param {import("playwright-core").Page} page @param {string} siteUrl @param {"paid" | "cancelled"} outcome
 */
async function backOnSite(page, siteUrl, outcome) {
  await page.waitForURL((url) => url.href.startsWith(siteUrl) || url.searchParams.has("result"));
  if (!page.url().startsWith(siteUrl)) await page.goto(`${siteUrl}/pottery?rollcall_checkout=${outcome}`);
}

test("a registrant of a priced session goes to checkout from another site, comes back unpaid, pays, and is told so", {
  timeout: 300_000,
}, async () => {
  const { server, browser } = running();
  assert.ok(site, "the site started");
  const { apiKey: key } = await api(server, "POST", "/v1/orgs", {
    key: ROOT_KEY,
    body: { name: "Clayworks Studio", ownerEmail: "studio@example.org" },
  });
  await api(server, "PATCH", "/v1/org", { key, body: { settings: { embedOrigins: [site.url] } } });
  await api(server, "POST", "/v1/discount-codes", { key, body: { code: "EARLY10", percentOff: 10 } });
  const session = await api(server, "POST", "/v1/sessions", {
    key,
    body: {
      title: "Wheel-throwing weekend",
      description: "Two days at the wheel, clay and firing included.",
      startsAt: "2031-05-10T09:00:00+02:00",
      timeZone: "Europe/Paris",
      durationMinutes: 360,
      minParticipants: 1,
      maxParticipants: 6,
      price: { amount: 2500, currency: "EUR" },
    },
  });
  site.pages.set("/pottery", sitePage(session.id));
  mkdirSync(SCREENSHOTS, { recursive: true });

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US", timezoneId: "Europe/Paris" });
  /** @type {string[]} */
  const problems = [];
  context.on("weberror", (error) => problems.push(error.error().message));
  const page = await context.newPage();
  const siteUrl = site.url;
  await page.goto(`${siteUrl}/pottery?from=newsletter`);
  const card = page.locator("rollcall-join");
  await card.getByText("€25.00").waitFor();
  await card.getByRole("button", { name: "Join" }).click();
  await card.getByLabel("Name").fill("Bernard Leach");
  await card.getByLabel("Email").fill("bernard@example.org");
  await card.getByLabel("Discount code (optional)").fill("early10");
  /** @type {Promise<import("playwright-core").Request>} */
  const registering = page.waitForRequest(
    (r) => r.method() === "POST" && r.url().endsWith(`/v1/public/sessions/${session.id}/registrations`),
  );
  await card.getByRole("button", { name: "Register" }).click();
  assert.equal(
    (await registering).postDataJSON().returnUrl,
    `${siteUrl}/pottery?from=newsletter`,
    "the page is where checkout sends them back",
  );

  // On the app's checkout page, at the top of the tab.
  await page.waitForURL(`${server.url}/dev/checkout/**`);
  await page.getByText("€22.50", { exact: true }).waitFor();
  await page.getByText("EARLY10").waitFor();
  await shots(page, "dev-checkout-awaiting");
  // Back without paying: the seat is still held.
  await page.goto(`${siteUrl}/pottery?from=newsletter&rollcall_checkout=cancelled`);
  await card.getByRole("heading", { name: /^Your seat is held until \d{1,2}:\d{2}\s?[AP]M\.$/ }).waitFor();
  await card.getByText("You pay €22.50").waitFor();
  await card.getByRole("link", { name: "Cancel my registration" }).waitFor();
  assert.equal(new URL(page.url()).search, "?from=newsletter", "the parameter left the address bar");
  assert.equal(
    await card.evaluate((el) => el.shadowRoot?.activeElement?.textContent ?? ""),
    await card.getByRole("heading").last().textContent(),
    "the result's heading has the focus",
  );
  await shots(page, "join-checkout-pending");

  // To checkout again, and pay.
  await card.getByRole("button", { name: "Complete your payment" }).click();
  await page.waitForURL(`${server.url}/dev/checkout/**`);
  // By keyboard: the first stop on the page is Pay.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Pay €22.50");
  await page.keyboard.press("Enter");
  await backOnSite(page, siteUrl, "paid");
  await card.getByRole("heading", { name: "You are attending!" }).waitFor();
  await card.getByText("Payment received").waitFor();
  await card.getByRole("link", { name: "Cancel my registration" }).waitFor();
  assert.ok(!page.url().includes("rollcall_checkout"), `the parameter left the address bar: ${page.url()}`);
  await shots(page, "join-checkout-paid");

  // The API agrees: one confirmed registration, paid the discounted amount.
  const { rows } = await api(server, "GET", `/v1/sessions/${session.id}/roster`, { key });
  assert.deepEqual(
    rows.map((/** @type {{ email: string, status: string }} */ r) => [r.email, r.status]),
    [["bernard@example.org", "confirmed"]],
  );
  // A later visit: still attending, without the payment's line.
  await page.goto(`${siteUrl}/pottery`);
  await card.getByRole("heading", { name: "You are attending!" }).waitFor();
  assert.equal(await card.getByText("Payment received").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
