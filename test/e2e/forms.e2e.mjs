// End to end, in Chromium against the running app (`wrangler dev`, offline): registration forms.
// (a) The provider builds a session's form in the hosted admin (/admin/sessions/{id}/form): adds
// questions of several types, moves one up, edits one, removes one (asked first), reads the
// preview; then a participant registers through <rollcall-join> on a phone (375 px): the required
// questions left empty are named one by one, then the registration goes through, and the answers
// show on the provider's roster. (b) The code page of a session with a registration code (seed
// 004, /s/{id}/code), on a phone: a wrong code lists nobody, the right one lists first names and
// initials only, "that's me" emails that person the link to their page and shows nothing of
// theirs, and REGISTER takes the form. Screenshots of each step go to a temporary folder (printed;
// E2E_SCREENSHOTS names another).
//
//   node --test test/e2e/forms.e2e.mjs     (needs the built widget: npm run build:widget)

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { api, appAndBrowser, assertFits, mailTo, ROOT_KEY, signIn } from "./support.mjs";

const OWNER = "director@owl-camp.example";
const PHONE = { width: 375, height: 800 };
const CODE = "OWL-2031";

/** @type {string} */
let shots;

const running = appAndBrowser("forms", {
  start: async () => {
    shots = process.env.E2E_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "rollcall-forms-"));
    mkdirSync(shots, { recursive: true });
    console.log(`screenshots: ${shots}`);
  },
});

/** @param {import("playwright-core").Page} page @param {string} name */
const shot = (page, name) => page.screenshot({ path: join(shots, name), fullPage: true });

