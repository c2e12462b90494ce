// The people directory through the API: contacts created all four ways, searched and filtered,
// edited, deactivated and erased; groups and their members; the CSV import's dry and real runs.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import excelFr from "../fixtures/contacts-excel-fr.csv?raw";
import googleEn from "../fixtures/contacts-google-en.csv?raw";
import { api, expectProblem, newOrg } from "./helpers";

const contactsOf = async (key: string, query = "") => (await api("GET", `/v1/contacts${query}`, { key })).body;
const devMailCount = async () => (await env.DB.prepare("select count(*) as n from dev_mail").first<{ n: number }>())!.n;

describe("POST /v1/contacts", () => {
  it("creates one contact with every field set, and sends nothing", async () => {
    const { key } = await newOrg();
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort A" } })).body;
    const mailBefore = await devMailCount();
    const res = await api("POST", "/v1/contacts", {
      key,
      body: {
        email: "Chloe.Dubois@example.org",
        firstName: "Chloé",
        lastName: "Dubois",
        phone: "06 12 34 56 78",
        defaultCountry: "FR",
        channel: "sms",
        locale: "fr",
        type: "trainee",
        tags: ["nord", "photo"],
        groups: ["cohort a"],
        externalId: "ID 5162",
        notes: "Allergie aux arachides",
        deactivateAt: "2027-06-30",
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^con_/),
      email: "Chloe.Dubois@example.org",
      phone: "+33612345678",
      channel: "sms",
      type: "trainee",
      tags: ["nord", "photo"],
      groups: [{ id: group.id, name: "Cohort A" }],
      deactivateAt: "2027-06-30T00:00:00.000Z",
      status: "active",
    });
    expect(await devMailCount()).toBe(mailBefore);
    expect((await api("GET", `/v1/contacts/${res.body.id}`, { key })).body).toEqual(res.body);
  });

  it("refuses a second contact with the same address in another case, naming the existing one", async () => {
    const { key } = await newOrg();
    const first = (await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org" } })).body;
    const again = await api("POST", "/v1/contacts", { key, body: { email: "ADA@Example.org" } });
    expectProblem(again, "contact_exists");
    expect(again.body.contactId).toBe(first.id);
  });

  it("needs an address or a phone, and a phone for SMS, naming each field", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/contacts", { key, body: { firstName: "Nobody", channel: "sms" } });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: "phone", code: "phone_needed_for_sms", message: "is needed when the channel is sms" },
        { path: "email", code: "email_or_phone_needed", message: "is needed (or a phone number)" },
      ]),
    );
  });

  it("creates contacts from a paste into a group, and finds the ones already there", async () => {
    const { key } = await newOrg();
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Spring 2027" } })).body;
    await api("POST", "/v1/contacts", { key, body: { email: "grace@example.org" } });
    const res = await api("POST", "/v1/contacts", {
      key,
      body: { recipients: 'Ada Lovelace <ada@example.org>, GRACE@example.org; "Hopper, Alan" <alan@example.org>', groupIds: [group.id] },
    });
    expect(res.status).toBe(201);
    expect(res.body.created.map((c: { email: string; firstName: string; lastName: string }) => [c.email, c.firstName, c.lastName])).toEqual(
      [
        ["ada@example.org", "Ada", "Lovelace"],
        ["alan@example.org", "Alan", "Hopper"],
      ],
    );
    expect(res.body.existing.map((c: { email: string }) => c.email)).toEqual(["grace@example.org"]);
    expect((await api("GET", `/v1/groups/${group.id}`, { key })).body.memberCount).toBe(3);
  });

  it("refuses a paste with an invalid address, naming it, and creates nothing", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/contacts", { key, body: { recipients: "ada@example.org, not-an-address, bob@example.org" } });
    expectProblem(res, "invalid_emails");
    expect(res.body.errors).toEqual([expect.objectContaining({ entry: "not-an-address", position: 2 })]);
    expect((await contactsOf(key)).total).toBe(0);
  });

  it("refuses 201 pasted addresses and creates nothing", async () => {
    const { key } = await newOrg();
    const recipients = Array.from({ length: 201 }, (_, i) => `p${i}@example.org`);
    expectProblem(await api("POST", "/v1/contacts", { key, body: { recipients } }), "too_many_recipients");
    expect((await contactsOf(key)).total).toBe(0);
  });
});

