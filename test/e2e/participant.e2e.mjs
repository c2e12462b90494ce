// End to end, in Chromium against the running app (`wrangler dev`, offline): the participant's own
// page on a phone (375 px). A person invited to one session and registered for another finds the
// page's address in their invitation email, asks for a link there, reads it from the dev outbox,
// opens it (a button, then the page), accepts the invitation, cancels the registration and
// switches the page to French. Nothing runs out of the page sideways, and axe finds no violation,
// at each step. The French page is photographed into .tmp/screenshots/.
//
//   node --test test/e2e/participant.e2e.mjs     (needs the built widget: npm run build:widget)

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { PROJECT_ROOT } from "../../scripts/dev-server.mjs";
import { api, appAndBrowser, assertAxeClean, assertFits, mailTo, ROOT_KEY } from "./support.mjs";

const SCREENSHOTS = join(PROJECT_ROOT, ".tmp", "screenshots");
const PERSON = { name: "Maximilienne Vandenberghe", email: "maximilienne.vandenberghe-lefebvre@famille-example.org" };

const running = appAndBrowser("participant");

/** @param {import("playwright-core").Page} page @param {string} what */
async function fitsAndPassesAxe(page, what) {
  await assertFits(page, what);
  await assertAxeClean(page, what);
}

test("a person finds their page from an email, opens it on a phone, answers, cancels and switches to French", {
  timeout: 300_000,
}, async () => {
  const { server, browser } = running();
  const { apiKey: key, org } = await api(server, "POST", "/v1/orgs", {
    key: ROOT_KEY,
    body: { name: "Pinewood Summer Camp", ownerEmail: "director@pinewood-camp.example" },
  });
  const session = (/** @type {string} */ title, /** @type {string} */ startsAt) =>
    api(server, "POST", "/v1/sessions", {
      key,
      body: {
        title,
        description: "Outdoors, all weather.",
        startsAt,
        timeZone: "Europe/Paris",
        durationMinutes: 120,
        minParticipants: 1,
        maxParticipants: 8,
      },
    });
  const invitedTo = await session("Forest explorers — week 1 (ages 8 to 11), morning group", "2031-07-07T09:00:00+02:00");
  const registeredFor = await session("Canoe basics on the lake", "2031-07-14T14:00:00+02:00");
  await api(server, "POST", `/v1/sessions/${invitedTo.id}/invitations`, { key, body: { recipients: `${PERSON.name} <${PERSON.email}>` } });
  await api(server, "POST", `/v1/public/sessions/${registeredFor.id}/registrations`, { body: PERSON });

  // The invitation email links to the person's page for the org.
  const invitation = await mailTo(server, PERSON.email, "invitation");
  const pageUrl = invitation.links.find((l) => l.startsWith(`${running().server.url}/p/`));
  assert.equal(pageUrl, `${server.url}/p/${org.id}`, `the page's address in ${JSON.stringify(invitation.links)}`);

  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: "en-GB", timezoneId: "Europe/Paris" });
  const page = await context.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));

  await page.goto(pageUrl);
  await fitsAndPassesAxe(page, "the ask-for-a-link form");
  await page.getByLabel("Email or phone").fill(PERSON.email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await page.getByRole("heading", { name: "Check your messages" }).waitFor();

  const mail = await mailTo(server, PERSON.email, "page_link");
  const link = mail.links.find((l) => l.includes("/p/l/"));
  assert.ok(link, `a page link in ${JSON.stringify(mail.links)}`);
  await page.goto(link);
  await fitsAndPassesAxe(page, "the link's button page");
  await page.getByRole("button", { name: "Open my page" }).click();
  await page.waitForURL(/\/p\/me$/);
  await page.getByRole("heading", { name: "Your sessions with Pinewood Summer Camp" }).waitFor();
  await fitsAndPassesAxe(page, "the page");

  const invitedItem = page.locator(`li[data-session="${invitedTo.id}"]`);
  await invitedItem.getByRole("button", { name: "Accept" }).click();
  await page.getByText("Your answer is saved").waitFor();
  await page.locator(`li[data-session="${invitedTo.id}"][data-status="registered"]`).waitFor();
  assert.ok(await page.locator(`li[data-session="${invitedTo.id}"]`).getByRole("link", { name: "Add to calendar (.ics)" }).isVisible());

  // Cancelling asks first.
  const registeredItem = page.locator(`li[data-session="${registeredFor.id}"]`);
  await registeredItem.getByRole("link", { name: "Cancel my registration" }).click();
  await registeredItem.getByText("Cancel? Your seat").waitFor();
  await fitsAndPassesAxe(page, "the page asking before cancelling");
  await registeredItem.getByRole("button", { name: "Yes, cancel" }).click();
  await page.getByText("Your registration is cancelled.").waitFor();

  await page.getByLabel("First name").fill("Maximilienne");
  await page.getByLabel("Last name").fill("Vandenberghe-Lefebvre");
  await page.getByLabel("Français").check();
  await page.getByRole("button", { name: "Save my details" }).click();
  await page.getByRole("heading", { name: "Vos séances avec Pinewood Summer Camp" }).waitFor();
  await page.getByText("Bonjour Maximilienne Vandenberghe-Lefebvre.").waitFor();
  await fitsAndPassesAxe(page, "the page in French");
  await page.screenshot({ path: join(SCREENSHOTS, "participant-page-fr-375.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});