/** An org (its owner `owner`) with an API key, and a session of its. @param {string} owner @param {Record<string, unknown>} extra */
async function orgAndSession(owner, extra = {}) {
  const { apiKey: key } = await api(running().server, "POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "Owl Camp", ownerEmail: owner } });
  const session = await api(running().server, "POST", "/v1/sessions", {
    key,
    body: {
      title: "Night walk in the forest",
      description: "Two hours under the trees, back by midnight.",
      startsAt: "2031-08-02T21:00:00+02:00",
      timeZone: "Europe/Paris",
      durationMinutes: 90,
      minParticipants: 1,
      maxParticipants: 12,
      ...extra,
    },
  });
  return { key, session };
}

/**
 * Fills and saves one of the builder's question forms (the one under `heading`).
 * @param {import("playwright-core").Page} page @param {string} heading
 * @param {{ key?: string, type?: string, labelEn?: string, labelFr?: string, helpEn?: string, required?: boolean, choices?: string }} q
 */
async function saveQuestion(page, heading, q) {
  const form = page.locator("form.card").filter({ has: page.getByRole("heading", { name: heading, exact: true }) });
  if (q.key !== undefined) await form.getByLabel("Key").fill(q.key);
  if (q.type !== undefined) await form.getByLabel("Type").selectOption({ label: q.type });
  if (q.labelEn !== undefined) await form.getByLabel("Label (English)").fill(q.labelEn);
  if (q.labelFr !== undefined) await form.getByLabel("Label (French)").fill(q.labelFr);
  if (q.helpEn !== undefined) await form.getByLabel("Help (English)").fill(q.helpEn);
  if (q.required !== undefined) await form.getByLabel("Required").setChecked(q.required);
  if (q.choices !== undefined) await form.getByLabel("Choices").fill(q.choices);
  await form.getByRole("button", { name: "Save" }).click();
  await page.waitForURL(/\/form$/);
}

/** The builder's list of questions, as "label · type · key[ · required]" lines. @param {import("playwright-core").Page} page */
const questionList = async (page) => (await page.locator("ol > li > strong").allTextContents()).map((s) => s.trim());

test("the provider builds a form in the admin; a participant registers with it on a phone; the roster shows the answers", {
  timeout: 300_000,
}, async () => {
  const { server, browser } = running();
  const { key, session } = await orgAndSession(OWNER);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB", timezoneId: "Europe/Paris" });
  const page = await context.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));

  await signIn(page, server, OWNER);
  await page.goto(`${server.url}/admin/sessions/${session.id}`);
  await page.getByRole("link", { name: "Registration form" }).click();
  await page.waitForURL(/\/form$/);
  await page.getByText("No questions yet").waitFor();

  // Four questions of four types.
  await saveQuestion(page, "Add a question", {
    key: "nickname",
    type: "Short text",
    labelEn: "Nickname",
    labelFr: "Surnom",
    required: true,
  });
  await saveQuestion(page, "Add a question", {
    key: "diet",
    type: "Single choice",
    labelEn: "Diet",
    labelFr: "Régime",
    required: true,
    choices: "veg | Vegetarian | Végétarien\nnone | No preference | Sans préférence",
  });
  await saveQuestion(page, "Add a question", { key: "age", type: "Number", labelEn: "Age", labelFr: "Âge" });
  await saveQuestion(page, "Add a question", {
    key: "rules",
    type: "Checkbox (consent)",
    labelEn: "I will stay with the group",
    labelFr: "Je reste avec le groupe",
    required: true,
  });
  assert.deepEqual(await questionList(page), ["Nickname", "Diet", "Age", "I will stay with the group"]);

  // A key that breaks the rules is refused, named at its field, and nothing is added.
  const add = page.locator("form.card").filter({ has: page.getByRole("heading", { name: "Add a question", exact: true }) });
  await add.getByLabel("Key").fill("Bad Key");
  await add.getByLabel("Label (English)").fill("Shoe size");
  await add.getByRole("button", { name: "Save" }).click();
  await add.getByLabel("Key").and(page.locator('[aria-invalid="true"]')).waitFor();
  assert.deepEqual(await questionList(page), ["Nickname", "Diet", "Age", "I will stay with the group"]);
  await page.goto(`${server.url}/admin/sessions/${session.id}/form`);

  // Reorder: the consent moves up, above Age.
  await page.locator("ol > li").filter({ hasText: "I will stay with the group" }).getByRole("button", { name: "Move up" }).click();
  await page.waitForURL(/\/form$/);
  assert.deepEqual(await questionList(page), ["Nickname", "Diet", "I will stay with the group", "Age"]);

  // Edit: the nickname's label and help.
  await page.locator("ol > li").filter({ hasText: "Nickname" }).getByRole("link", { name: "Edit" }).click();
  await page.getByRole("heading", { name: "Edit the question" }).waitFor();
  await saveQuestion(page, "Edit the question", { labelEn: "Name on your badge", helpEn: "As friends call you" });
  assert.deepEqual(await questionList(page), ["Name on your badge", "Diet", "I will stay with the group", "Age"]);

  // Remove: asked first, naming the question.
  await page.locator("ol > li").filter({ hasText: "Age" }).getByRole("link", { name: "Remove" }).click();
  await page.getByRole("heading", { name: "Remove the question “Age”?" }).waitFor();
  await shot(page, "a1-builder-remove-asks.png");
  await page.getByRole("button", { name: "Yes, remove it" }).click();
  await page.waitForURL(/\/form$/);
  assert.deepEqual(await questionList(page), ["Name on your badge", "Diet", "I will stay with the group"]);

  // The preview shows the questions as participants get them on the hosted pages.
  const preview = page.locator(".card").filter({ has: page.getByRole("heading", { name: "Preview" }) });
  await preview.getByLabel(/Name on your badge/).waitFor();
  await preview.getByText("As friends call you").waitFor();
  await preview.getByRole("radio", { name: "Vegetarian" }).waitFor();
  await preview.getByRole("checkbox", { name: /I will stay with the group/ }).waitFor();
  await shot(page, "a2-builder.png");
  await assertFits(page, "the form builder at 1280 px");

  // Saved: the API serves that form, as its third edit's version.
  const saved = await api(server, "GET", `/v1/sessions/${session.id}`, { key });
  assert.deepEqual(
    saved.form.fields.map((/** @type {{ key: string }} */ f) => f.key),
    ["nickname", "diet", "rules"],
  );

  // A participant registers on the session's hosted page, on a phone.
  const phone = await browser.newContext({ viewport: PHONE, locale: "en-GB", timezoneId: "Europe/Paris" });
  const visitor = await phone.newPage();
  visitor.on("pageerror", (error) => problems.push(error.message));
  await visitor.goto(`${server.url}/s/${session.id}`);
  const join = visitor.locator("rollcall-join");
  await join.getByRole("heading", { name: "Night walk in the forest" }).waitFor();
  await join.getByRole("button", { name: "Join" }).click();
  // By its accessible name: the required mark beside its label ("*") is hidden from it.
  await join.getByRole("textbox", { name: "Name", exact: true }).fill("Ada Lovelace");
  await join.getByLabel("Email").fill("ada@example.org");
  await join.getByRole("button", { name: "Register" }).click();
  // Each required question left empty says so, beside itself.
  await join.locator("#q-nickname-error").getByText("Required.").waitFor();
  assert.equal(await join.locator("#q-diet-error").textContent(), "Required.");
  assert.equal(await join.locator("#q-rules-error").textContent(), "Tick this box to go on.");
  await shot(visitor, "a3-join-errors-375.png");
  await assertFits(visitor, "the join form with its errors at 375 px");
  await join.getByLabel(/Name on your badge/).fill("Countess <b>Ada</b>");
  await join.getByRole("radio", { name: "Vegetarian" }).check();
  await join.getByRole("checkbox", { name: /I will stay with the group/ }).check();
  await join.getByRole("button", { name: "Register" }).click();
  await join.getByText("You are attending!").waitFor();
  await shot(visitor, "a4-join-done-375.png");

  // The provider's roster shows the answers, as text.
  await page.goto(`${server.url}/admin/sessions/${session.id}`);
  const roster = page.locator("rollcall-roster");
  await roster.getByRole("cell", { name: "ada@example.org", exact: true }).waitFor();
  const answers = roster.locator("[part=answers]");
  await answers.waitFor();
  assert.equal(
    (await answers.textContent())?.trim(),
    "Name on your badge: Countess <b>Ada</b> · Diet: Vegetarian · I will stay with the group: Yes",
  );
  assert.equal(await roster.locator("[part=answers] b").count(), 0, "an answer is never markup");
  await shot(page, "a5-roster.png");
  assert.deepEqual(problems, []);
  await phone.close();
  await context.close();
});