describe("GET /v1/contacts", () => {
  it("searches names and addresses as you type, filters by group, type, tag and status, and pages by cursor", async () => {
    const { key } = await newOrg();
    const mentors = (await api("POST", "/v1/groups", { key, body: { name: "Mentors" } })).body;
    const add = (body: Record<string, unknown>) => api("POST", "/v1/contacts", { key, body });
    await add({ email: "ada@example.org", firstName: "Ada", lastName: "Lovelace", type: "mentor", groups: [mentors.id], tags: ["north"] });
    await add({ email: "grace@navy.example", firstName: "Grace", lastName: "Hopper", type: "trainee", tags: ["north", "evening"] });
    await add({ email: "chloe@example.org", firstName: "Chloé", lastName: "Dubois", type: "trainee" });
    const names = (body: { contacts: { lastName: string }[] }) => body.contacts.map((c) => c.lastName);
    expect(names(await contactsOf(key, "?q=lov"))).toEqual(["Lovelace"]);
    expect(names(await contactsOf(key, "?q=NAVY"))).toEqual(["Hopper"]);
    expect(names(await contactsOf(key, `?q=${encodeURIComponent("chlo")}`))).toEqual(["Dubois"]);
    expect(names(await contactsOf(key, `?group=${mentors.id}`))).toEqual(["Lovelace"]);
    expect(names(await contactsOf(key, "?type=trainee"))).toEqual(["Dubois", "Hopper"]);
    expect(names(await contactsOf(key, "?tag=north"))).toEqual(["Hopper", "Lovelace"]);
    const first = await contactsOf(key, "?limit=2");
    expect([names(first), first.total]).toEqual([["Dubois", "Hopper"], 3]);
    expect(names(await contactsOf(key, `?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`))).toEqual(["Lovelace"]);
  });
});

