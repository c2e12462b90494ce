// The people directory as the providers' help articles describe it (seeds 002, 003 and 004), end
// to end through the API, in their words.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { browse, signedInOwner } from "./admin-helpers";
import { api, expectProblem, newOrg, newSession } from "./helpers";

const contactsOf = async (key: string, query = "") => (await api("GET", `/v1/contacts${query}`, { key })).body;
/** The templates of the emails the dev outbox holds for one address, oldest first. */
const mailTo = async (email: string) =>
  (
    await env.DB.prepare('select template from dev_mail where lower("to") = ? order by created_at')
      .bind(email.toLowerCase())
      .all<{ template: string }>()
  ).results.map((r) => r.template);
/** Waits until the outbox holds `count` emails for the address (mail leaves through the queue). */
const mailArrives = (email: string, count: number) =>
  vi.waitFor(
    async () => {
      const templates = await mailTo(email);
      if (templates.length < count) throw new Error(`${templates.length} of ${count} emails`);
      return templates;
    },
    { timeout: 10_000, interval: 50 },
  );

describe("seed 002: creating clients in bulk", () => {
  it("creates several clients at once from addresses separated by commas or spaces", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/contacts", { key, body: { recipients: "ann@example.org, ben@example.org cat@example.org" } });
    expect(res.status).toBe(201);
    expect(res.body.created.map((c: { email: string }) => c.email)).toEqual(["ann@example.org", "ben@example.org", "cat@example.org"]);
    expect((await contactsOf(key)).total).toBe(3);
  });

  it("creates at most 200 clients at once", async () => {
    const { key } = await newOrg();
    const many = Array.from({ length: 201 }, (_, i) => `client${i}@example.org`).join(", ");
    expectProblem(await api("POST", "/v1/contacts", { key, body: { recipients: many } }), "too_many_recipients");
    const exactly = Array.from({ length: 200 }, (_, i) => `client${i}@example.org`).join(" ");
    expect((await api("POST", "/v1/contacts", { key, body: { recipients: exactly } })).body.created).toHaveLength(200);
  });

  it("marks an incorrect address and does not let the process continue", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/contacts", { key, body: { recipients: "ann@example.org, ben@@example, cat@example.org" } });
    expectProblem(res, "invalid_emails");
    expect(JSON.stringify(res.body)).toContain("ben@@example");
    expect((await contactsOf(key)).total).toBe(0);
  });

  it("selects every client and adds them to a program (through a group assigned to it)", async () => {
    const { key } = await newOrg();
    const { created } = (await api("POST", "/v1/contacts", { key, body: { recipients: "ann@example.org ben@example.org" } })).body;
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Spring clients" } })).body;
    const all = (await contactsOf(key, "?limit=200")).contacts.map((c: { id: string }) => c.id);
    expect(all.sort()).toEqual(created.map((c: { id: string }) => c.id).sort());
    expect((await api("POST", `/v1/groups/${group.id}/members`, { key, body: { contactIds: all } })).status).toBe(200);
    const s = await newSession(key, { title: "Week 1" });
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Spring", startsOn: "2031-04-01", timeZone: "UTC" } })).body;
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    await api("POST", `/v1/programs/${program.id}/groups`, { key, body: { groupIds: [group.id] } });
    const roster = (await api("GET", `/v1/programs/${program.id}/roster`, { key })).body;
    expect(roster.people.map((p: { email: string }) => p.email).sort()).toEqual(["ann@example.org", "ben@example.org"]);
  });

  it("creates the clients without inviting them; the invitation can be sent later, and is valid 14 days", async () => {
    const { key } = await newOrg();
    await api("POST", "/v1/contacts", { key, body: { recipients: "dan@example.org" } });
    const s = await newSession(key);
    const created = await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "dan@example.org", send: "later" } });
    expect(created.body.invitations[0].status).toBe("draft");
    const sent = await api("POST", `/v1/invitations/${created.body.invitations[0].id}/send`, { key });
    expect(sent.body.status).toBe("sent");
    const days = (Date.parse(sent.body.expiresAt) - Date.parse(sent.body.sentAt)) / 86_400_000;
    expect(days).toBe(14);
    // One email in all: the invitation. Creating the client sent nothing.
    expect(await mailArrives("dan@example.org", 1)).toEqual(["invitation"]);
  });
});

