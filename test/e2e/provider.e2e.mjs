// End to end, in Chromium against the running app (`wrangler dev`, offline): the provider's pages
// at a phone's width (375 px) and a desktop's (1280 px). The hosted admin's pages, the session page
// with its roster and the invitation dialog: nothing runs out of the page sideways, every row's
// actions are on screen without scrolling sideways, and the dialog is centred and fits. Each page
// is photographed at both widths into .tmp/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
// Then the session page at work on a phone: its header following the live channel, Remove asked,
// undone, done and emailed with the calendar's cancellation, the Copy buttons, the browser's zone.
//
//   node --test test/e2e/provider.e2e.mjs     (needs the built widget: npm run build:widget)

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { PROJECT_ROOT } from "../../scripts/dev-server.mjs";
import { api, appAndBrowser, mailTo, ROOT_KEY, signIn, widthsOf } from "./support.mjs";

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? join(PROJECT_ROOT, "docs", "screenshots") : join(PROJECT_ROOT, ".tmp", "screenshots");
const OWNER = "director@pinewood-camp.example";
const WIDTHS = [375, 1280];
/** Long names and addresses, as real rosters have them: the narrow layout must hold them. */
const PEOPLE = [
  { name: "Maximilienne-Théodora Vandenberghe-Lefebvre", email: "maximilienne.vandenberghe-lefebvre@famille-example.org" },
  { name: "Liam Gagnon", email: "liam@example.org" },
  { name: "Olivia Tremblay", email: "olivia.tremblay@example.org" },
];

const running = appAndBrowser("provider");

/** What does not fit, every page and width at once (one failure says all of it). @type {string[]} */
const misfits = [];
/** @param {boolean} ok @param {string} what */
const check = (ok, what) => void (ok || misfits.push(what));

