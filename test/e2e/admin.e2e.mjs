// End to end, in Chromium against the running app (`wrangler dev`, offline): a provider signs in
// to the hosted admin with the link from the dev outbox, creates a session with the form, invites
// two people with the roster's <rollcall-invite>, sees them on <rollcall-roster>, then in the
// directory, where one box ticks them all. Another, on a phone-sized window, finds people by typing
// their names on the new-session form, by keyboard and by touch, and invites them with it.
//
//   node --test test/e2e/admin.e2e.mjs      (needs the built widget: npm run build:widget)

import assert from "node:assert/strict";
import { test } from "node:test";
import { api, appAndBrowser, assertAxeClean, assertFits, mailTo, ROOT_KEY, signIn } from "./support.mjs";

const OWNER = "owner@e2e-camp.example";
const INVITED = ["ada@example.org", "grace@example.org"];

const running = appAndBrowser("admin");

test("sign in with an emailed link, create a session, invite two people, see them on the roster", { timeout: 180_000 }, async () => {
  const { server, browser } = running();
  const created = await fetch(`${server.url}/v1/orgs`, {
    method: "POST",
    headers: { authorization: `Bearer ${ROOT_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "E2E Camp", ownerEmail: OWNER }),
  });
  assert.equal(created.status, 201, await created.clone().text());

  const page = await browser.newPage({ locale: "en-GB" });
  /** @type {string[]} */
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));

  // Sign in: the form, the mail, the page behind the link, its button.
  await page.goto(`${server.url}/admin`);
  assert.match(page.url(), /\/admin\/sign-in$/);
  await page.getByLabel("Email address").fill(OWNER);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await page.getByRole("heading", { name: "Check your inbox" }).waitFor();
  const signInMail = await mailTo(server, OWNER, "sign_in");
  const link = signInMail.links.find((l) => l.includes("/admin/link/"));
  assert.ok(link, `a sign-in link in ${JSON.stringify(signInMail.links)}`);
  await page.goto(link);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/admin\/sessions$/);
  await page.getByText(`Signed in as ${OWNER}`).waitFor();

  // A session from the form, at 09:00 in Paris.
  await page.getByRole("link", { name: "New session" }).click();
  await page.getByLabel("Title").fill("Forest camp — week 1");
  await page.getByLabel("Description").fill("Five mornings of trails and tree identification.");
  await page.getByLabel("Starts at").fill("2031-07-05T09:00");
  await page.getByLabel("Time zone").selectOption("Europe/Paris");
  await page.getByLabel("Duration (minutes)").fill("180");
  await page.getByLabel("Minimum participants").fill("2");
  await page.getByLabel("Capacity (maximum participants)").fill("12");
  await page.getByRole("button", { name: "Create session" }).click();
  await page.waitForURL(/\/admin\/sessions\/ses_[0-9a-z]{20}\?notice=created$/);
  const sessionId = /\/admin\/sessions\/(ses_[0-9a-z]{20})/.exec(page.url())?.[1];
  await page.getByRole("heading", { level: 1, name: /Forest camp — week 1/ }).waitFor();
  await page.getByText(/Saturday,? 5 July 2031 at 09:00 \(Europe\/Paris\)/).waitFor();

  // Two invitations through the roster's <rollcall-invite>; both fetch their token from
  // /admin/widget-token with the member's cookie.
  const roster = page.locator("rollcall-roster");
  const invite = roster.locator("rollcall-invite");
  await invite.getByRole("button", { name: "+ Add participant" }).click();
  const recipients = invite.locator("#recipients");
  await recipients.fill(`${INVITED.join(", ")},`); // the comma turns what was typed into address chips
  for (const address of INVITED) await invite.getByText(address, { exact: true }).waitFor();
  await invite.getByRole("button", { name: "Send", exact: true }).click();
  await invite.getByRole("button", { name: "Close" }).waitFor();
  await invite.getByRole("button", { name: "Close" }).click();

  // The roster reloads after the invitations are made, and shows both as sent.
  for (const address of INVITED) await roster.getByRole("cell", { name: address, exact: true }).waitFor({ timeout: 15_000 });
  await roster.getByText(/Invitations sent \(2\)/).waitFor();
  for (const address of INVITED) assert.equal((await mailTo(server, address, "invitation")).template, "invitation");
  // And so does a fresh page.
  await page.reload();
  for (const address of INVITED) await roster.getByRole("cell", { name: address, exact: true }).waitFor();

  // The API agrees.
  const { apiKey: key } = /** @type {{ apiKey: string }} */ (await created.json());
  const api = await fetch(`${server.url}/v1/sessions/${sessionId}`, { headers: { authorization: `Bearer ${key}` } });
  const session = /** @type {{ startsAt: string, seats: { held: number } }} */ (await api.json());
  assert.equal(session.startsAt, "2031-07-05T07:00:00.000Z");
  assert.equal(session.seats.held, 2);

  // Both are in the directory now; the box above its list ticks every row, and shows when only
  // some are ticked.
  const boxes = page.locator('input[name="contactIds"]');
  for (let tries = 0; (await boxes.count()) < INVITED.length && tries < 20; tries++) {
    await page.goto(`${server.url}/admin/contacts`);
    if ((await boxes.count()) < INVITED.length) await page.waitForTimeout(500);
  }
  const everyone = page.getByRole("checkbox", { name: "Select every contact on this page" });
  await everyone.check();
  assert.deepEqual(await boxes.evaluateAll((all) => all.map((box) => /** @type {HTMLInputElement} */ (box).checked)), [true, true]);
  await boxes.first().uncheck();
  assert.equal(await everyone.evaluate((box) => /** @type {HTMLInputElement} */ (box).indeterminate), true);
  assert.deepEqual(problems, []);
});

test("find people by typing their names on the new-session form, and invite them with it (seed 001)", { timeout: 180_000 }, async () => {
  const { server, browser } = running();
  const owner = "owner@e2e-mentoring.example";
  const { apiKey } = await api(server, "POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "E2E Mentoring", ownerEmail: owner } });
  const people = await api(server, "POST", "/v1/contacts", {
    key: apiKey,
    body: {
      recipients: "Ada Lovelace <ada@mentoring.example>, Grace Hopper <grace@mentoring.example>, Alan Turing <alan@mentoring.example>",
    },
  });
  const cohort = await api(server, "POST", "/v1/groups", { key: apiKey, body: { name: "Cohort A" } });
  /** @type {{ id: string, email: string }[]} */
  const created = people.created;
  const [adaId, alanId] = ["ada@mentoring.example", "alan@mentoring.example"].map((email) => created.find((p) => p.email === email)?.id);
  await api(server, "POST", `/v1/groups/${cohort.id}/members`, { key: apiKey, body: { contactIds: [adaId, alanId] } });

  const page = await browser.newPage({ locale: "en-GB", viewport: { width: 375, height: 740 }, hasTouch: true });
  /** @type {string[]} */
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await signIn(page, server, owner);
  await page.getByRole("link", { name: "New session" }).click();
  await page.getByLabel("Title").fill("Group mentoring: first steps");
  await page.getByLabel("Description").fill("Goals, questions and a plan for the term.");
  await page.getByLabel("Starts at").fill("2031-07-05T18:00");
  await page.getByLabel("Duration (minutes)").fill("90");
  await page.getByLabel("Minimum participants").fill("1");
  await page.getByLabel("Capacity (maximum participants)").fill("8");

  const search = page.getByRole("combobox", { name: "Find someone in your people" });
  const invite = page.getByLabel("Invite participants (optional)");
  const status = page.getByRole("status");
  // By keyboard: type, go down to the person, Enter adds them and does not send the form.
  await search.pressSequentially("love");
  const ada = page.getByRole("option", { name: /Ada Lovelace/ });
  await ada.waitFor();
  assert.equal(await search.getAttribute("aria-expanded"), "true");
  await status.filter({ hasText: "1 person matches." }).waitFor();
  await assertFits(page, "the form with the people found, at 375 px");
  await assertAxeClean(page, "the form with the people found");
  await search.press("ArrowDown");
  assert.equal(await search.getAttribute("aria-activedescendant"), await ada.getAttribute("id"));
  await search.press("Enter");
  await status.filter({ hasText: "Ada Lovelace is added to the people to invite." }).waitFor();
  assert.match(page.url(), /\/admin\/sessions\/new$/);
  assert.equal(await invite.inputValue(), '"Ada Lovelace" <ada@mentoring.example>');
  assert.equal(await search.inputValue(), "");
  assert.equal(await search.getAttribute("aria-expanded"), "false");

  // By touch: a tap on the person adds them on a line of their own.
  await search.pressSequentially("hop");
  await page.getByRole("option", { name: /Grace Hopper/ }).tap();
  await status.filter({ hasText: "Grace Hopper is added" }).waitFor();
  assert.equal(await invite.inputValue(), '"Ada Lovelace" <ada@mentoring.example>\n"Grace Hopper" <grace@mentoring.example>');
  // Someone already on the list is not added twice; Escape closes the list.
  await search.pressSequentially("ada@");
  await page.getByRole("option", { name: /Ada Lovelace/ }).waitFor();
  await search.press("ArrowDown");
  await search.press("Enter");
  await status.filter({ hasText: "Ada Lovelace is already on the list." }).waitFor();
  await search.pressSequentially("turing");
  await page.getByRole("option", { name: /Alan Turing/ }).waitFor();
  await search.press("Escape");
  assert.equal(await search.getAttribute("aria-expanded"), "false");
  assert.equal(await invite.inputValue(), '"Ada Lovelace" <ada@mentoring.example>\n"Grace Hopper" <grace@mentoring.example>');
  // A whole group: its people not on the list yet are added, each on a line of their own.
  await search.fill("");
  await search.pressSequentially("cohort");
  const group = page.getByRole("option", { name: /Group: Cohort A/ });
  await group.waitFor();
  await status.filter({ hasText: "1 group matches." }).waitFor();
  await search.press("ArrowDown");
  assert.equal(await search.getAttribute("aria-activedescendant"), await group.getAttribute("id"));
  await search.press("Enter");
  await status.filter({ hasText: "Group Cohort A: added to the people to invite, 1; already on the list, 1." }).waitFor();
  assert.equal(
    await invite.inputValue(),
    '"Ada Lovelace" <ada@mentoring.example>\n"Grace Hopper" <grace@mentoring.example>\n"Alan Turing" <alan@mentoring.example>',
  );

  await page.getByRole("button", { name: "Create session" }).click();
  await page.waitForURL(/\/admin\/sessions\/ses_[0-9a-z]{20}\?notice=createdInvited$/);
  for (const address of ["ada@mentoring.example", "grace@mentoring.example", "alan@mentoring.example"])
    assert.equal((await mailTo(server, address, "invitation")).template, "invitation");
  assert.deepEqual(problems, []);
});