describe("PATCH and DELETE /v1/contacts/{id}", () => {
  it("edits fields, and deactivating takes the contact out of its groups and of the active list", async () => {
    const { key } = await newOrg();
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort" } })).body;
    const c = (await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org", groups: [group.id] } })).body;
    const edited = await api("PATCH", `/v1/contacts/${c.id}`, { key, body: { firstName: "Ada", tags: ["alumni"] } });
    expect(edited.body).toMatchObject({ firstName: "Ada", tags: ["alumni"], groups: [{ id: group.id }] });
    const off = await api("PATCH", `/v1/contacts/${c.id}`, { key, body: { status: "deactivated" } });
    expect(off.body).toMatchObject({ status: "deactivated", groups: [], deactivateAt: expect.any(String) });
    expect((await contactsOf(key, "?status=active")).total).toBe(0);
    expect((await contactsOf(key, "?status=deactivated")).total).toBe(1);
  });

  it("erases a contact's personal data: gone from reads, lists and groups; the address can be used again", async () => {
    const { key } = await newOrg();
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort" } })).body;
    const c = (await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org", notes: "private", groups: [group.id] } })).body;
    expect((await api("DELETE", `/v1/contacts/${c.id}`, { key })).status).toBe(200);
    expectProblem(await api("GET", `/v1/contacts/${c.id}`, { key }), "not_found");
    expect((await contactsOf(key)).total).toBe(0);
    expect((await api("GET", `/v1/groups/${group.id}`, { key })).body.memberCount).toBe(0);
    const row = await env.DB.prepare("select email, notes, erased_at from contacts where id = ?").bind(c.id).first();
    expect(row).toEqual({ email: null, notes: null, erased_at: expect.any(String) });
    expect((await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org" } })).status).toBe(201);
    expectProblem(await api("DELETE", `/v1/contacts/${c.id}`, { key }), "not_found");
  });

  it("keeps each org's contacts to itself", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const c = (await api("POST", "/v1/contacts", { key: a.key, body: { email: "ada@example.org" } })).body;
    expectProblem(await api("GET", `/v1/contacts/${c.id}`, { key: b.key }), "not_found");
    expectProblem(await api("PATCH", `/v1/contacts/${c.id}`, { key: b.key, body: { notes: "x" } }), "not_found");
    expect((await contactsOf(b.key)).total).toBe(0);
    // The same address is a contact of each org independently.
    expect((await api("POST", "/v1/contacts", { key: b.key, body: { email: "ada@example.org" } })).status).toBe(201);
  });
});

describe("/v1/groups", () => {
  it("creates, renames, lists members, adds and removes in bulk, and deletes without touching the contacts", async () => {
    const { key } = await newOrg();
    const g = (await api("POST", "/v1/groups", { key, body: { name: "Cohort A" } })).body;
    expectProblem(await api("POST", "/v1/groups", { key, body: { name: "cohort a" } }), "group_exists");
    const people = (await api("POST", "/v1/contacts", { key, body: { recipients: "a@example.org, b@example.org, c@example.org" } })).body
      .created;
    const ids = people.map((p: { id: string }) => p.id);
    expect((await api("POST", `/v1/groups/${g.id}/members`, { key, body: { contactIds: ids } })).body.changed).toBe(3);
    expect((await api("POST", `/v1/groups/${g.id}/members`, { key, body: { contactIds: ids } })).body.changed).toBe(0);
    expect((await api("DELETE", `/v1/groups/${g.id}/members`, { key, body: { contactIds: [ids[0]] } })).body.group.memberCount).toBe(2);
    // Without names, members come in id order: compare them as a set.
    expect((await api("GET", `/v1/groups/${g.id}/members`, { key })).body.contacts.map((c: { email: string }) => c.email).sort()).toEqual([
      "b@example.org",
      "c@example.org",
    ]);
    expect((await api("PATCH", `/v1/groups/${g.id}`, { key, body: { name: "Cohort B" } })).body.name).toBe("Cohort B");
    expect((await api("GET", "/v1/groups", { key })).body.groups).toEqual([
      expect.objectContaining({ id: g.id, name: "Cohort B", memberCount: 2 }),
    ]);
    expect((await api("DELETE", `/v1/groups/${g.id}`, { key })).status).toBe(200);
    expect((await contactsOf(key)).total).toBe(3);
  });

  it("refuses to add another org's contact to a group, naming it, and adds nobody", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const g = (await api("POST", "/v1/groups", { key: a.key, body: { name: "Cohort" } })).body;
    const mine = (await api("POST", "/v1/contacts", { key: a.key, body: { email: "mine@example.org" } })).body;
    const theirs = (await api("POST", "/v1/contacts", { key: b.key, body: { email: "theirs@example.org" } })).body;
    const res = await api("POST", `/v1/groups/${g.id}/members`, { key: a.key, body: { contactIds: [mine.id, theirs.id] } });
    expectProblem(res, "validation_failed");
    expect(res.body.unknown).toEqual([theirs.id]);
    expect((await api("GET", `/v1/groups/${g.id}`, { key: a.key })).body.memberCount).toBe(0);
  });
});

describe("POST /v1/contacts/import", () => {
  it("shows a dry run row by row and writes nothing; the real run writes what it showed; the same file again changes nothing", async () => {
    const { key } = await newOrg();
    const dry = await api("POST", "/v1/contacts/import", { key, body: { csv: excelFr, dryRun: true } });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      applied: false,
      counts: { create: 3, error: 0 },
      newGroups: ["Cohorte A", "Cohorte B", "Mentors"],
    });
    expect((await contactsOf(key)).total).toBe(0);
    expect((await api("GET", "/v1/groups", { key })).body.groups).toEqual([]);

    const real = await api("POST", "/v1/contacts/import", { key, body: { csv: excelFr, dryRun: false } });
    expect(real.body).toMatchObject({ applied: true, counts: dry.body.counts });
    const list = await contactsOf(key, "?q=chlo");
    expect(list.contacts[0]).toMatchObject({
      email: "chloe.dubois@example.org",
      phone: "+33612345678",
      tags: ["photographie", "nord"],
      groups: [{ name: "Cohorte A" }, { name: "Cohorte B" }],
      notes: "Allergie aux arachides; vient en bus",
    });
    const groups = (await api("GET", "/v1/groups", { key })).body.groups;
    expect(groups.map((g: { name: string; memberCount: number }) => [g.name, g.memberCount])).toEqual([
      ["Cohorte A", 2],
      ["Cohorte B", 1],
      ["Mentors", 1],
    ]);

    const again = await api("POST", "/v1/contacts/import", { key, body: { csv: excelFr, dryRun: false } });
    expect(again.body.counts).toEqual({ create: 0, update: 0, unchanged: 3, error: 0 });
    expect((await contactsOf(key)).total).toBe(3);
  });

  it("refuses a real run while any row has an error, with every row's verdict, and writes nothing", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/contacts/import", { key, body: { csv: googleEn, dryRun: false, defaultCountry: "US" } });
    expectProblem(res, "import_has_errors");
    expect(res.body.result.rows.map((r: { line: number; verdict: string }) => [r.line, r.verdict])).toEqual([
      [2, "create"],
      [3, "error"],
      [4, "error"],
    ]);
    expect((await contactsOf(key)).total).toBe(0);
  });

  it("updates existing contacts by address and reports the changed fields", async () => {
    const { key } = await newOrg();
    await api("POST", "/v1/contacts", { key, body: { email: "sam.lee@example.org", firstName: "Sam" } });
    const res = await api("POST", "/v1/contacts/import", {
      key,
      body: { csv: "email;firstName;lastName\nSAM.LEE@example.org;Samuel;Lee\n", dryRun: false },
    });
    expect(res.body.rows).toEqual([expect.objectContaining({ verdict: "update", changes: ["firstName", "lastName"] })]);
    expect((await contactsOf(key)).contacts[0]).toMatchObject({ email: "sam.lee@example.org", firstName: "Samuel", lastName: "Lee" });
  });

  it("with onlyEmptyFields, fills in only what existing contacts lack", async () => {
    const { key } = await newOrg();
    await api("POST", "/v1/contacts", { key, body: { email: "sam.lee@example.org", firstName: "Sam" } });
    const res = await api("POST", "/v1/contacts/import", {
      key,
      body: { csv: "email;firstName;lastName\nsam.lee@example.org;Samuel;Lee\n", dryRun: false, onlyEmptyFields: true },
    });
    expect(res.body.rows).toEqual([expect.objectContaining({ verdict: "update", changes: ["lastName"] })]);
    expect((await contactsOf(key)).contacts[0]).toMatchObject({ firstName: "Sam", lastName: "Lee" });
  });

  it("answers an unreadable file with invalid_csv naming the cause", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/contacts/import", { key, body: { csv: "name,age\nAda,36\n", dryRun: true } });
    expectProblem(res, "invalid_csv");
    expect(res.body.detail).toContain("Unknown columns: name, age");
    expect(res.body.csv).toEqual({ reason: "unknown_columns", columns: ["name", "age"] });
  });

  it("imports 5,000 rows in one run", async () => {
    const { key } = await newOrg();
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `p${i}@example.org,First${i},Last${i},,email,en,member,t${i % 7},Group ${i % 10},,,`,
    );
    const csv = `email,firstName,lastName,phone,channel,locale,type,tags,groups,deactivateAt,externalId,notes\n${rows.join("\n")}\n`;
    const res = await api("POST", "/v1/contacts/import", { key, body: { csv, dryRun: false } });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.counts.create).toBe(5000);
    expect((await contactsOf(key, "?tag=t3")).total).toBe(714);
    expect((await api("GET", "/v1/groups", { key })).body.groups).toHaveLength(10);
  });

  it("offers a template whose header is the import's columns", async () => {
    const { key } = await newOrg();
    const res = await api("GET", "/v1/contacts/import/template", { key });
    expect(res.headers.get("content-type")).toContain("text/csv");
    const dry = await api("POST", "/v1/contacts/import", { key, body: { csv: res.body, dryRun: true } });
    expect(dry.body.counts).toEqual({ create: 1, update: 0, unchanged: 0, error: 0 });
  });
});
