// `/v1/members`: an org's members through the API, with the hosted admin's rules. A key acts with
// the role of the member it answers to (an org's own keys as an owner): any key lists members and
// invites admins; only an owner's key invites owners, changes roles or removes members; the last
// owner stays; and another org's members are out of reach.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { memberInviteRefusal } from "../../worker/members/members";
import { browse, followLink, keyMadeBy, linkFor, ownerAndColleague, queuedMail, signedInOwner, submit, uniqueEmail } from "./admin-helpers";
import { api, expectProblem } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const roleOf = async (orgId: string, email: string) =>
  (await env.DB.prepare("SELECT role FROM members WHERE org_id = ? AND email = ?").bind(orgId, email).first<{ role: string }>())?.role ??
  null;

describe("memberInviteRefusal", () => {
  it("lets owners invite either role, and admins only admins", () => {
    expect(memberInviteRefusal("owner", "owner")).toBeNull();
    expect(memberInviteRefusal("owner", "admin")).toBeNull();
    expect(memberInviteRefusal("admin", "admin")).toBeNull();
    expect(memberInviteRefusal("admin", "owner")?.code).toBe("forbidden");
  });
});

describe("GET /v1/members", () => {
  it("lists the members and the invitations that wait, with their roles", async () => {
    const { key, ownerEmail, colleague } = await ownerAndColleague();
    const waiting = uniqueEmail("waiting");
    expect((await api("POST", "/v1/members", { key, body: { email: waiting, role: "owner" } })).status).toBe(202);
    const res = await api("GET", "/v1/members", { key });
    expect(res.status).toBe(200);
    const members = res.body.members as { email: string; role: string; id: string }[];
    expect(members.map((m) => [m.email, m.role])).toEqual([
      [ownerEmail, "owner"],
      [colleague.email, "admin"],
    ]);
    expect(res.body.invitations).toEqual([{ email: waiting, role: "owner", expiresAt: expect.any(String) }]);
  });
});

describe("POST /v1/members", () => {
  it("emails a 72-hour link that makes the address a member with the role given", async () => {
    const { key, orgId } = await signedInOwner();
    const mail = queuedMail();
    const email = uniqueEmail("new-owner");
    const res = await api("POST", "/v1/members", { key, body: { email: email.toUpperCase(), role: "owner" } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ email, role: "owner", expiresAt: expect.any(String) });
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(71 * 3600_000);
    await followLink(linkFor(mail, email));
    expect(await roleOf(orgId, email)).toBe("owner");
  });

  it("makes an admin when no role is given", async () => {
    const { key, orgId } = await signedInOwner();
    const mail = queuedMail();
    const email = uniqueEmail("helper");
    expect((await api("POST", "/v1/members", { key, body: { email } })).body.role).toBe("admin");
    await followLink(linkFor(mail, email));
    expect(await roleOf(orgId, email)).toBe("admin");
  });

  it("refuses a key answering to an admin who invites an owner, and sends nothing", async () => {
    const { colleague, orgId } = await ownerAndColleague();
    const admins = await keyMadeBy(colleague, "Admin's script");
    const mail = queuedMail();
    const email = uniqueEmail("climber");
    expectProblem(await api("POST", "/v1/members", { key: admins, body: { email, role: "owner" } }), "forbidden");
    expect(mail.filter((m) => m.to === email)).toEqual([]);
    expect((await api("POST", "/v1/members", { key: admins, body: { email, role: "admin" } })).status).toBe(202);
    await followLink(linkFor(mail, email));
    expect(await roleOf(orgId, email)).toBe("admin");
  });

  it("names the field of a bad address or role, and refuses an existing member", async () => {
    const { key, ownerEmail } = await signedInOwner();
    const bad = await api("POST", "/v1/members", { key, body: { email: "not an address", role: "boss" } });
    expectProblem(bad, "validation_failed");
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(["email", "role"]);
    expectProblem(await api("POST", "/v1/members", { key, body: { email: ownerEmail } }), "already_member");
  });
});

