// Hosts: members who see and run only the sessions they host, what the org's settings let them do
// besides, sessions naming their host, and an owner or admin viewing the admin as a host sees it.
import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Actor, can } from "../../worker/auth/permissions";
import { TOKEN_REQUEST_HEADER } from "../../worker/auth/token-request";
import { mintWidgetToken } from "../../worker/orgs/widget-tokens";
import { browse, followLink, linkFor, type SignedIn, signedInOwner, submit, uniqueEmail } from "./admin-helpers";
import { api, newSession, sessionBody } from "./helpers";
import { hostLocales } from "./invitation-helpers";

const SESSION_FORM = {
  title: "Group mentoring",
  description: "A morning together.",
  startsAtLocal: "2031-07-05T09:00",
  timeZone: "Europe/Paris",
  durationMinutes: "60",
  minParticipants: "1",
  maxParticipants: "10",
  waitlist: "on",
};

describe("can (auth/permissions.ts)", () => {
  const host: Actor = { memberId: "mem_a", role: "host", settings: {} };
  const own = { hostMemberId: "mem_a" };
  const other = { hostMemberId: "mem_b" };

  it("lets owners and admins do everything, hosts only their own sessions", () => {
    for (const role of ["owner", "admin"] as const) {
      expect(can({ ...host, role }, "org")).toBe(true);
      expect(can({ ...host, role }, "session:manage", other)).toBe(true);
    }
    expect(can(host, "session:read", own)).toBe(true);
    expect(can(host, "session:manage", own)).toBe(true);
    expect(can(host, "session:read", other)).toBe(false);
    expect(can(host, "session:read", { hostMemberId: null })).toBe(false);
    expect(can(host, "org")).toBe(false);
    expect(can(host, "session:assign", own)).toBe(false);
  });

  it("lets a host invite and create sessions only when the org allows it", () => {
    expect(can(host, "session:invite", own)).toBe(false);
    expect(can(host, "contacts:pick")).toBe(false);
    expect(can(host, "session:create")).toBe(false);
    const allowed: Actor = { ...host, settings: { hostsCanInvite: true, hostsCanCreateSessions: true } };
    expect(can(allowed, "session:invite", own)).toBe(true);
    expect(can(allowed, "session:invite", other)).toBe(false);
    expect(can(allowed, "contacts:pick")).toBe(true);
    expect(can(allowed, "session:create")).toBe(true);
  });
});

type Org = Awaited<ReturnType<typeof signedInOwner>>;

/** An owner, and a mentor they invited as a host through the members page, signed in. */
async function orgWithHost(): Promise<Org & { host: SignedIn; hostId: string }> {
  const org = await signedInOwner("Mentoring club");
  const email = uniqueEmail("mentor");
  const invited = await submit(org.owner, "/admin/members", { email, role: "host" });
  expect(invited.status).toBe(303);
  const host = { ...(await followLink(linkFor(org.mail, email))), email };
  const row = await env.DB.prepare("SELECT id, role FROM members WHERE org_id = ? AND email = ?")
    .bind(org.orgId, email)
    .first<{ id: string; role: string }>();
  expect(row?.role).toBe("host");
  return { ...org, host, hostId: row!.id };
}

async function createdByForm(who: SignedIn, form: Record<string, string> = {}): Promise<string> {
  const res = await submit(who, "/admin/sessions", { ...SESSION_FORM, ...form });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return /\/admin\/sessions\/(ses_[0-9a-z]+)/.exec(res.location ?? "")![1]!;
}

const tokenFor = (who: SignedIn, sessionId: string) =>
  browse("GET", `/admin/widget-token?session=${sessionId}`, { cookie: who.cookie, headers: { [TOKEN_REQUEST_HEADER]: "1" } });

afterAll(() => vi.restoreAllMocks());

