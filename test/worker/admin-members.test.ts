// Members of an organisation: the owner named at creation, colleagues invited by emailed link,
// and the roles that decide who may remove members or change roles.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TOKEN_REQUEST_HEADER } from "../../worker/auth/token-request";
import { memberChangeRefusal } from "../../worker/members/members";
import {
  adminOrg,
  browse,
  followLink,
  keyMadeBy,
  linkFor,
  ownerAndColleague,
  signedInOwner,
  signIn,
  submit,
  uniqueEmail,
} from "./admin-helpers";
import { api, expectProblem, newSession } from "./helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const memberId = async (orgId: string, email: string) =>
  (await env.DB.prepare("SELECT id FROM members WHERE org_id = ? AND email = ?").bind(orgId, email).first<{ id: string }>())?.id ?? null;
const roleOf = async (orgId: string, email: string) =>
  (await env.DB.prepare("SELECT role FROM members WHERE org_id = ? AND email = ?").bind(orgId, email).first<{ role: string }>())?.role ??
  null;

describe("the owner", () => {
  it("is the address named when the org was created, and can sign in", async () => {
    const { orgId, ownerEmail } = await adminOrg();
    expect(await roleOf(orgId, ownerEmail)).toBe("owner");
    const owner = await signIn(ownerEmail);
    const page = await browse("GET", "/admin/members", { cookie: owner.cookie });
    expect(page.text).toContain(ownerEmail);
    expect(page.text).toContain("Owner");
  });
});

describe("POST /admin/members (invite a colleague)", () => {
  it("emails a one-time link that makes the colleague an admin and signs them in", async () => {
    const { owner, mail, orgId } = await signedInOwner("Forest Camp");
    const email = uniqueEmail("colleague");
    const invited = await submit(owner, "/admin/members", { email: email.toUpperCase() });
    expect(invited.status).toBe(303);
    expect(invited.location).toBe("/admin/members?notice=invited");
    expect(mail.find((m) => m.to === email)).toMatchObject({ template: "sign_in", data: { orgName: "Forest Camp" } });
    expect(await memberId(orgId, email)).toBeNull();
    const waiting = await browse("GET", "/admin/members", { cookie: owner.cookie });
    expect(waiting.text).toContain("Invitations waiting");
    expect(waiting.text).toContain(email);

    const link = linkFor(mail, email);
    const path = link.slice(new URL(link).origin.length);
    const opened = await browse("GET", path);
    expect(opened.text).toContain("Join Forest Camp");
    expect(await memberId(orgId, email)).toBeNull(); // opening is not accepting
    const colleague = await followLink(link);
    expect(await roleOf(orgId, email)).toBe("admin");
    const page = await browse("GET", "/admin/sessions", { cookie: colleague.cookie });
    expect(page.text).toContain(`Signed in as ${email} (admin)`);
    expect((await browse("POST", path)).status).toBe(410);
  });

  it("keeps an invitation valid for 72 hours, not more", async () => {
    const { owner, mail, orgId } = await signedInOwner();
    const email = uniqueEmail("late");
    await submit(owner, "/admin/members", { email });
    const link = linkFor(mail, email);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 72 * 60 * 60_000 + 1_000);
    expect((await browse("POST", link.slice(new URL(link).origin.length))).status).toBe(410);
    expect(await memberId(orgId, email)).toBeNull();
  });

  it("refuses an address that is already a member", async () => {
    const { owner, ownerEmail } = await signedInOwner();
    const res = await submit(owner, "/admin/members", { email: ownerEmail });
    expect(res.status).toBe(409);
    expect(res.text).toContain("is already a member");
  });

  it("lets an admin invite too", async () => {
    const { colleague, mail } = await ownerAndColleague();
    const third = uniqueEmail("third");
    expect((await submit(colleague, "/admin/members", { email: third })).status).toBe(303);
    expect(mail.some((m) => m.to === third)).toBe(true);
  });
});

