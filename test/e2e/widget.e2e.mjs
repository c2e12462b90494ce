// End to end, in Chromium against the running app (`wrangler dev`, offline), with the widget
// embedded by a site on another origin: a participant joins through <rollcall-join> on that site
// while the provider's <rollcall-roster> (on the same site) shows them without a reload, through
// the session's live channel; the provider then invites someone with the roster's modal, and the
// invitation link from the dev outbox is opened and accepted. Screenshots of each step go to
// .tmp/screenshots/, or to docs/screenshots/ (the README's) with UPDATE_SCREENSHOTS=1.
//
//   node --test test/e2e/widget.e2e.mjs     (needs the built widget: npm run build:widget)

import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { freePort, PROJECT_ROOT } from "../../scripts/dev-server.mjs";
import { api, appAndBrowser, mailTo, ROOT_KEY, startSite } from "./support.mjs";

// The README's pictures are rewritten only when asked (UPDATE_SCREENSHOTS=1 npm run test:e2e);
// ordinary runs keep theirs in .tmp/ so a test run leaves the tree as it found it.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? join(PROJECT_ROOT, "docs", "screenshots") : join(PROJECT_ROOT, ".tmp", "screenshots");
const VIEWPORT = { width: 900, height: 700 };
const SEEDED = [
  { name: "Olivia Tremblay", email: "olivia@example.org" },
  { name: "Liam Gagnon", email: "liam@example.org" },
];
const JOINER = { name: "Ada Lovelace", email: "ada@example.org" };
const INVITED = { name: "Grace Hopper", email: "grace@example.org" };
const ALSO_INVITED = "alan@example.org";
/** The widget's size budgets, the build's own (scripts/check-widget-budgets.mjs reads them too). */
const BUDGETS = JSON.parse(readFileSync(join(PROJECT_ROOT, "widget/budgets.json"), "utf8"));

/** @type {Awaited<ReturnType<typeof startSite>> | undefined} */
let site;

const running = appAndBrowser("widget", {
  start: async () => {
    site = await startSite(await freePort());
  },
  stops: [() => site?.stop()],
});

