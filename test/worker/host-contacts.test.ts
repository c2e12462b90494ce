// A host's contacts are their rosters' (issue 17 items 1 and 2): a host who may invite searches the
// org's contacts in the invite modal's picker, without the org's own notes and references; no host
// reads a contact's record or its history across the org's sessions.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { mintWidgetToken } from "../../worker/orgs/widget-tokens";
import { api, newOrg, newSession } from "./helpers";

const NOTES = "Pays late; private to the org";

describe("a host's token and the org's directory", () => {
  let org: { orgId: string; key: string };
  let contactId: string;
  let groupId: string;
  let token: string;

  beforeAll(async () => {
    org = await newOrg("Mentoring club");
    const hostId = `mem_${"h".repeat(8)}${Date.now().toString(36).padStart(12, "0").slice(-12)}`;
    await env.DB.prepare("INSERT INTO members (id, org_id, email, role, created_at) VALUES (?, ?, ?, 'host', ?)")
      .bind(hostId, org.orgId, "mentor@example.org", new Date().toISOString())
      .run();
    const settings = await api("PATCH", "/v1/org", { key: org.key, body: { settings: { hostsCanInvite: true } } });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const contact = await api("POST", "/v1/contacts", {
      key: org.key,
      body: { email: "ada@example.org", firstName: "Ada", notes: NOTES, externalId: "crm-42" },
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    contactId = contact.body.id;
    const group = await api("POST", "/v1/groups", { key: org.key, body: { name: "Regulars" } });
    groupId = group.body.id;
    await api("POST", `/v1/groups/${groupId}/members`, { key: org.key, body: { contactIds: [contactId] } });
    const s = await newSession(org.key, { hostMemberId: hostId });
    const minted = await mintWidgetToken(
      env,
      { orgId: org.orgId, sessionId: s.id, scopes: ["roster:read", "invite", "manage"], source: hostId },
      600,
      new Date(),
    );
    if (!minted.ok) throw new Error("no token");
    token = minted.value.token;
  });

  it("lets a host who may invite search the org's contacts for the picker, without the org's notes and references", async () => {
    const listed = await api("GET", "/v1/contacts?q=ada", { key: token });
    expect(listed.status).toBe(200);
    expect(listed.body.contacts).toEqual([expect.objectContaining({ id: contactId, email: "ada@example.org", firstName: "Ada" })]);
    expect(listed.body.contacts[0].notes).toBeNull();
    expect(listed.body.contacts[0].externalId).toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(NOTES);
    const members = await api("GET", `/v1/groups/${groupId}/members`, { key: token });
    expect(members.status).toBe(200);
    expect(JSON.stringify(members.body)).not.toContain(NOTES);
    expect(JSON.stringify(members.body)).not.toContain("crm-42");
    // The org's own key still reads them.
    expect((await api("GET", "/v1/contacts?q=ada", { key: org.key })).body.contacts[0].notes).toBe(NOTES);
  });

  it("refuses a host a contact's record and its history with 403 forbidden", async () => {
    for (const path of [`/v1/contacts/${contactId}`, `/v1/contacts/${contactId}/history`]) {
      const res = await api("GET", path, { key: token });
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe("forbidden");
    }
    expect((await api("GET", `/v1/contacts/${contactId}`, { key: org.key })).status).toBe(200);
  });
});