test("the code page on a phone: a wrong code lists nobody, the right one lists initials, 'that's me' sends a link, REGISTER takes the form", {
  timeout: 300_000,
}, async () => {
  const { server, browser } = running();
  const form = {
    fields: [
      {
        key: "torch",
        type: "choice",
        label: { en: "Torch", fr: "Lampe" },
        required: true,
        choices: [
          { value: "own", label: { en: "I bring mine", fr: "J’apporte la mienne" } },
          { value: "lend", label: { en: "Lend me one", fr: "Prêtez-m’en une" } },
        ],
      },
    ],
  };
  const { session } = await orgAndSession("office@owl-camp.example", { registrationCode: CODE, form });
  for (const person of [
    { name: "Ada Lovelace", email: "ada@example.org" },
    { name: "Grace Brewster Hopper", email: "grace@example.org" },
  ])
    await api(server, "POST", `/v1/public/sessions/${session.id}/registrations`, {
      body: { ...person, code: CODE, answers: { torch: "own" }, formVersion: 1 },
    });

  const context = await browser.newContext({ viewport: PHONE, locale: "en-GB", timezoneId: "Europe/Paris" });
  const page = await context.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));

  await page.goto(`${server.url}/s/${session.id}/code`);
  await page.getByLabel("Registration code").fill("GUESS-1");
  await page.getByRole("button", { name: "Show the participants" }).click();
  await page.getByText("This code is not the session's code.").waitFor();
  assert.equal(await page.getByText("Ada L.").count(), 0);
  await shot(page, "b1-code-wrong-375.png");
  await assertFits(page, "the code page, refused, at 375 px");

  await page.getByLabel("Registration code").fill(CODE);
  await page.getByRole("button", { name: "Show the participants" }).click();
  await page.getByText("Ada L.").waitFor();
  await page.getByText("Grace H.").waitFor();
  const listed = await page.content();
  for (const secret of ["Lovelace", "Hopper", "Brewster", "@example.org"]) assert.ok(!listed.includes(secret), `the list shows ${secret}`);
  await shot(page, "b2-code-list-375.png");
  await assertFits(page, "the code page's list at 375 px");

  // "That's me": a link to Ada's page goes to her address; the page shows nothing of hers.
  await page.getByRole("button", { name: "That's me (Ada L.)" }).click();
  await page.getByRole("status").getByText("a link to your own page is on its way").waitFor();
  const shown = await page.content();
  assert.ok(!shown.includes("ada@example.org") && !shown.includes("Lovelace"), "nothing of Ada's is shown");
  const mail = await mailTo(server, "ada@example.org", "page_link");
  const link = mail.links.find((l) => l.includes("/p/l/"));
  assert.ok(link, `a link to her page in ${JSON.stringify(mail.links)}`);
  await shot(page, "b3-code-thats-me-375.png");

  // REGISTER with the form: the empty answers are named, what was typed is kept, then it goes through.
  await page.getByLabel("Your name").fill("Linus Torvalds");
  await page.getByLabel("Your email address").fill("linus@example.org");
  await page.getByRole("button", { name: "Register", exact: true }).click();
  await page.getByText("Some answers need your attention.").waitFor();
  assert.equal(await page.getByLabel("Your name").inputValue(), "Linus Torvalds");
  assert.equal((await page.locator('[id$="torch-error"]').textContent())?.trim(), "Required.", "the torch question says what is missing");
  await shot(page, "b4-code-register-errors-375.png");
  await assertFits(page, "the code page's registration errors at 375 px");
  await page.getByRole("radio", { name: "Lend me one" }).check();
  await page.getByRole("button", { name: "Register", exact: true }).click();
  await page.getByText("You are registered.").waitFor();
  await page.getByText("Linus T.").waitFor();
  await shot(page, "b5-code-registered-375.png");
  assert.deepEqual(problems, []);
  await context.close();
});
