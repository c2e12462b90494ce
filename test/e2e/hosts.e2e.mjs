// End to end, in Chromium against the running app (`wrangler dev`, offline): a mentor (a member
// with the host role, in an org whose hosts may create sessions and invite) accepts their member
// invitation, creates a group session in the hosted admin, invites two of the org's contacts from
// the roster's "+ Add participant", both accept through their emailed links, and the mentor sees
// them confirmed on the roster. The mentor's admin has their sessions only.
//
//   node --test test/e2e/hosts.e2e.mjs     (needs the built widget: npm run build:widget)

import assert from "node:assert/strict";
import { test } from "node:test";
import { appAndBrowser, mailTo, ROOT_KEY } from "./support.mjs";

const OWNER = "director@mentoring-club.example";
const MENTOR = "mentor@mentoring-club.example";
const MEMBERS = [
  { name: "Amina Diallo", email: "amina@example.org" },
  { name: "Lucas Martin", email: "lucas.martin@example.org" },
];

const running = appAndBrowser("hosts");

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

test("a mentor creates a group session, invites two members and sees them accept", { timeout: 180_000 }, async () => {
  const { server, browser } = running();
  const app = server;
  // The org, as its owner sets it up: mentors may create sessions and invite; two members in the directory.
  const { apiKey: key } = await api("POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "Mentoring club", ownerEmail: OWNER } });
  await api("PATCH", "/v1/org", { key, body: { settings: { hostsCanCreateSessions: true, hostsCanInvite: true, hostLabel: "mentor" } } });
  for (const m of MEMBERS) {
    const [firstName, lastName] = m.name.split(" ");
    await api("POST", "/v1/contacts", { key, body: { email: m.email, firstName, lastName } });
  }
  await api("POST", "/v1/members", { key, body: { email: MENTOR, role: "host" } });

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));

  // The mentor accepts the member invitation from the dev outbox.
  const invitation = await mailTo(app, MENTOR, "sign_in");
  const link = invitation.links.find((l) => l.includes("/admin/link/"));
  assert.ok(link, `a member invitation link in ${JSON.stringify(invitation.links)}`);
  await page.goto(link);
  await page.getByRole("button", { name: "Accept and sign in" }).click();
  await page.waitForURL(/\/admin\/sessions$/);
  await page.getByText(`Signed in as ${MENTOR} (host)`).waitFor();
  // Their sessions and their own public page only: no way to the org's directory, keys, settings or members.
  const nav = page.getByRole("navigation", { name: "Admin sections" });
  assert.deepEqual(await nav.getByRole("link").allTextContents(), ["Sessions", "Your public page"]);
  assert.equal((await page.request.get(`${app.url}/admin/contacts`)).status(), 403);

  // A group session from the form; the mentor hosts it.
  await page.getByRole("link", { name: "New session" }).click();
  await page.getByLabel("Title").fill("Group mentoring: first steps");
  await page.getByLabel("Description").fill("Goals, questions and a plan for the term.");
  await page.getByLabel("Starts at").fill("2031-07-05T18:00");
  await page.getByLabel("Time zone").selectOption("Europe/Paris");
  await page.getByLabel("Duration (minutes)").fill("60");
  await page.getByLabel("Minimum participants").fill("2");
  await page.getByLabel("Capacity (maximum participants)").fill("8");
  await page.getByRole("button", { name: "Create session" }).click();
  await page.waitForURL(/\/admin\/sessions\/ses_[0-9a-z]{20}\?notice=created$/);
  await page.locator("dt", { hasText: "Mentor" }).waitFor();
  assert.equal(await page.locator("dt:text-is('Mentor') + dd").textContent(), MENTOR);

  // Two members invited through the roster's "+ Add participant".
  const roster = page.locator("rollcall-roster");
  const invite = roster.locator("rollcall-invite");
  await invite.getByRole("button", { name: "+ Add participant" }).click();
  await invite.locator("#recipients").fill(`${MEMBERS.map((m) => m.email).join(", ")},`);
  for (const m of MEMBERS) await invite.getByText(m.email, { exact: true }).waitFor();
  await invite.getByRole("button", { name: "Send", exact: true }).click();
  await invite.getByRole("button", { name: "Close" }).waitFor();
  await invite.getByRole("button", { name: "Close" }).click();
  await roster.getByText(/Invitations sent \(2\)/).waitFor({ timeout: 15_000 });

  // Each accepts through the emailed link, in a browser of their own.
  for (const m of MEMBERS) {
    const mail = await mailTo(app, m.email, "invitation");
    const accept = mail.links.find((l) => l.startsWith(`${app.url}/r/`));
    assert.ok(accept, `an invitation link in ${JSON.stringify(mail.links)}`);
    const theirs = await browser.newContext();
    const visitor = await theirs.newPage();
    await visitor.goto(accept);
    const join = visitor.locator("rollcall-join");
    await join.getByText("You are invited").waitFor();
    await join.getByRole("button", { name: "Accept" }).click();
    await join.getByLabel("Name").fill(m.name);
    await join.getByRole("button", { name: "Accept" }).click();
    await join.getByText("You are attending!").waitFor();
    await theirs.close();
  }

  // The mentor sees both confirmed, without reloading (the roster follows the live channel).
  const confirmed = roster.getByRole("region", { name: "Confirmed (2)" });
  for (const m of MEMBERS) await confirmed.getByRole("cell", { name: m.email, exact: true }).waitFor({ timeout: 15_000 });
  assert.deepEqual(problems, []);
  await context.close();
});
