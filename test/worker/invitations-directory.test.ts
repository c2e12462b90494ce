// POST /v1/sessions/:id/invitations with people chosen from the directory: contacts by id and
// whole groups, alone or with pasted addresses; what is refused, skipped and counted.
import { describe, expect, it } from "vitest";
import { api, expectProblem, newOrg, newSession, sessionState } from "./helpers";
import { invite, invited, listInvitations } from "./invitation-helpers";

async function contact(key: string, body: Record<string, unknown>): Promise<string> {
  const res = await api("POST", "/v1/contacts", { key, body });
  if (res.status !== 201) throw new Error(`contact creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function group(key: string, name: string, contactIds: string[]): Promise<string> {
  const g = (await api("POST", "/v1/groups", { key, body: { name } })).body;
  if (contactIds.length) {
    const res = await api("POST", `/v1/groups/${g.id}/members`, { key, body: { contactIds } });
    if (res.status !== 200) throw new Error(`members failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return g.id;
}

const byEmail = (rows: { email: string }[]) => rows.map((r) => r.email).sort();

describe("POST /v1/sessions/:id/invitations — contactIds and groupIds", () => {
  it("invites contacts by id under their names", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const ada = await contact(key, { email: "Ada@example.org", firstName: "Ada", lastName: "Lovelace" });
    const grace = await contact(key, { email: "grace@example.org" });
    const created = await invited(key, s.id, { contactIds: [ada, grace], send: "later" });
    expect(created.invitations.map((i) => [i.email, i.name])).toEqual([
      ["Ada@example.org", "Ada Lovelace"],
      ["grace@example.org", null],
    ]);
    expect(created.skipped).toEqual([]);
  });

  it("invites a group's members, with pasted addresses, counting an overlap once and keeping the contact's name", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 20 });
    const ada = await contact(key, { email: "ada@example.org", firstName: "Ada", lastName: "Lovelace" });
    const grace = await contact(key, { email: "grace@example.org", firstName: "Grace", lastName: "Hopper" });
    const alan = await contact(key, { email: "alan@example.org", firstName: "Alan", lastName: "Turing" });
    const cohort = await group(key, "Cohort A", [ada, grace]);
    const created = await invited(key, s.id, {
      recipients: "ADA@example.org, zoe@example.org",
      contactIds: [alan, grace],
      groupIds: [cohort],
      send: "later",
    });
    expect(created.invitations.map((i) => [i.email, i.name])).toEqual([
      ["ADA@example.org", "Ada Lovelace"],
      ["zoe@example.org", null],
      ["alan@example.org", "Alan Turing"],
      ["grace@example.org", "Grace Hopper"],
    ]);
    // Positions: the two pasted, then alan (3), grace (4), then the group's ada (5); grace once.
    expect(created.skipped).toEqual([{ email: "ada@example.org", position: 5, reason: "duplicate" }]);
    expect(byEmail(await listInvitations(key, s.id))).toEqual([
      "ADA@example.org",
      "alan@example.org",
      "grace@example.org",
      "zoe@example.org",
    ]);
  });

  it("refuses another org's contact and group, and unknown ids, naming each, and creates nothing", async () => {
    const { key } = await newOrg();
    const other = await newOrg("Other Camp");
    const s = await newSession(key);
    const mine = await contact(key, { email: "ada@example.org" });
    const theirs = await contact(other.key, { email: "grace@example.org" });
    const theirGroup = await group(other.key, "Theirs", [theirs]);
    const before = await sessionState(key, s.id);
    const res = await invite(key, s.id, {
      recipients: "zoe@example.org",
      contactIds: [mine, theirs, "con_nope"],
      groupIds: [theirGroup],
    });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual([
      { path: "contactIds.1", code: "not_yours", message: `no contact ${theirs} in this org`, params: { id: theirs } },
      { path: "contactIds.2", code: "not_yours", message: "no contact con_nope in this org", params: { id: "con_nope" } },
      { path: "groupIds.0", code: "not_yours", message: `no group ${theirGroup} in this org`, params: { id: theirGroup } },
    ]);
    expect(await sessionState(key, s.id)).toEqual(before);
    expect(await listInvitations(key, s.id)).toEqual([]);
  });

  it("skips a deactivated contact and one without an address, reporting why", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const ada = await contact(key, { email: "ada@example.org" });
    const gone = await contact(key, { email: "gone@example.org" });
    expect((await api("PATCH", `/v1/contacts/${gone}`, { key, body: { status: "deactivated" } })).status).toBe(200);
    const bySms = await contact(key, { phone: "+33612345678", channel: "sms", firstName: "Chloé" });
    const soon = await contact(key, { email: "soon@example.org" });
    // Members in name order: soon (no name) before Chloé, so 4 and 5.
    const cohort = await group(key, "Cohort", [soon, bySms]);
    const created = await invited(key, s.id, {
      recipients: ["zoe@example.org"],
      contactIds: [gone, ada],
      groupIds: [cohort],
      send: "later",
    });
    expect(byEmail(created.invitations)).toEqual(["ada@example.org", "soon@example.org", "zoe@example.org"]);
    expect(created.skipped).toEqual([
      { contactId: gone, email: "gone@example.org", position: 2, reason: "deactivated" },
      { contactId: bySms, email: "", position: 5, reason: "phone_only" },
    ]);
  });

  it("skips a phone-only SMS contact as phone_only (add an address to invite them), and one with a phone it does not text as no_email", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const ada = await contact(key, { email: "ada@example.org" });
    const nameOnly = await contact(key, { phone: "+33612345600", firstName: "Nobody" });
    const bySms = await contact(key, { phone: "+33612345678", channel: "sms", firstName: "Chloé" });
    const created = await invited(key, s.id, { contactIds: [ada, nameOnly, bySms], send: "later" });
    expect(created.skipped).toEqual([
      { contactId: nameOnly, email: "", position: 2, reason: "no_email" },
      { contactId: bySms, email: "", position: 3, reason: "phone_only" },
    ]);
  });

  it("answers people who are all skipped by naming each with why, and creates nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 5 });
    const bySms = await contact(key, { phone: "+33612345678", channel: "sms", firstName: "Léa" });
    const created = await invited(key, s.id, { contactIds: [bySms], send: "now" });
    expect(created.invitations).toEqual([]);
    expect(created.skipped).toEqual([{ contactId: bySms, email: "", position: 1, reason: "phone_only" }]);
    expect(created.seats).toMatchObject({ capacity: 5, held: 0, available: 5 });
    expect(await listInvitations(key, s.id)).toEqual([]);
  });

  it("needs someone: nothing asked, or only groups with no one in them, is refused", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    expectProblem(await invite(key, s.id, { contactIds: [], groupIds: [] }), "validation_failed");
    const empty = await group(key, "Nobody yet", []);
    const refused = await invite(key, s.id, { groupIds: [empty] });
    expectProblem(refused, "validation_failed");
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: "groupIds", code: "group_empty" })]);
  });

  it("refuses more than 200 people after merging, giving each group's size", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 500 });
    const pasted = Array.from({ length: 150 }, (_, i) => `paste${i}@example.org`);
    const created = await api("POST", "/v1/contacts", {
      key,
      body: { recipients: Array.from({ length: 60 }, (_, i) => `member${i}@example.org`).join(", ") },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ids = (await api("GET", "/v1/contacts?limit=100", { key })).body.contacts.map((c: { id: string }) => c.id);
    expect(ids).toHaveLength(60);
    const cohort = await group(key, "Big cohort", ids);
    const res = await invite(key, s.id, { recipients: pasted, groupIds: [cohort] });
    expectProblem(res, "too_many_recipients");
    expect(res.body).toMatchObject({ max: 200, count: 210, groups: [{ id: cohort, size: 60 }] });
    expect(await listInvitations(key, s.id)).toEqual([]);
    // The same group with 140 pasted is exactly 200.
    expect((await invited(key, s.id, { recipients: pasted.slice(0, 140), groupIds: [cohort], send: "later" })).invitations).toHaveLength(
      200,
    );
  });

  it("previews with contactIds and groupIds in the body (the same schema)", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const ada = await contact(key, { email: "ada@example.org" });
    const res = await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { key, body: { contactIds: [ada], groupIds: [] } });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
  });
});