describe("roles", () => {
  it("lets only an owner change roles or remove members", async () => {
    const { colleague, orgId, ownerEmail } = await ownerAndColleague();
    const ownerId = (await memberId(orgId, ownerEmail))!;
    const page = await browse("GET", "/admin/members", { cookie: colleague.cookie });
    expect(page.text).toContain("Only an owner can remove members or change roles.");
    expect(page.text).not.toContain(`/admin/members/${ownerId}/remove`);
    expect((await submit(colleague, `/admin/members/${ownerId}/remove`)).status).toBe(403);
    expect((await submit(colleague, `/admin/members/${ownerId}/role`, { role: "admin" })).status).toBe(403);
    expect(await roleOf(orgId, ownerEmail)).toBe("owner");
  });

  it("never lets the last owner go, by removal or by demotion", async () => {
    const { owner, orgId, ownerEmail } = await signedInOwner();
    const ownerId = (await memberId(orgId, ownerEmail))!;
    const demoted = await submit(owner, `/admin/members/${ownerId}/role`, { role: "admin" });
    expect(demoted.status).toBe(409);
    expect(demoted.text).toContain("at least one owner");
    expect((await submit(owner, `/admin/members/${ownerId}/remove`)).status).toBe(409);
    expect(await roleOf(orgId, ownerEmail)).toBe("owner");
  });

  it("says up front that the only owner cannot be removed, offering no button to press", async () => {
    const { owner, orgId, ownerEmail } = await signedInOwner();
    const ownerId = (await memberId(orgId, ownerEmail))!;
    const page = await browse("GET", `/admin/members/${ownerId}/remove`, { cookie: owner.cookie });
    expect(page.status).toBe(409);
    expect(page.text).toContain("The organisation needs at least one owner: make another member an owner first.");
    expect(page.text).not.toContain(`action="/admin/members/${ownerId}/remove"`);
    expect(page.text).not.toContain("Remove from the organisation");
    expect(page.text).toContain('href="/admin/members"');
    const fr = await browse("GET", `/admin/members/${ownerId}/remove`, { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(fr.text).toContain("L’organisation doit garder au moins un·e propriétaire");
    expect(fr.text).not.toContain(`action="/admin/members/${ownerId}/remove"`);
  });

  it("lets an owner promote an admin, after which either owner may step down", async () => {
    const { owner, colleague, colleagueId, orgId, ownerEmail } = await ownerAndColleague();
    expect((await submit(owner, `/admin/members/${colleagueId}/role`, { role: "owner" })).status).toBe(303);
    expect(await roleOf(orgId, colleague.email)).toBe("owner");
    const ownerId = (await memberId(orgId, ownerEmail))!;
    expect((await submit(owner, `/admin/members/${ownerId}/role`, { role: "admin" })).status).toBe(303);
    expect(await roleOf(orgId, ownerEmail)).toBe("admin");
    // Role changes apply at once, to the session already open.
    expect((await submit(owner, `/admin/members/${colleagueId}/role`, { role: "admin" })).status).toBe(403);
  });

  it("lets two owners demoting each other at the same moment keep one owner", async () => {
    const { owner, colleague, colleagueId, orgId, ownerEmail } = await ownerAndColleague();
    await submit(owner, `/admin/members/${colleagueId}/role`, { role: "owner" });
    const ownerId = (await memberId(orgId, ownerEmail))!;
    await Promise.all([
      submit(owner, `/admin/members/${colleagueId}/role`, { role: "admin" }),
      submit(colleague, `/admin/members/${ownerId}/role`, { role: "admin" }),
    ]);
    const owners = await env.DB.prepare("SELECT count(*) AS n FROM members WHERE org_id = ? AND role = 'owner'")
      .bind(orgId)
      .first<{ n: number }>();
    expect(owners!.n).toBe(1);
  });

  it("removing a member signs them out everywhere", async () => {
    const { owner, colleague, colleagueId, orgId } = await ownerAndColleague();
    const removed = await submit(owner, `/admin/members/${colleagueId}/remove`);
    expect(removed.status).toBe(303);
    expect(removed.location).toBe("/admin/members?notice=removed");
    expect(await memberId(orgId, colleague.email)).toBeNull();
    expect((await browse("GET", "/admin/sessions", { cookie: colleague.cookie })).location).toBe("/admin/sign-in");
  });

  it("revokes the API keys the removed member made, and the keys made with those", async () => {
    const { owner, key, colleague, colleagueId } = await ownerAndColleague();
    const theirs = await keyMadeBy(colleague, "Colleague's script");
    const grandchild = (await api("POST", "/v1/api-keys", { key: theirs, body: { label: "Made with it" } })).body.apiKey;
    const owners = await keyMadeBy(owner, "Owner's script");
    for (const k of [theirs, grandchild, owners, key]) expect((await api("GET", "/v1/sessions", { key: k })).status).toBe(200);

    expect((await submit(owner, `/admin/members/${colleagueId}/remove`)).status).toBe(303);
    for (const k of [theirs, grandchild]) expectProblem(await api("GET", "/v1/sessions", { key: k }), "unauthenticated");
    for (const k of [owners, key]) expect((await api("GET", "/v1/sessions", { key: k })).status).toBe(200);
    const keys = (await api("GET", "/v1/api-keys", { key })).body.keys as { label: string; revokedAt: string | null }[];
    expect(
      keys
        .filter((k) => k.revokedAt)
        .map((k) => k.label)
        .sort(),
    ).toEqual(["Colleague's script", "Made with it"]);
  });

  it("revokes the member invitations the removed member sent and had not been accepted", async () => {
    const { owner, mail, colleague, colleagueId, orgId } = await ownerAndColleague();
    const third = uniqueEmail("third");
    expect((await submit(colleague, "/admin/members", { email: third })).status).toBe(303);
    const link = linkFor(mail, third);
    const fourth = uniqueEmail("fourth");
    expect((await submit(owner, "/admin/members", { email: fourth })).status).toBe(303);

    expect((await submit(owner, `/admin/members/${colleagueId}/remove`)).status).toBe(303);
    const page = await browse("GET", "/admin/members", { cookie: owner.cookie });
    expect(page.text).not.toContain(third);
    expect(page.text).toContain(fourth);
    const path = link.slice(new URL(link).origin.length);
    const used = await browse("POST", path);
    expect(used.headers.get("set-cookie")).toBeNull();
    expect(await memberId(orgId, third)).toBeNull();
    expect((await followLink(linkFor(mail, fourth))).cookie).toBeTruthy();
  });

  it("ends the widget tokens the removed member was given", async () => {
    const { owner, key, colleague, colleagueId } = await ownerAndColleague();
    const s = await newSession(key);
    const asWidget = { [TOKEN_REQUEST_HEADER]: "1" };
    const res = await browse("GET", `/admin/widget-token?session=${s.id}`, { cookie: colleague.cookie, headers: asWidget });
    const token = JSON.parse(res.text).token;
    const ownersToken = JSON.parse(
      (await browse("GET", `/admin/widget-token?session=${s.id}`, { cookie: owner.cookie, headers: asWidget })).text,
    ).token;
    expect((await api("GET", `/v1/sessions/${s.id}/roster`, { key: token })).status).toBe(200);

    expect((await submit(owner, `/admin/members/${colleagueId}/remove`)).status).toBe(303);
    expectProblem(await api("GET", `/v1/sessions/${s.id}/roster`, { key: token }), "token_invalid");
    expectProblem(await api("POST", `/v1/sessions/${s.id}/cancel`, { key: token }), "token_invalid");
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.status).toBe("scheduled");
    expect((await api("GET", `/v1/sessions/${s.id}/roster`, { key: ownersToken })).status).toBe(200);
  });

  it("answers 404 for a member of another organisation", async () => {
    const { owner } = await signedInOwner();
    const other = await adminOrg("Other camp");
    const otherOwnerId = (await memberId(other.orgId, other.ownerEmail))!;
    expect((await submit(owner, `/admin/members/${otherOwnerId}/remove`)).status).toBe(404);
    expect(await roleOf(other.orgId, other.ownerEmail)).toBe("owner");
  });
});

describe("memberChangeRefusal", () => {
  it("states the rule: owners only, and never the last owner", () => {
    expect(memberChangeRefusal("admin", "admin", 1, { kind: "remove" })?.code).toBe("forbidden");
    expect(memberChangeRefusal("owner", "owner", 1, { kind: "remove" })?.code).toBe("last_owner");
    expect(memberChangeRefusal("owner", "owner", 1, { kind: "role", role: "admin" })?.code).toBe("last_owner");
    expect(memberChangeRefusal("owner", "owner", 1, { kind: "role", role: "owner" })).toBeNull();
    expect(memberChangeRefusal("owner", "owner", 2, { kind: "remove" })).toBeNull();
    expect(memberChangeRefusal("owner", "admin", 1, { kind: "remove" })).toBeNull();
  });
});