/** The page is no wider than the window: nothing makes a phone scroll sideways. @param {import("playwright-core").Page} page @param {string} what */
async function checkNoOverflow(page, what) {
  const { scrollWidth, innerWidth } = await widthsOf(page);
  check(scrollWidth <= innerWidth, `${what}: the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
}

/**
 * Short one-word cells (a type, a status, a Delete link) and the header's "Sign out" stay on one
 * line: a column squeezed by `overflow-wrap: anywhere` showed "member" as "memb er", and a phone
 * showed "Supprimer" as "Su pp ri me r" and "Se déconnecter" as "Se déconne cter".
 * @param {import("playwright-core").Page} page @param {string} what
 */
async function checkWholeWords(page, what) {
  const broken = await page.evaluate(() => {
    /** @param {Node} node */
    const lineCount = (node) => {
      const range = document.createRange();
      range.selectNodeContents(node);
      return new Set(
        Array.from(range.getClientRects())
          .filter((r) => r.width > 0)
          .map((r) => Math.round(r.top)),
      ).size;
    };
    /** @type {string[]} */
    const found = [];
    for (const cell of Array.from(document.querySelectorAll("td"))) {
      // Each word on its own (a cell may hold two buttons, one above the other).
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = (node.textContent ?? "").trim();
        if (/^[\p{L}-]{2,12}$/u.test(text) && lineCount(node) > 1) found.push(text);
      }
    }
    for (const button of Array.from(document.querySelectorAll(".who button")))
      if (lineCount(button) > 1) found.push(button.textContent ?? "");
    return found;
  });
  check(broken.length === 0, `${what}: words broken across lines: ${broken.join(", ")}`);
}

/** @param {import("playwright-core").Page} page @param {string} name */
const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });

test("the provider's pages fit a phone and a desktop: admin, roster, invitation dialog", { timeout: 300_000 }, async () => {
  const { server, browser } = running();
  const { apiKey: key } = await api(server, "POST", "/v1/orgs", {
    key: ROOT_KEY,
    body: { name: "Pinewood Summer Camp", ownerEmail: OWNER },
  });
  // A full session with someone of every kind: confirmed, waitlisted, invited (sent, to send,
  // scheduled) and a cancelled invitation.
  const session = await api(server, "POST", "/v1/sessions", {
    key,
    body: {
      title: "Forest explorers — week 1 (ages 8 to 11), morning group",
      description: "Five mornings in the woods.",
      startsAt: "2031-07-07T09:00:00+02:00",
      timeZone: "Europe/Paris",
      durationMinutes: 180,
      minParticipants: 3,
      maxParticipants: 4,
    },
  });
  for (const person of PEOPLE.slice(0, 2)) await api(server, "POST", `/v1/public/sessions/${session.id}/registrations`, { body: person });
  const invite = (/** @type {Record<string, unknown>} */ body) =>
    api(server, "POST", `/v1/sessions/${session.id}/invitations`, { key, body });
  await invite({ recipients: "Grace Hopper <grace.hopper@navy-example.org>" });
  await invite({ recipients: "barbara.liskov@example.org", send: "later" });
  await invite({ recipients: "edsger@example.org", holdSeat: false, sendAt: "2031-06-01T08:00:00Z" });
  const { invitations } = await invite({ recipients: "donald@example.org", holdSeat: false });
  await api(server, "POST", `/v1/invitations/${invitations[0].id}/cancel`, { key });
  await api(server, "POST", `/v1/public/sessions/${session.id}/registrations`, { body: PEOPLE[2] });
  // The directory: a group, its people (the registrants above became contacts), a program.
  const group = await api(server, "POST", "/v1/groups", { key, body: { name: "Forest explorers — morning group, ages 8 to 11" } });
  // Registrants become contacts once their session's ledger has written them to D1, moments after: wait for all three.
  /** @type {{ id: string }[]} */
  let contacts = [];
  for (let tries = 0; contacts.length < PEOPLE.length && tries < 100; tries++) {
    if (tries) await new Promise((r) => setTimeout(r, 200));
    ({ contacts } = await api(server, "GET", "/v1/contacts?limit=50", { key }));
  }
  await api(server, "POST", `/v1/groups/${group.id}/members`, {
    key,
    body: { contactIds: contacts.map((/** @type {{id: string}} */ c) => c.id) },
  });
  const program = await api(server, "POST", "/v1/programs", {
    key,
    body: { name: "Summer 2031: forest explorers", startsOn: "2031-07-01", timeZone: "Europe/Paris" },
  });
  await api(server, "POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [session.id] } });

  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB", timezoneId: "Europe/Paris" });
  /** @type {string[]} */
  const problems = [];
  context.on("weberror", (error) => problems.push(error.error().message));
  const page = await context.newPage();
  await signIn(page, server, OWNER);
  await page.goto(`${server.url}/admin/keys`);
  await page.getByLabel("Label").fill("Camp website");
  await page.getByRole("button", { name: "Create a key" }).click();
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    for (const [path, name] of [
      ["/admin/sessions", "sessions"],
      ["/admin/sessions/new", "session-new"],
      [`/admin/sessions/${session.id}/edit`, "session-edit"],
      [`/admin/sessions/${session.id}/cancel`, "session-cancel"],
      ["/admin/keys", "keys"],
      ["/admin/members", "members"],
      ["/admin/settings", "settings"],
      ["/admin/contacts", "contacts"],
      ["/admin/contacts/import", "contacts-import"],
      // Every contact: each has its own history (a registration, a waitlist place, invitations).
      ...contacts.map((/** @type {{id: string}} */ contact, /** @type {number} */ i) => [`/admin/contacts/${contact.id}`, `contact-${i}`]),
      ["/admin/groups", "groups"],
      ["/admin/programs", "programs"],
      [`/admin/programs/${program.id}`, "program"],
      ["/admin/privacy", "privacy"],
    ]) {
      await page.goto(`${server.url}${path}`);
      await checkNoOverflow(page, `${path} at ${width} px`);
      await checkWholeWords(page, `${path} at ${width} px`);
      await shot(page, `admin-${name}-${width}.png`);
    }

    // The session page, once the roster has drawn every group.
    await page.goto(`${server.url}/admin/sessions/${session.id}`);
    const roster = page.locator("rollcall-roster");
    await roster.getByText(/^Expired \/ declined \/ cancelled \(1\)$/).waitFor();
    await checkNoOverflow(page, `the session page at ${width} px`);
    const actions = roster.locator(".row-actions button");
    assert.ok((await actions.count()) >= 6, "every live row has its actions");
    // Without scrolling sideways: each action lies inside the window and inside its group's box
    // (a table scrolling inside its card would hide them past its edge).
    const offScreen = await actions.evaluateAll((buttons) =>
      buttons
        .map((b) => {
          const box = b.getBoundingClientRect();
          const group = /** @type {Element} */ (b.closest("section")).getBoundingClientRect();
          return { label: b.getAttribute("aria-label"), left: box.left, right: box.right, edge: Math.min(group.right, window.innerWidth) };
        })
        .filter((b) => b.left < 0 || b.right > b.edge + 0.5),
    );
    for (const b of offScreen) check(false, `${b.label} is out of reach at ${width} px (right edge ${b.right}, visible up to ${b.edge})`);
    for (const person of PEOPLE) await roster.getByText(person.email).waitFor();
    await shot(page, `admin-session-${width}.png`);

    // The invitation dialog: centred, within the window, nothing scrolling sideways inside it.
    const dialog = roster.locator("rollcall-invite dialog");
    await roster.getByRole("button", { name: "+ Add participant" }).click();
    await dialog.waitFor();
    await roster.locator("rollcall-invite #recipients").fill("ada@example.org, alan.turing@bletchley-park-example.org, not-an-address,");
    await page.waitForTimeout(100);
    const box = await dialog.boundingBox();
    const viewport = page.viewportSize();
    assert.ok(box && viewport, "the dialog is shown");
    const [left, right] = [box.x, viewport.width - (box.x + box.width)];
    check(left >= 0 && right >= 0, `the dialog runs out of the ${width} px window: ${JSON.stringify(box)}`);
    check(Math.abs(left - right) <= 1, `the dialog is off centre at ${width} px (${left} px left, ${right} px right)`);
    check(box.y >= 0 && box.y + box.height <= viewport.height, `the dialog is taller than the window at ${width} px`);
    const inner = await dialog.evaluate((d) => ({ scroll: d.scrollWidth, client: d.clientWidth }));
    check(inner.scroll <= inner.client, `the dialog scrolls sideways at ${width} px: ${JSON.stringify(inner)}`);
    await page.screenshot({ path: join(SCREENSHOTS, `admin-invite-${width}.png`) });
    await page.keyboard.press("Escape");
  }
  // In French too, whose words run longer ("Se déconnecter", "Supprimer").
  const french = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: "fr-FR", timezoneId: "Europe/Paris" });
  await french.addCookies(await context.cookies());
  const frenchPage = await french.newPage();
  for (const [path, name] of [
    ["/admin/contacts", "contacts"],
    ["/admin/groups", "groups"],
    [`/admin/programs/${program.id}`, "program"],
  ]) {
    await frenchPage.goto(`${server.url}${path}`);
    assert.equal(await frenchPage.locator("html").getAttribute("lang"), "fr", `${path} speaks French`);
    await checkNoOverflow(frenchPage, `${path} in French at 375 px`);
    await checkWholeWords(frenchPage, `${path} in French at 375 px`);
    await shot(frenchPage, `admin-${name}-fr-375.png`);
  }
  await french.close();
  assert.deepEqual(misfits, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the session page at work: a live header, Remove asked and undoable then emailed, copy buttons, the browser's zone", {
  timeout: 300_000,
}, async () => {
  const { server, browser } = running();
  const owner = "office@lakeside-camp.example";
  const { apiKey: key } = await api(server, "POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "Lakeside Camp", ownerEmail: owner } });
  const session = await api(server, "POST", "/v1/sessions", {
    key,
    body: {
      title: "Canoe basics",
      description: "Two hours on the lake.",
      startsAt: "2031-08-02T09:00:00+02:00",
      timeZone: "Europe/Paris",
      durationMinutes: 120,
      minParticipants: 1,
      maxParticipants: 2,
      waitlist: false,
    },
  });
  const ada = { name: "Ada Lovelace", email: "ada.canoe@example.org" };
  await api(server, "POST", `/v1/public/sessions/${session.id}/registrations`, { body: ada });

  // A provider in India: a new session starts in their browser's zone, by its IANA name.
  const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: "en-GB", timezoneId: "Asia/Kolkata" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  /** @type {string[]} */
  const problems = [];
  context.on("weberror", (error) => problems.push(error.error().message));
  const page = await context.newPage();
  await signIn(page, server, owner);
  await page.goto(`${server.url}/admin/sessions/new`);
  assert.equal(await page.getByLabel("Time zone").inputValue(), "Asia/Kolkata");
  // A key's creation, written in UTC by the server, reads in the browser's zone.
  await page.goto(`${server.url}/admin/keys`);
  const created = page.locator("time[data-local]").first();
  const shown = String(await created.textContent());
  // Chromium reports the zone by its older name, Asia/Calcutta; the page names it as people know it.
  assert.match(shown, / \(Asia\/Kolkata\)$/);
  const instant = new Date(String(await created.getAttribute("datetime")));
  const hour = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Kolkata", hour: "2-digit", minute: "2-digit" }).format(instant);
  assert.ok(shown.includes(hour), `the key's time ${hour} in Kolkata`);

  // The header is the roster's: it follows the live channel without a reload.
  await page.goto(`${server.url}/admin/sessions/${session.id}`);
  const roster = page.locator("rollcall-roster");
  await roster.getByText("1 of 2 seats taken").waitFor();
  await roster.getByText("Registration open", { exact: true }).waitFor();
  await api(server, "POST", `/v1/public/sessions/${session.id}/registrations`, {
    body: { name: "Grace Hopper", email: "grace.canoe@example.org" },
  });
  await roster.getByText("Full", { exact: true }).waitFor({ timeout: 10_000 });
  await roster.getByText("2 of 2 seats taken").waitFor();

  // Remove asks first, naming the person; then waits with an Undo before anything is sent.
  await roster.getByRole("button", { name: `Remove · ${ada.name}` }).click();
  const dialog = roster.getByRole("dialog", { name: `Remove ${ada.name}?` });
  await dialog.waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, "roster-remove-375.png") });
  await dialog.getByRole("button", { name: "Remove", exact: true }).click();
  await roster.getByText(`Removing ${ada.name}…`).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, "roster-undo-375.png") });
  await roster.getByRole("button", { name: `Undo · ${ada.name}` }).click();
  await roster.getByText(`Undone: nothing changes for ${ada.name}.`).waitFor();
  await roster.getByRole("button", { name: `Remove · ${ada.name}` }).click();
  await dialog.getByRole("button", { name: "Remove", exact: true }).click();
  await roster.getByText(`${ada.name} removed.`).waitFor({ timeout: 15_000 });
  await roster.getByText("1 of 2 seats taken").waitFor();
  const mail = await mailTo(server, ada.email, "registration_cancelled");
  const ics = await (await fetch(mail.attachments[0].url)).text();
  assert.match(ics, /METHOD:CANCEL/);
  assert.match(ics, /STATUS:CANCELLED/);

  // Copy the embed snippet.
  await page.getByRole("button", { name: "Copy" }).nth(1).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await page.locator("#embed").inputValue());
  await page.getByRole("button", { name: "Copied" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
