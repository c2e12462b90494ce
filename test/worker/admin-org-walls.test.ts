// Every page of the hosted admin that names one of the org's things by id (a session, a question
// of its form, a contact, an invitation, a group, a program, a discount code, a key, a webhook
// endpoint and its deliveries, a member): a signed-in owner of another org gets the admin's 404
// there, to a read and to a write, and the write changes nothing. The pages are read off the
// admin's own routes, so a page added later is walked too, or this test names it as unknown.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { adminRoutes } from "../../worker/admin/routes";
import { browse, type SignedIn, signedInOwner } from "./admin-helpers";
import { api, newSession } from "./helpers";
import { QUESTIONS } from "./invitation-helpers";

/** The routes whose token in the path is the credential: not a member's pages. */
const OPEN = /^\/(decide|link)\//;

type Theirs = Record<
  | "sessionId"
  | "contactId"
  | "invitationId"
  | "groupId"
  | "programId"
  | "jobId"
  | "discountId"
  | "keyId"
  | "endpointId"
  | "deliveryId"
  | "memberId",
  string
>;

type Ids = Record<"contact" | "group" | "session" | "program" | "member", string>;

/** The value of each of a path's parameters, from what the path is about; null for one this test does not know. */
function fill(path: string, t: Theirs): string | null {
  const about = path.split("/")[1];
  const ids: Record<string, string> = {
    sessions: t.sessionId,
    contacts: t.contactId,
    groups: t.groupId,
    programs: t.programId,
    discounts: t.discountId,
    keys: t.keyId,
    webhooks: t.endpointId,
    members: t.memberId,
  };
  let unknown = false;
  const filled = path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string, pattern?: string) => {
    if (pattern) return pattern.slice(1, -1).split("|")[0] ?? "";
    const value = (
      { id: ids[about ?? ""], key: "age", invitationId: t.invitationId, deliveryId: t.deliveryId, jobId: t.jobId } as Record<
        string,
        string | undefined
      >
    )[name];
    if (value === undefined) unknown = true;
    return value ?? "";
  });
  return unknown ? null : filled;
}

/**
 * What a write needs to get past its form's check, so that what refuses it is the org's wall: the
 * other pages look the thing up before they read their form.
 */
const FORMS: Record<string, Record<string, string>> = { "/members/:id/role": { role: "admin" } };

/** What the org's own API says about everything the walk could have touched. */
async function snapshot(key: string, t: Theirs) {
  const reads = [
    `/v1/sessions/${t.sessionId}`,
    `/v1/sessions/${t.sessionId}/invitations`,
    `/v1/contacts/${t.contactId}`,
    `/v1/groups/${t.groupId}`,
    "/v1/programs",
    `/v1/programs/${t.programId}/invitation-jobs`,
    "/v1/discount-codes",
    "/v1/api-keys",
    "/v1/members",
    `/v1/webhook-endpoints/${t.endpointId}`,
    `/v1/webhook-endpoints/${t.endpointId}/deliveries`,
  ];
  const out: Record<string, unknown> = {};
  for (const path of reads) {
    const res = await api("GET", path, { key });
    expect(res.status, path).toBe(200);
    out[path] = res.body;
  }
  return out;
}