describe("PATCH /v1/members/{id}", () => {
  it("lets an owner's key change roles, never the last owner's", async () => {
    const { key, orgId, colleague, colleagueId } = await ownerAndColleague();
    const list = (await api("GET", "/v1/members", { key })).body.members as { id: string; role: string }[];
    const ownerId = list.find((m) => m.role === "owner")!.id;
    expectProblem(await api("PATCH", `/v1/members/${ownerId}`, { key, body: { role: "admin" } }), "last_owner");
    const promoted = await api("PATCH", `/v1/members/${colleagueId}`, { key, body: { role: "owner" } });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ id: colleagueId, email: colleague.email, role: "owner" });
    expect(await roleOf(orgId, colleague.email)).toBe("owner");
    // Two owners now: one may step down.
    expect((await api("PATCH", `/v1/members/${ownerId}`, { key, body: { role: "admin" } })).status).toBe(200);
  });

  it("refuses a key answering to an admin", async () => {
    const { colleague, colleagueId, orgId } = await ownerAndColleague();
    const admins = await keyMadeBy(colleague, "Admin's script");
    expectProblem(await api("PATCH", `/v1/members/${colleagueId}`, { key: admins, body: { role: "owner" } }), "forbidden");
    expect(await roleOf(orgId, colleague.email)).toBe("admin");
  });
});

describe("DELETE /v1/members/{id}", () => {
  it("removes a member with everything that acts for them, in one step", async () => {
    const { key, orgId, colleague, colleagueId } = await ownerAndColleague();
    const theirs = await keyMadeBy(colleague, "Colleague's script");
    const res = await api("DELETE", `/v1/members/${colleagueId}`, { key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ member: { id: colleagueId, email: colleague.email }, keysRevoked: 1, invitationsCancelled: 0 });
    expect(await roleOf(orgId, colleague.email)).toBeNull();
    expectProblem(await api("GET", "/v1/sessions", { key: theirs }), "unauthenticated");
    expect((await browse("GET", "/admin/sessions", { cookie: colleague.cookie })).location).toBe("/admin/sign-in");
    expectProblem(await api("DELETE", `/v1/members/${colleagueId}`, { key }), "not_found");
  });

  it("keeps the last owner, refuses an admin's key, and cannot reach another org's members", async () => {
    const { key, colleague, colleagueId } = await ownerAndColleague();
    const admins = await keyMadeBy(colleague, "Admin's script");
    const ownerId = ((await api("GET", "/v1/members", { key })).body.members as { id: string; role: string }[]).find(
      (m) => m.role === "owner",
    )!.id;
    expectProblem(await api("DELETE", `/v1/members/${ownerId}`, { key }), "last_owner");
    expectProblem(await api("DELETE", `/v1/members/${ownerId}`, { key: admins }), "forbidden");
    const other = await signedInOwner("Other camp");
    expectProblem(await api("DELETE", `/v1/members/${colleagueId}`, { key: other.key }), "not_found");
    expectProblem(await api("PATCH", `/v1/members/${colleagueId}`, { key: other.key, body: { role: "owner" } }), "not_found");
    expect((await api("GET", "/v1/members", { key: other.key })).body.members).toHaveLength(1);
  });
});

describe("the hosted admin's members page", () => {
  it("invites with a role, and only an owner offers and gives the owner role", async () => {
    const { owner, colleague, orgId, mail } = await ownerAndColleague();
    const asOwner = await browse("GET", "/admin/members", { cookie: owner.cookie });
    expect(asOwner.text).toMatch(/<select id="role" name="role"[^>]*>[\s\S]*value="owner"/);
    const asAdmin = await browse("GET", "/admin/members", { cookie: colleague.cookie });
    expect(asAdmin.text).not.toMatch(/<select id="role" name="role"[^>]*>[\s\S]*?value="owner"[\s\S]*?<\/select>/);

    const crafted = await submit(colleague, "/admin/members", { email: uniqueEmail("climber"), role: "owner" });
    expect(crafted.status).toBe(403);
    expect(crafted.text).toContain("Only an owner can invite an owner.");

    const email = uniqueEmail("co-owner");
    expect((await submit(owner, "/admin/members", { email, role: "owner" })).status).toBe(303);
    await followLink(linkFor(mail, email));
    expect(await roleOf(orgId, email)).toBe("owner");
  });

  it("asks before removing a member, naming them, and only the button removes", async () => {
    const { owner, colleague, colleagueId, orgId } = await ownerAndColleague();
    const list = await browse("GET", "/admin/members", { cookie: owner.cookie });
    expect(list.text).toContain(`href="/admin/members/${colleagueId}/remove"`);
    const asked = await browse("GET", `/admin/members/${colleagueId}/remove`, { cookie: owner.cookie });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain(`Remove ${colleague.email}?`);
    expect(asked.text).toContain(`action="/admin/members/${colleagueId}/remove"`);
    expect(await roleOf(orgId, colleague.email)).toBe("admin");
    expect((await browse("GET", `/admin/members/${colleagueId}/remove`, { cookie: colleague.cookie })).status).toBe(403);
  });
});
