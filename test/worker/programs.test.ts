// Programs through the API: a series of sessions with groups assigned, and its roster of every
// person by session.
import { describe, expect, it, vi } from "vitest";
import { api, expectProblem, newOrg, newSession, register } from "./helpers";

describe("/v1/programs", () => {
  it("creates a program, attaches the org's sessions, assigns a group, and lists its roster by session", async () => {
    const { key } = await newOrg();
    const first = await newSession(key, { title: "Week 1" });
    const second = await newSession(key, { title: "Week 2", startsAt: new Date(Date.now() + 40 * 86_400_000).toISOString() });
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort A" } })).body;
    await api("POST", "/v1/contacts", { key, body: { recipients: "Ada Lovelace <ada@example.org>", groupIds: [group.id] } });
    const created = await api("POST", "/v1/programs", {
      key,
      body: { name: "Autumn training", startsOn: "2027-09-01", timeZone: "europe/paris" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: "Autumn training", timeZone: "Europe/Paris", endsOn: null, sessions: [], groups: [] });
    const id = created.body.id;
    const attached = await api("POST", `/v1/programs/${id}/sessions`, { key, body: { sessionIds: [second.id, first.id] } });
    expect(attached.body.sessions.map((s: { title: string }) => s.title)).toEqual(["Week 1", "Week 2"]);
    const assigned = await api("POST", `/v1/programs/${id}/groups`, { key, body: { groupIds: [group.id] } });
    expect(assigned.body.groups).toEqual([{ id: group.id, name: "Cohort A", memberCount: 1 }]);

    await register(second.id, { name: "Grace Hopper", email: "grace@example.org" });
    // The roster reads D1's projection, which follows the ledger within moments.
    const roster = await vi.waitFor(async () => {
      const body = (await api("GET", `/v1/programs/${id}/roster`, { key })).body;
      if (body.people.length < 2) throw new Error("registration not projected yet");
      return body;
    });
    expect(roster.sessions.map((s: { id: string }) => s.id)).toEqual([first.id, second.id]);
    expect(roster.people).toEqual([
      { email: "ada@example.org", name: "Ada Lovelace", contactId: expect.stringMatching(/^con_/), statuses: [null, null] },
      { email: "grace@example.org", name: "Grace Hopper", contactId: null, statuses: [null, "confirmed"] },
    ]);
  });

  it("keeps a session in one program, and refuses another org's session, naming them", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const mine = await newSession(a.key);
    const theirs = await newSession(b.key);
    const p1 = (await api("POST", "/v1/programs", { key: a.key, body: { name: "One", startsOn: "2027-09-01", timeZone: "UTC" } })).body;
    const p2 = (await api("POST", "/v1/programs", { key: a.key, body: { name: "Two", startsOn: "2027-09-01", timeZone: "UTC" } })).body;
    const foreign = await api("POST", `/v1/programs/${p1.id}/sessions`, { key: a.key, body: { sessionIds: [mine.id, theirs.id] } });
    expectProblem(foreign, "validation_failed");
    expect(foreign.body.unknown).toEqual([theirs.id]);
    expect((await api("GET", `/v1/programs/${p1.id}`, { key: a.key })).body.sessions).toEqual([]);
    await api("POST", `/v1/programs/${p1.id}/sessions`, { key: a.key, body: { sessionIds: [mine.id] } });
    const twice = await api("POST", `/v1/programs/${p2.id}/sessions`, { key: a.key, body: { sessionIds: [mine.id] } });
    expectProblem(twice, "session_in_program");
    expect(twice.body.sessionIds).toEqual([mine.id]);
    await api("DELETE", `/v1/programs/${p1.id}/sessions`, { key: a.key, body: { sessionIds: [mine.id] } });
    expect((await api("POST", `/v1/programs/${p2.id}/sessions`, { key: a.key, body: { sessionIds: [mine.id] } })).status).toBe(200);
    expectProblem(await api("GET", `/v1/programs/${p1.id}`, { key: b.key }), "not_found");
  });

  it("refuses an end before the start and an unknown zone", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/programs", {
      key,
      body: { name: "X", startsOn: "2027-09-01", endsOn: "2027-08-01", timeZone: "Mars/Olympus" },
    });
    expectProblem(res, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["endsOn", "timeZone"]);
  });

  it("keeps the language of its invitations: one of the locales, or null for the org's", async () => {
    const { key } = await newOrg();
    const made = await api("POST", "/v1/programs", {
      key,
      body: { name: "Automne", startsOn: "2027-09-01", timeZone: "UTC", locale: "fr" },
    });
    expect(made.status).toBe(201);
    expect(made.body.locale).toBe("fr");
    expect((await api("GET", `/v1/programs/${made.body.id}`, { key })).body.locale).toBe("fr");
    expect((await api("PATCH", `/v1/programs/${made.body.id}`, { key, body: { locale: null } })).body.locale).toBeNull();
    const plain = await api("POST", "/v1/programs", { key, body: { name: "Plain", startsOn: "2027-09-01", timeZone: "UTC" } });
    expect(plain.body.locale).toBeNull();
    const refused = await api("PATCH", `/v1/programs/${made.body.id}`, { key, body: { locale: "de" } });
    expectProblem(refused, "validation_failed");
    expect(refused.body.errors).toMatchObject([{ path: "locale", code: "not_an_option", params: { options: "en, fr" } }]);
  });

  it("edits and deletes a program, leaving its sessions and groups", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const p = (await api("POST", "/v1/programs", { key, body: { name: "Season", startsOn: "2027-06-01", timeZone: "UTC" } })).body;
    await api("POST", `/v1/programs/${p.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    expect((await api("PATCH", `/v1/programs/${p.id}`, { key, body: { endsOn: "2027-08-31" } })).body.endsOn).toBe("2027-08-31");
    expect((await api("DELETE", `/v1/programs/${p.id}`, { key })).status).toBe(200);
    expect((await api("GET", "/v1/programs", { key })).body.programs).toEqual([]);
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).status).toBe(200);
  });
});