describe("the hosted admin's pages with an id, to a member of another org", () => {
  let theirs: Theirs;
  let key: string;
  let stranger: SignedIn;
  let strangerKey: string;

  beforeAll(async () => {
    const org = await signedInOwner("Forest Camp");
    key = org.key;
    const other = await signedInOwner("Other camp");
    stranger = other.owner;
    strangerKey = other.key;
    const s = await newSession(key, { maxParticipants: 20, form: QUESTIONS });
    const group = await api("POST", "/v1/groups", { key, body: { name: "Juniors" } });
    const contact = await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org", groups: [group.body.id] } });
    const invited = await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { contactIds: [contact.body.id], send: "later" } });
    const program = await api("POST", "/v1/programs", { key, body: { name: "Season", startsOn: "2031-06-01", timeZone: "UTC" } });
    await api("POST", `/v1/programs/${program.body.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    // A job that keeps its program emails to send (its Send button is one of the walk's writes).
    const job = await api("POST", `/v1/programs/${program.body.id}/invitations`, {
      key,
      body: { contactIds: [contact.body.id], send: "later" },
    });
    // Done before the snapshot: what the walk must not change does not change by itself meanwhile.
    await vi.waitFor(
      async () =>
        expect((await api("GET", `/v1/programs/${program.body.id}/invitation-jobs/${job.body.id}`, { key })).body.job.status).toBe("done"),
      { timeout: 20_000, interval: 100 },
    );
    const discount = await api("POST", "/v1/discount-codes", { key, body: { code: "SPRING10", percentOff: 10 } });
    const spare = await api("POST", "/v1/api-keys", { key, body: { label: "spare" } });
    const endpoint = await api("POST", "/v1/webhook-endpoints", {
      key,
      body: { url: "https://hooks.example.com/walls", events: ["registration.created"], enabled: false },
    });
    const memberId = `mem_walls${crypto.randomUUID().replaceAll("-", "")}`;
    const deliveryId = `whd_walls${crypto.randomUUID().replaceAll("-", "")}`;
    const now = new Date().toISOString();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO members (id, org_id, email, role, created_at) VALUES (?, ?, ?, 'admin', ?)").bind(
        memberId,
        org.orgId,
        `${memberId}@camp.example`,
        now,
      ),
      env.DB.prepare(
        "INSERT INTO webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, payload, status, created_at) VALUES (?, ?, ?, ?, 'registration.created', '{}', 'failed', ?)",
      ).bind(deliveryId, endpoint.body.endpoint.id, org.orgId, `evt_${deliveryId}`, now),
    ]);
    theirs = {
      sessionId: s.id,
      contactId: contact.body.id,
      invitationId: invited.body.invitations[0].id,
      groupId: group.body.id,
      programId: program.body.id,
      jobId: job.body.id,
      discountId: discount.body.id,
      keyId: spare.body.key.id,
      endpointId: endpoint.body.endpoint.id,
      deliveryId,
      memberId,
    };
  }, 120_000);

  it("answers 404 on every one, and the org's things are as they were", async () => {
    const before = await snapshot(key, theirs);
    const pages = adminRoutes.routes.filter(
      (r) => (r.method === "GET" || r.method === "POST") && r.path.includes(":") && !OPEN.test(r.path),
    );
    // The walk reaches every kind of page: sessions, their form, contacts, groups, programs, discounts, keys, webhooks, members.
    expect(new Set(pages.map((r) => r.path.split("/")[1]))).toEqual(
      new Set(["sessions", "contacts", "groups", "programs", "discounts", "keys", "webhooks", "members"]),
    );
    const wrong: string[] = [];
    for (const route of pages) {
      const path = fill(route.path, theirs);
      if (path === null) {
        wrong.push(`${route.method} ${route.path}: a parameter this test cannot fill; teach fill() what it names`);
        continue;
      }
      const res = await browse(route.method as "GET" | "POST", `/admin${path}`, {
        cookie: stranger.cookie,
        form: route.method === "POST" ? { ...FORMS[route.path], _csrf: stranger.csrf } : undefined,
      });
      if (res.status !== 404) wrong.push(`${route.method} /admin${path}: ${res.status} ${res.text.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot(key, theirs)).toEqual(before);
  }, 300_000);

  it("refuses the org's ids in the forms of another org's own pages, where that org's own ids are taken", async () => {
    const before = await snapshot(key, theirs);
    const owner = await env.DB.prepare("SELECT id FROM members WHERE email = ?").bind(stranger.email).first<{ id: string }>();
    const mine: Ids = {
      contact: (await api("POST", "/v1/contacts", { key: strangerKey, body: { email: "mine@example.org" } })).body.id,
      group: (await api("POST", "/v1/groups", { key: strangerKey, body: { name: "Mine" } })).body.id,
      session: (await newSession(strangerKey)).id,
      program: (await api("POST", "/v1/programs", { key: strangerKey, body: { name: "Mine", startsOn: "2031-06-01", timeZone: "UTC" } }))
        .body.id,
      member: owner!.id,
    };
    // A session still to come in the program, so that inviting to it is taken.
    const upcoming = (await newSession(strangerKey)).id;
    await api("POST", `/v1/programs/${mine.program}/sessions`, { key: strangerKey, body: { sessionIds: [upcoming] } });
    const ours: Ids = {
      contact: theirs.contactId,
      group: theirs.groupId,
      session: theirs.sessionId,
      program: theirs.programId,
      member: theirs.memberId,
    };
    const session = {
      title: "Mine",
      description: "A morning together.",
      startsAtLocal: "2031-07-05T09:00",
      timeZone: "UTC",
      durationMinutes: "60",
      minParticipants: "0",
      maxParticipants: "12",
    };
    // Each form names ids of the kinds in `swap`; posted with the other org's ids in their place, it is refused.
    const forms: { path: (ids: Ids) => string; form: (ids: Ids, n: number) => Record<string, string>; swap: (keyof Ids)[] }[] = [
      {
        path: () => "/admin/contacts/bulk",
        form: (i) => ({ bulk: "group", action: "add", contactIds: i.contact, groupId: i.group }),
        swap: ["contact", "group"],
      },
      {
        path: () => "/admin/contacts/bulk",
        form: (i) => ({ bulk: "session", contactIds: i.contact, sessionId: i.session, send: "later" }),
        swap: ["contact", "session"],
      },
      {
        path: () => "/admin/contacts/bulk",
        form: (i) => ({ bulk: "program", contactIds: i.contact, programId: i.program }),
        swap: ["contact", "program"],
      },
      { path: () => "/admin/contacts", form: (i, n) => ({ recipients: `new${n}@example.org`, groupId: i.group }), swap: ["group"] },
      { path: (i) => `/admin/programs/${i.program}/sessions`, form: (i) => ({ sessionId: i.session }), swap: ["session"] },
      { path: (i) => `/admin/programs/${i.program}/groups`, form: (i) => ({ groupId: i.group }), swap: ["group"] },
      { path: (i) => `/admin/programs/${i.program}/invitations`, form: (i) => ({ groupIds: i.group }), swap: ["group"] },
      {
        path: () => "/admin/discounts",
        form: (i, n) => ({ code: `MINE${n}`, kind: "percent", value: "10", sessionIds: i.session }),
        swap: ["session"],
      },
      {
        path: () => "/admin/discounts",
        form: (i, n) => ({ code: `MINE${n}`, kind: "percent", value: "10", programIds: i.program }),
        swap: ["program"],
      },
      { path: () => "/admin/sessions", form: (i) => ({ ...session, hostMemberId: i.member }), swap: ["member"] },
    ];
    const wrong: string[] = [];
    let n = 0;
    for (const { path, form, swap } of forms) {
      n += 1;
      for (const kind of swap) {
        const ids = { ...mine, [kind]: ours[kind] };
        const res = await browse("POST", path(mine), { cookie: stranger.cookie, form: { ...form(ids, n), _csrf: stranger.csrf } });
        if (![404, 422].includes(res.status)) wrong.push(`POST ${path(mine)} with their ${kind}: ${res.status} ${res.location ?? ""}`);
      }
      const control = await browse("POST", path(mine), { cookie: stranger.cookie, form: { ...form(mine, n), _csrf: stranger.csrf } });
      // Taken: sent on (303), or the bulk invitation's result page (200); a refusal is 404 or 422.
      if (![200, 303].includes(control.status))
        wrong.push(`POST ${path(mine)} with its own ids: ${control.status}, where it should be taken`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot(key, theirs)).toEqual(before);
  }, 300_000);
});
