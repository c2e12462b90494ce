// End to end, in Chromium against the running app (`wrangler dev`, offline): every page of the
// hosted admin a provider can reach by following links from its home, and the public pages of the
// org (its sessions', an invitation's, its list, the person's own page's), on a phone (375 px), in
// English and in French. On each, axe finds no violation
// and nothing runs out of the page sideways. The org has one of everything first (a session with a
// price, questions and a code, a registration, an invitation, a contact in a group, a program, a
// discount code, a webhook endpoint, an API key), so the pages of each show real rows.
//
//   node --test test/e2e/pages.e2e.mjs      (needs the built widget: npm run build:widget)

import assert from "node:assert/strict";
import { test } from "node:test";
import { api, appAndBrowser, assertAxeClean, assertCardsWhole, assertFits, mailTo, ROOT_KEY, signIn } from "./support.mjs";

const OWNER = "director@lakeside-camp.example";
/** Links the crawl does not follow: downloads, and the way out. */
const NOT_PAGES = /\/sign-out|\.csv|\.ics|\/template|\/export/;

const running = appAndBrowser("pages");

test("every admin page reachable from its home, and the org's public pages, pass axe and fit 375 px in English and French", {
  timeout: 600_000,
}, async (t) => {
  const { server, browser } = running();
  const { apiKey: key, org } = await api(server, "POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "Lakeside Camp", ownerEmail: OWNER } });
  const call = (/** @type {string} */ method, /** @type {string} */ path, /** @type {unknown} */ body) =>
    api(server, method, path, { key, body });
  await call("PATCH", "/v1/org", { slug: "lakeside-camp" });
  const session = await call("POST", "/v1/sessions", {
    title: "Canoe basics on the lake",
    description: "Two hours on the water; bring a towel.",
    startsAt: "2031-07-14T14:00:00+02:00",
    timeZone: "Europe/Paris",
    durationMinutes: 120,
    minParticipants: 2,
    maxParticipants: 8,
    price: { amount: 2500, currency: "EUR" },
    form: { fields: [{ key: "age", type: "number", label: { en: "Child’s age", fr: "Âge de l’enfant" }, required: true }] },
  });
  const free = await call("POST", "/v1/sessions", {
    title: "Forest explorers",
    description: "Trails and tracks.",
    startsAt: "2031-07-07T09:00:00+02:00",
    timeZone: "Europe/Paris",
    durationMinutes: 180,
    minParticipants: 0,
    maxParticipants: 10,
    registrationCode: "PINE-CONE",
  });
  await call("POST", `/v1/sessions/${free.id}/registrations`, { name: "Ada Lovelace", email: "ada@example.org" });
  await call("POST", `/v1/sessions/${session.id}/invitations`, { recipients: "Grace Hopper <grace@example.org>" });
  const contact = await call("POST", "/v1/contacts", { firstName: "Alan", lastName: "Turing", email: "alan@example.org" });
  const group = await call("POST", "/v1/groups", { name: "Cabin A" });
  // Reached by SMS only: the program's job lists her among the people it could not invite, in a table.
  const textOnly = await call("POST", "/v1/contacts", { firstName: "Léa", lastName: "Roy", phone: "+15145550199", channel: "sms" });
  await call("POST", `/v1/groups/${group.id}/members`, { contactIds: [contact.id, textOnly.id] });
  const program = await call("POST", "/v1/programs", { name: "Summer 2031", startsOn: "2031-07-01", timeZone: "Europe/Paris" });
  await call("POST", `/v1/programs/${program.id}/sessions`, { sessionIds: [free.id] });
  // Its emails kept to send: the program's page offers "Edit the email and send", a page of its own.
  const kept = await call("POST", `/v1/programs/${program.id}/invitations`, { groupIds: [group.id], send: "later" });
  await call("POST", "/v1/discount-codes", { code: "SIBLING", percentOff: 10 });
  await call("POST", "/v1/webhook-endpoints", { url: "https://hooks.lakeside-camp.example/rollcall", events: ["registration.created"] });
  await call("POST", "/v1/api-keys", { label: "Camp website" });

  const english = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: "en-GB" });
  const signingIn = await english.newPage();
  await signIn(signingIn, server, OWNER);
  const signedIn = await english.storageState();
  const french = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: "fr-FR", storageState: signedIn });

  // Rollcall's icon: the first page a browser opens asks for it (and then remembers the answer).
  const fresh = await browser.newContext();
  const first = await fresh.newPage();
  /** @type {string[]} */
  const unanswered = [];
  first.on("console", (message) => {
    if (message.type() === "error") unanswered.push(`${message.location().url}: ${message.text()}`);
  });
  await first.goto(`${server.url}/s/${free.id}`);
  await first.waitForLoadState("networkidle");
  assert.equal(await first.locator('link[rel="icon"]').getAttribute("href"), "/favicon.svg");
  const icon = await fetch(`${server.url}/favicon.svg`);
  assert.equal(icon.status, 200, "the icon is served");
  assert.match(icon.headers.get("content-type") ?? "", /^image\/svg\+xml/);
  assert.deepEqual(unanswered, [], "the first page opened gets everything it asks for");
  await fresh.close();

  const invitationLink = (await mailTo(server, "grace@example.org", "invitation")).links.find((l) => l.includes("/r/"));
  assert.ok(invitationLink, "the invitation email links to its page");
  const publicPages = [
    `/s/${session.id}`,
    `/s/${free.id}`,
    `/s/${free.id}/code`,
    new URL(invitationLink).pathname,
    "/o/lakeside-camp",
    `/p/${org.id}`,
  ];
  for (const [language, context] of /** @type {const} */ ([
    ["en", english],
    ["fr", french],
  ])) {
    const page = await context.newPage();
    /** @type {string[]} */
    const problems = [];
    page.on("pageerror", (error) => problems.push(error.message));
    // A resource the page asks for and does not get (a script, a style, an image) is said here; the
    // page's own status is checked below.
    page.on("console", (message) => {
      if (message.type() === "error" && message.location().url !== page.url()) problems.push(`${page.url()}: ${message.text()}`);
    });
    const check = async (/** @type {string} */ path) => {
      const answer = await page.goto(`${server.url}${path}`);
      // A page that asks before an action answers 409 where it refuses it, saying why (removing the only owner).
      const status = answer?.status();
      assert.ok(status === 200 || (status === 409 && path.endsWith("/remove")), `${language} ${path} answered ${status}`);
      assert.equal(await page.locator("html").getAttribute("lang"), language, `${path} is in ${language}`);
      // The elements on a page render once their words and the API's answer are in.
      await page.waitForLoadState("networkidle");
      await assertFits(page, `${language} ${path}`);
      await assertCardsWhole(page, `${language} ${path}`);
      await assertAxeClean(page, `${language} ${path}`);
    };

    const seen = new Set();
    const queue = ["/admin"];
    while (queue.length) {
      const path = /** @type {string} */ (queue.shift());
      if (seen.has(path)) continue;
      seen.add(path);
      await check(path);
      const links = await page.locator("a[href]").evaluateAll((anchors) => anchors.map((a) => /** @type {HTMLAnchorElement} */ (a).href));
      for (const href of links) {
        const url = new URL(href);
        if (url.origin !== server.url || !url.pathname.startsWith("/admin") || NOT_PAGES.test(url.pathname)) continue;
        if (!seen.has(url.pathname + url.search)) queue.push(url.pathname + url.search);
      }
    }
    // The org's own rows were reached, not only its lists.
    for (const id of [session.id, contact.id, group.id, program.id, kept.id])
      assert.ok(
        [...seen].some((path) => path.includes(id)),
        `${language}: the crawl reached a page of ${id}`,
      );
    assert.ok(seen.size > 30, `${language}: the crawl reached ${seen.size} admin pages`);
    t.diagnostic(`${language}: ${seen.size} admin pages and ${publicPages.length} public pages`);

    for (const path of publicPages) await check(path);
    assert.deepEqual(problems, [], `${language}: errors on the pages`);
    await page.close();
  }

  // The dev outbox, where a developer reads what was sent: its list for one address (named in its
  // title) and a message fit a phone too.
  const outbox = await english.newPage();
  await outbox.goto(`${server.url}/dev/mail?to=${encodeURIComponent(OWNER)}`);
  await assertFits(outbox, "the dev outbox's mail to one address");
  await outbox.locator("main a[href^='/dev/mail/']").first().click();
  await outbox.waitForLoadState("networkidle");
  await assertFits(outbox, "a message in the dev outbox");
  await outbox.close();
});