describe("a host in the hosted admin", () => {
  let org: Org & { host: SignedIn; hostId: string };
  let hosted: string;
  let notHosted: string;

  beforeAll(async () => {
    org = await orgWithHost();
    hosted = await createdByForm(org.owner, { title: "Hosted by the mentor", hostMemberId: org.hostId });
    notHosted = await createdByForm(org.owner, { title: "Somebody else's" });
  });

  it("lists only the sessions they host, and says whose a session is", async () => {
    const list = await browse("GET", "/admin/sessions", { cookie: org.host.cookie });
    expect(list.status).toBe(200);
    expect(list.text).toContain("Hosted by the mentor");
    expect(list.text).not.toContain("Somebody else");
    // No way to the org's pages from a host's navigation, and no "New session" unless allowed.
    expect(list.text).not.toContain('href="/admin/keys"');
    expect(list.text).not.toContain('href="/admin/sessions/new"');
    const page = await browse("GET", `/admin/sessions/${hosted}`, { cookie: org.host.cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain(org.host.email);
    // Not allowed to invite: the roster shows no invite controls, and names link nowhere.
    expect(page.text).toMatch(/<rollcall-roster[^>]*no-invite/);
    expect(page.text).not.toContain("contact-link");
    const owners = await browse("GET", `/admin/sessions/${hosted}`, { cookie: org.owner.cookie });
    expect(owners.text).not.toMatch(/<rollcall-roster[^>]*no-invite/);
  });

  it('says "You are attending!" to the host signed in, on the public page and the admin\'s, and to nobody else', async () => {
    const mine = await browse("GET", `/s/${hosted}`, { cookie: org.host.cookie });
    expect(mine.status).toBe(200);
    expect(mine.text).toContain("You are attending!");
    expect(mine.text).toContain(`href="/admin/sessions/${hosted}"`);
    expect(mine.text).not.toContain("<rollcall-join");
    const fr = await browse("GET", `/s/${hosted}`, { cookie: org.host.cookie, headers: { "accept-language": "fr" } });
    expect(fr.text).toContain("Vous participez !");
    for (const cookie of [null, org.owner.cookie, "rollcall_admin=forged; __Host-rollcall_admin=forged"]) {
      const page = await browse("GET", `/s/${hosted}`, { cookie });
      expect(page.status).toBe(200);
      expect(page.text).not.toContain("You are attending!");
      expect(page.text).toContain("<rollcall-join");
    }
    // Another session of the org: the host is not attending it.
    expect((await browse("GET", `/s/${notHosted}`, { cookie: org.host.cookie })).text).not.toContain("You are attending!");
    const admin = await browse("GET", `/admin/sessions/${hosted}`, { cookie: org.host.cookie });
    expect(admin.text).toContain("You are attending!");
    expect((await browse("GET", `/admin/sessions/${hosted}`, { cookie: org.owner.cookie })).text).not.toContain("You are attending!");
  });

  it("answers 404 for another host's session, as for another org's, and 403 for the org's pages", async () => {
    for (const path of [
      `/admin/sessions/${notHosted}`,
      `/admin/sessions/${notHosted}/edit`,
      `/admin/sessions/${notHosted}/cancel`,
      `/admin/sessions/${notHosted}/form`,
      `/admin/sessions/${notHosted}/minimum?answer=run`,
    ]) {
      expect((await browse("GET", path, { cookie: org.host.cookie })).status, path).toBe(404);
    }
    expect((await tokenFor(org.host, notHosted)).status).toBe(404);
    expect((await submit(org.host, `/admin/sessions/${notHosted}/cancel`)).status).toBe(404);
    expect((await api("GET", `/v1/sessions/${notHosted}`, { key: org.key })).body.status).toBe("scheduled");
    for (const path of [
      "/admin/contacts",
      "/admin/groups",
      "/admin/programs",
      "/admin/keys",
      "/admin/settings",
      "/admin/members",
      "/admin/privacy",
    ]) {
      expect((await browse("GET", path, { cookie: org.host.cookie })).status, path).toBe(403);
    }
    expect((await submit(org.host, "/admin/keys", { label: "mine" })).status).toBe(403);
    expect((await submit(org.host, "/admin/settings/hosts", { hostsCanInvite: "on" })).status).toBe(403);
  });

  it("refuses creating a session until an owner allows it; then the session is theirs", async () => {
    expect((await browse("GET", "/admin/sessions/new", { cookie: org.host.cookie })).status).toBe(403);
    expect((await submit(org.host, "/admin/sessions", SESSION_FORM)).status).toBe(403);
    expect((await submit(org.owner, "/admin/settings/hosts", { hostsCanCreateSessions: "on", hostLabel: "mentor" })).status).toBe(303);
    const form = await browse("GET", "/admin/sessions/new", { cookie: org.host.cookie });
    expect(form.status).toBe(200);
    expect(form.text).not.toContain('name="hostMemberId"'); // a host does not choose the host
    expect(form.text).not.toContain('name="invite"'); // nor invites, unless the org lets hosts invite
    const id = await createdByForm(org.host, { title: "The mentor's own", hostMemberId: "mem_somebodyelse000000" });
    const row = await env.DB.prepare("SELECT member_id FROM session_hosts WHERE session_id = ?").bind(id).first<{ member_id: string }>();
    expect(row?.member_id).toBe(org.hostId);
    const page = await browse("GET", `/admin/sessions/${id}`, { cookie: org.host.cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<dt>Mentor</dt><dd>${org.host.email}</dd>`);
    await submit(org.owner, "/admin/settings/hosts", {});
  });

  it("gives a host's token only what a host may do, as the org's settings stand at each call", async () => {
    const minted = await tokenFor(org.host, hosted);
    expect(minted.status).toBe(200);
    const token = JSON.parse(minted.text).token as string;
    expect((await api("GET", `/v1/sessions/${hosted}/roster`, { key: token })).status).toBe(200);
    const invite = await api("POST", `/v1/sessions/${hosted}/invitations`, {
      key: token,
      body: { recipients: "a@example.org", send: "later" },
    });
    expect(invite.status).toBe(403);
    expect(invite.body.code).toBe("forbidden");
    const picker = await api("GET", "/v1/contacts", { key: token });
    expect(picker.status).toBe(403);
    expect(picker.body.code).toBe("forbidden");
    expect((await api("GET", "/v1/sessions", { key: token })).status).toBe(403);
    expect((await api("GET", "/v1/programs", { key: token })).status).toBe(403);
    expect((await api("GET", `/v1/sessions/${hosted}/invitations`, { key: org.key })).body.invitations).toHaveLength(0);

    expect((await submit(org.owner, "/admin/settings/hosts", { hostsCanInvite: "on" })).status).toBe(303);
    expect((await api("GET", "/v1/contacts", { key: token })).status).toBe(200);
    const allowed = await api("POST", `/v1/sessions/${hosted}/invitations`, {
      key: token,
      body: { recipients: "a@example.org", send: "later" },
    });
    expect(allowed.status).toBe(201);
    const page = await browse("GET", `/admin/sessions/${hosted}`, { cookie: org.host.cookie });
    expect(page.text).not.toMatch(/<rollcall-roster[^>]*no-invite/);
    await submit(org.owner, "/admin/settings/hosts", {});
  });

  it("refuses the host settings to an admin who is not an owner, and PATCH /v1/org takes them", async () => {
    const patched = await api("PATCH", "/v1/org", { key: org.key, body: { settings: { hostsCanInvite: true, hostLabel: "trainer" } } });
    expect(patched.status).toBe(200);
    expect(patched.body.settings).toMatchObject({ hostsCanInvite: true, hostLabel: "trainer" });
    await api("PATCH", "/v1/org", { key: org.key, body: { settings: { hostsCanInvite: null, hostLabel: null } } });
  });

  it("moves a session to another host: the new one sees it, the one before no longer does, nor their token", async () => {
    const id = await createdByForm(org.owner, { title: "Handed over", hostMemberId: org.hostId });
    const token = JSON.parse((await tokenFor(org.host, id)).text).token as string;
    const second = uniqueEmail("mentor");
    await submit(org.owner, "/admin/members", { email: second, role: "host" });
    const other = { ...(await followLink(linkFor(org.mail, second))), email: second };
    const otherId = (await env.DB.prepare("SELECT id FROM members WHERE email = ?").bind(second).first<{ id: string }>())!.id;
    const edit = await browse("GET", `/admin/sessions/${id}/edit`, { cookie: org.owner.cookie });
    expect(edit.text).toContain(`value="${otherId}"`);
    const moved = await submit(org.owner, `/admin/sessions/${id}/edit`, { ...SESSION_FORM, title: "Handed over", hostMemberId: otherId });
    expect(moved.status).toBe(303);
    expect((await browse("GET", `/admin/sessions/${id}`, { cookie: other.cookie })).status).toBe(200);
    expect((await browse("GET", `/admin/sessions/${id}`, { cookie: org.host.cookie })).status).toBe(404);
    const refused = await api("GET", `/v1/sessions/${id}/roster`, { key: token });
    expect(refused.status).toBe(403);
  });

  it("lets an owner view the admin as the host sees it, read-only, and go back", async () => {
    const members = await browse("GET", "/admin/members", { cookie: org.owner.cookie });
    expect(members.text).toContain('action="/admin/view-as"');
    const start = await submit(org.owner, "/admin/view-as", { memberId: org.hostId });
    expect(start.status).toBe(303);
    const list = await browse("GET", "/admin/sessions", { cookie: org.owner.cookie });
    expect(list.text).toContain("Hosted by the mentor");
    expect(list.text).not.toContain("Somebody else");
    expect(list.text).toContain(`Viewing as ${org.host.email}`);
    expect((await browse("GET", "/admin/keys", { cookie: org.owner.cookie })).status).toBe(403);
    expect((await submit(org.owner, `/admin/sessions/${hosted}/cancel`)).status).toBe(403);
    const token = JSON.parse((await tokenFor(org.owner, hosted)).text);
    expect(token.scopes).toEqual(["roster:read"]);
    expect((await api("GET", `/v1/sessions/${hosted}`, { key: org.key })).body.status).toBe("scheduled");
    expect((await submit(org.owner, "/admin/view-as/end")).status).toBe(303);
    expect((await browse("GET", "/admin/keys", { cookie: org.owner.cookie })).status).toBe(200);
    // A host cannot view as anyone.
    expect((await submit(org.host, "/admin/view-as", { memberId: org.hostId })).status).toBe(404);
  });
});

describe("the host's seat from the hosted admin", () => {
  it("seats the host, and the next host an edit hands the session to, in the org's language", async () => {
    const org = await orgWithHost();
    const set = await api("PATCH", "/v1/org", { key: org.key, body: { settings: { defaultLocale: "fr" } } });
    expect(set.status).toBe(200);
    const id = await createdByForm(org.owner, { title: "Mentorat", hostMemberId: org.hostId, hostCountsAsParticipant: "on" });
    expect(await hostLocales(id)).toEqual([{ email: org.host.email, locale: "fr" }]);

    const second = uniqueEmail("mentor");
    await submit(org.owner, "/admin/members", { email: second, role: "host" });
    await followLink(linkFor(org.mail, second));
    const secondId = (await env.DB.prepare("SELECT id FROM members WHERE email = ?").bind(second).first<{ id: string }>())!.id;
    const form = { ...SESSION_FORM, title: "Mentorat", hostMemberId: secondId, hostCountsAsParticipant: "on" };
    expect((await submit(org.owner, `/admin/sessions/${id}/edit`, form)).status).toBe(303);
    expect(await hostLocales(id)).toEqual([{ email: second, locale: "fr" }]);
  });
});

describe("sessions naming their host in the API", () => {
  let org: Org & { host: SignedIn; hostId: string };
  let strangerId: string;

  beforeAll(async () => {
    org = await orgWithHost();
    const other = await signedInOwner("Another club");
    const row = await env.DB.prepare("SELECT id FROM members WHERE org_id = ?").bind(other.orgId).first<{ id: string }>();
    strangerId = row!.id;
  });

  const hostRow = (id: string) =>
    env.DB.prepare("SELECT member_id FROM session_hosts WHERE session_id = ?").bind(id).first<{ member_id: string }>();

  it("sets the host with POST, changes it with PATCH, clears it with null, and shows it in GET and the list", async () => {
    const created = await api("POST", "/v1/sessions", {
      key: org.key,
      body: sessionBody({ hostMemberId: org.hostId }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.hostMemberId).toBe(org.hostId);
    const id = created.body.id as string;
    expect((await hostRow(id))?.member_id).toBe(org.hostId);
    expect((await api("GET", `/v1/sessions/${id}`, { key: org.key })).body.hostMemberId).toBe(org.hostId);
    const listed = await api("GET", "/v1/sessions", { key: org.key });
    expect(listed.body.sessions.find((s: { id: string }) => s.id === id)?.hostMemberId).toBe(org.hostId);

    // Any member may host, whatever their role: here the owner.
    const owner = await env.DB.prepare("SELECT id FROM members WHERE org_id = ? AND role = 'owner'")
      .bind(org.orgId)
      .first<{ id: string }>();
    const changed = await api("PATCH", `/v1/sessions/${id}`, {
      key: org.key,
      body: { hostMemberId: owner!.id, title: "Handed over" },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      hostMemberId: owner!.id,
      title: "Handed over",
    });
    expect((await api("GET", `/v1/sessions/${id}`, { key: org.key })).body.hostMemberId).toBe(owner!.id);

    const cleared = await api("PATCH", `/v1/sessions/${id}`, {
      key: org.key,
      body: { hostMemberId: null },
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(cleared.body).toMatchObject({
      hostMemberId: null,
      title: "Handed over",
    });
    expect(await hostRow(id)).toBeNull();
    const relisted = await api("GET", "/v1/sessions", { key: org.key });
    expect(relisted.body.sessions.find((s: { id: string }) => s.id === id)?.hostMemberId).toBeNull();

    const unhosted = await api("POST", "/v1/sessions", {
      key: org.key,
      body: sessionBody(),
    });
    expect(unhosted.body.hostMemberId).toBeNull();
    const cancelled = await api("POST", `/v1/sessions/${unhosted.body.id}/cancel`, { key: org.key });
    expect(cancelled.body.hostMemberId).toBeNull();
  });

  it("refuses another org's member or an unknown one with 422 naming the field, and changes nothing", async () => {
    const before = (await api("GET", "/v1/sessions?limit=100", { key: org.key })).body.sessions.length as number;
    for (const hostMemberId of [strangerId, "mem_unknown0000000000"]) {
      const refused = await api("POST", "/v1/sessions", {
        key: org.key,
        body: sessionBody({ hostMemberId }),
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe("validation_failed");
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: "hostMemberId" })]);
    }
    expect((await api("GET", "/v1/sessions?limit=100", { key: org.key })).body.sessions).toHaveLength(before);

    const s = await newSession(org.key, { hostMemberId: org.hostId });
    const refused = await api("PATCH", `/v1/sessions/${s.id}`, {
      key: org.key,
      body: { hostMemberId: strangerId, title: "Not saved" },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: "hostMemberId" })]);
    const after = await api("GET", `/v1/sessions/${s.id}`, { key: org.key });
    expect(after.body).toMatchObject({
      hostMemberId: org.hostId,
      title: s.title,
    });
  });

  it("keeps the host out of the public view", async () => {
    const s = await newSession(org.key, { hostMemberId: org.hostId });
    const pub = await api("GET", `/v1/public/sessions/${s.id}`);
    expect(pub.status).toBe(200);
    expect(pub.body).not.toHaveProperty("hostMemberId");
    expect(JSON.stringify(pub.body)).not.toContain(org.hostId);
  });

  it("makes a host's own token the host of what it creates, and lets it hand nothing over", async () => {
    const grant = {
      orgId: org.orgId,
      sessionId: null,
      scopes: ["roster:read", "invite", "manage"] as const,
      source: org.hostId,
    };
    const minted = await mintWidgetToken(env, { ...grant, scopes: [...grant.scopes] }, 600, new Date());
    expect(minted.ok).toBe(true);
    const token = minted.ok ? minted.value.token : "";
    const refused = await api("POST", "/v1/sessions", {
      key: token,
      body: sessionBody(),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("forbidden");

    expect(
      (
        await api("PATCH", "/v1/org", {
          key: org.key,
          body: { settings: { hostsCanCreateSessions: true } },
        })
      ).status,
    ).toBe(200);
    const own = await api("POST", "/v1/sessions", {
      key: token,
      body: sessionBody(),
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body.hostMemberId).toBe(org.hostId);
    expect((await hostRow(own.body.id))?.member_id).toBe(org.hostId);
    const other = await api("POST", "/v1/sessions", {
      key: token,
      body: sessionBody({ hostMemberId: null }),
    });
    expect(other.status).toBe(403);

    const sessionToken = JSON.parse((await tokenFor(org.host, own.body.id)).text).token as string;
    const handOver = await api("PATCH", `/v1/sessions/${own.body.id}`, {
      key: sessionToken,
      body: { hostMemberId: null },
    });
    expect(handOver.status).toBe(403);
    expect(handOver.body.code).toBe("forbidden");
    expect((await hostRow(own.body.id))?.member_id).toBe(org.hostId);
    await api("PATCH", "/v1/org", {
      key: org.key,
      body: { settings: { hostsCanCreateSessions: null } },
    });
  });
});