describe("seed 003: inviting members", () => {
  it("invites several people by pasting addresses, with a deactivation date, into the selected groups", async () => {
    const { key } = await newOrg();
    const group = (await api("POST", "/v1/groups", { key, body: { name: "North" } })).body;
    const res = await api("POST", "/v1/contacts", {
      key,
      body: { recipients: "eve@example.org, fay@example.org", groupIds: [group.id], deactivateAt: "2031-12-31T23:00:00Z" },
    });
    expect(res.status).toBe(201);
    for (const c of res.body.created) {
      expect(c.deactivateAt).toBe("2031-12-31T23:00:00.000Z");
      expect(c.groups).toEqual([{ id: group.id, name: "North" }]);
    }
  });

  it("sets an account with first and last name and language, and sends no email", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/contacts", {
      key,
      body: { email: "james.smith@example.org", firstName: "James", lastName: "Smith", locale: "en", tags: ["Professional Photographer"] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ firstName: "James", lastName: "Smith", locale: "en" });
    // Only an invitation sends anything: the outbox then holds it, and it alone.
    const s = await newSession(key);
    await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "james.smith@example.org" } });
    expect(await mailArrives("james.smith@example.org", 1)).toEqual(["invitation"]);
  });

  it("sets multiple accounts from the template: | separates groups and labels, groups by their ID, a default language", async () => {
    const { key } = await newOrg();
    const a = (await api("POST", "/v1/groups", { key, body: { name: "France" } })).body;
    const b = (await api("POST", "/v1/groups", { key, body: { name: "North" } })).body;
    const template = (await api("GET", "/v1/contacts/import/template", { key })).body as string;
    const header = template.split(/\r?\n/)[0]!;
    expect(header).toContain("groups");
    const csv = `${header}\r\n${header
      .split(",")
      .map(
        (column) =>
          ({
            email: "christopher.martin@example.org",
            firstName: "Christopher",
            lastName: "Martin",
            locale: "fr",
            tags: "ID 5162|photo",
            groups: `${a.id}|${b.id}`,
          })[column] ?? "",
      )
      .join(",")}\r\n`;
    const dry = await api("POST", "/v1/contacts/import", { key, body: { csv, dryRun: true } });
    expect(dry.body.counts).toMatchObject({ create: 1, error: 0 });
    expect((await contactsOf(key)).total).toBe(0);
    const applied = await api("POST", "/v1/contacts/import", { key, body: { csv, dryRun: false } });
    expect(applied.body.applied).toBe(true);
    const [contact] = (await contactsOf(key)).contacts;
    expect(contact).toMatchObject({ firstName: "Christopher", locale: "fr", tags: ["ID 5162", "photo"] });
    expect(contact.groups.map((g: { id: string }) => g.id).sort()).toEqual([a.id, b.id].sort());
  });

  it("exports the IDs of the groups", async () => {
    const { owner, key } = await signedInOwner();
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Photographers" } })).body;
    const csv = await browse("GET", "/admin/groups.csv", { cookie: owner.cookie });
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(`${group.id},Photographers,0`);
    expect((await api("GET", "/v1/groups", { key })).body.groups.map((g: { id: string }) => g.id)).toContain(group.id);
  });
});

describe("seed 004: choosing the participants", () => {
  it("filters people by name, group affiliation or user type", async () => {
    const { key } = await newOrg();
    const trainers = (await api("POST", "/v1/groups", { key, body: { name: "Trainers" } })).body;
    await api("POST", "/v1/contacts", {
      key,
      body: { email: "zoe@example.org", firstName: "Zoé", lastName: "Durand", type: "trainer", groups: [trainers.id] },
    });
    await api("POST", "/v1/contacts", { key, body: { email: "yann@example.org", firstName: "Yann", lastName: "Durand", type: "trainee" } });
    await api("POST", "/v1/contacts", {
      key,
      body: { email: "xavier@example.org", firstName: "Xavier", lastName: "Petit", type: "trainee" },
    });
    const emails = async (query: string) => (await contactsOf(key, query)).contacts.map((c: { email: string }) => c.email).sort();
    expect(await emails("?q=durand")).toEqual(["yann@example.org", "zoe@example.org"]);
    expect(await emails(`?group=${trainers.id}`)).toEqual(["zoe@example.org"]);
    expect(await emails("?type=trainee")).toEqual(["xavier@example.org", "yann@example.org"]);
    expect(await emails("?q=durand&type=trainee")).toEqual(["yann@example.org"]);
  });
});