/** @param {string} title @param {string} main */
const sitePage = (title, main) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  <script type="module" src="${running().server.url}/widget/rollcall.js"></script>
  <style>
    body { margin: 0; font: 16px/1.5 Georgia, serif; color: #1f2a30; background: #eef4f6; }
    header { background: #0f4c5c; color: #fff; padding: 0.8rem 2rem; }
    header h1 { margin: 0; font-size: 1.4rem; }
    main { max-width: 50rem; margin: 0 auto; padding: 1.2rem 2rem; }
  </style>
</head>
<body>
  <header><h1>Riverside Swim Club</h1></header>
  <main>${main}</main>
</body>
</html>`;

/** @param {import("playwright-core").Page} page @param {string} name */
const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, name) });

test("a participant joins on another site and the roster shows them live; an emailed invitation is accepted", {
  timeout: 180_000,
}, async () => {
  const { server, browser } = running();
  assert.ok(site, "the site started");
  // The provider's side, through the API: an org whose pages live on the third-party site, a
  // session with two people already in it, and a widget token for the roster.
  const { apiKey: key } = await api(server, "POST", "/v1/orgs", {
    key: ROOT_KEY,
    body: { name: "Riverside Swim Club", ownerEmail: "coach@example.org" },
  });
  await api(server, "PATCH", "/v1/org", { key, body: { settings: { embedOrigins: [site.url] } } });
  // The invite modal selects a code from the org's catalogue (seed 000).
  await api(server, "POST", "/v1/discount-codes", { key, body: { code: "SWIM10", percentOff: 10 } });
  const session = await api(server, "POST", "/v1/sessions", {
    key,
    body: {
      title: "Beginner swim — Saturday mornings",
      description: "Eight mornings in the shallow pool, for adults who never learned to swim.",
      startsAt: "2031-06-07T09:00:00-04:00",
      timeZone: "America/Toronto",
      durationMinutes: 60,
      minParticipants: 4,
      maxParticipants: 8,
    },
  });
  for (const person of SEEDED) await api(server, "POST", `/v1/public/sessions/${session.id}/registrations`, { body: person });
  const { token } = await api(server, "POST", "/v1/widget-tokens", {
    key,
    body: { sessionId: session.id, scopes: ["roster:read", "invite"] },
  });
  site.pages.set("/", sitePage("Beginner swim", `<rollcall-join session="${session.id}"></rollcall-join>`));
  site.pages.set("/office", sitePage("Coaches' office", `<rollcall-roster session="${session.id}" token="${token}"></rollcall-roster>`));

  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: VIEWPORT, locale: "en-US", timezoneId: "America/Toronto" });
  /** @type {string[]} */
  const problems = [];
  context.on("weberror", (error) => problems.push(error.error().message));

  // The roster, on the site's office page, listening on the live channel.
  const office = await context.newPage();
  /** @type {(string | Buffer)[]} */
  const liveFrames = [];
  office.on("websocket", (ws) => {
    if (ws.url().endsWith(`/v1/public/sessions/${session.id}/live`)) ws.on("framereceived", (frame) => liveFrames.push(frame.payload));
  });
  await office.goto(`${site.url}/office`);
  const roster = office.locator("rollcall-roster");
  for (const { email } of SEEDED) await roster.getByRole("cell", { name: email, exact: true }).waitFor();
  await roster.getByText(/^Confirmed \(2\)$/).waitFor();
  await office.evaluate(() => {
    /** @type {any} */ (window).notReloaded = true;
  });
  assert.ok(liveFrames.length >= 1, "the roster's live channel is open");

  // A participant joins on the site's page, which fetches only the loader and the join element's code.
  const visitor = await context.newPage();
  /** @type {import("playwright-core").Response[]} */
  const widgetFiles = [];
  const widgetOrigin = `${running().server.url}/widget/`;
  visitor.on("response", (response) => {
    if (response.url().startsWith(widgetOrigin)) widgetFiles.push(response);
  });
  await visitor.goto(`${site.url}/`);
  const joinCard = visitor.locator("rollcall-join");
  await joinCard.getByRole("heading", { name: "Beginner swim — Saturday mornings" }).waitFor();
  await joinCard.getByText("6 seats left").waitFor();
  await visitor.waitForLoadState("networkidle");
  // gzip -9 of each body: what the network carries with compression (wrangler dev may send it plain).
  const sizes = await Promise.all(
    widgetFiles.map(async (r) => ({ path: new URL(r.url()).pathname, size: gzipSync(await r.body(), { level: 9 }).length })),
  );
  const total = sizes.reduce((sum, { size }) => sum + size, 0);
  console.log(`join page: ${sizes.map(({ path, size }) => `${path} ${size}`).join(" + ")} = ${total} bytes gzip -9`);
  const names = sizes.map(({ path }) => path.split("/").pop() ?? "");
  assert.ok(names.includes("rollcall.js") && names.some((n) => n.startsWith("join-")), `the loader and the join chunk: ${names}`);
  assert.deepEqual(
    names.filter((n) => /^(roster|invite|provider|fields|form|problems|join\.fr|fr)-/.test(n)),
    [],
    "no provider element's code on the public page, nor French, the form, its fields or problem messages",
  );
  assert.ok(total <= BUDGETS.joinPage, `the join page weighs ${total} bytes gzip -9 (budget ${BUDGETS.joinPage})`);
  await shot(visitor, "join.png");
  await visitor.setViewportSize({ width: 375, height: 700 });
  await shot(visitor, "join-375.png");
  await visitor.setViewportSize(VIEWPORT);
  await joinCard.getByRole("button", { name: "Join" }).click();
  await joinCard.getByLabel("Name").fill(JOINER.name);
  await joinCard.getByLabel("Email").fill(JOINER.email);
  const framesBefore = liveFrames.length;
  await joinCard.getByRole("button", { name: "Register" }).click();
  await joinCard.getByText("You are attending!").waitFor();

  // The roster shows them without a reload: the live channel spoke.
  await roster.getByRole("cell", { name: JOINER.email, exact: true }).waitFor({ timeout: 10_000 });
  await roster.getByText(/^Confirmed \(3\)$/).waitFor();
  assert.equal(await office.evaluate(() => /** @type {any} */ (window).notReloaded), true, "the office page was not reloaded");
  assert.ok(liveFrames.length > framesBefore, "a live message arrived after the registration");

  // The provider invites two people, with a discount, through the roster's "+ Add participant".
  await office.bringToFront();
  const invite = roster.locator("rollcall-invite");
  await invite.getByRole("button", { name: "+ Add participant" }).click();
  await invite.locator("#recipients").fill(`${INVITED.email}, ${ALSO_INVITED},`); // the comma turns what was typed into address chips
  for (const address of [INVITED.email, ALSO_INVITED]) await invite.getByText(address, { exact: true }).waitFor();
  await invite.getByLabel("Discount code").selectOption({ label: "SWIM10 (10% off)" });
  await shot(office, "invite-modal.png");
  await invite.getByRole("button", { name: "Send", exact: true }).click();
  await invite.getByRole("button", { name: "Close" }).click();
  await roster.getByText(/^Invitations sent \(2\)$/).waitFor();

  // The invitation email's link opens the app's invitation page; it is accepted there.
  const mail = await mailTo(server, INVITED.email, "invitation");
  const appUrl = server.url;
  const link = mail.links.find((l) => l.startsWith(`${appUrl}/r/`));
  assert.ok(link, `an invitation link in ${JSON.stringify(mail.links)}`);
  await visitor.bringToFront();
  await visitor.goto(link);
  const invitation = visitor.locator("rollcall-join");
  await invitation.getByText("You are invited").waitFor();
  await invitation.getByText(/Your seat is reserved until/).waitFor();
  await invitation.getByText("Discount code: SWIM10").waitFor();
  await shot(visitor, "join-invitation.png");
  await invitation.getByRole("button", { name: "Accept" }).click();
  await invitation.getByLabel("Name").fill(INVITED.name);
  await invitation.getByRole("button", { name: "Accept" }).click();
  await invitation.getByText("You are attending!").waitFor();

  // Back on the office page, still not reloaded: the new participant is confirmed.
  await office.bringToFront();
  const confirmed = roster.getByRole("region", { name: "Confirmed (4)" });
  await confirmed.getByRole("cell", { name: INVITED.email, exact: true }).waitFor({ timeout: 10_000 });
  await roster.getByRole("region", { name: "Invitations sent (1)" }).getByRole("cell", { name: ALSO_INVITED, exact: true }).waitFor();
  assert.equal(await office.evaluate(() => /** @type {any} */ (window).notReloaded), true, "the office page was not reloaded");
  await shot(office, "roster.png");
  await office.setViewportSize({ width: 375, height: 900 });
  await shot(office, "roster-375.png");

  // The API agrees.
  const { rows } = await api(server, "GET", `/v1/sessions/${session.id}/roster`, { key });
  const emails = rows
    .filter((/** @type {{ group: string }} */ r) => r.group === "confirmed")
    .map((/** @type {{ email: string }} */ r) => r.email)
    .sort();
  assert.deepEqual(emails, [JOINER.email, INVITED.email, ...SEEDED.map((p) => p.email)].sort());
  assert.deepEqual(problems, []);
  await context.close();
});
