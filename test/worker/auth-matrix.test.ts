// Who may call what: every admin route of the API and of the hosted admin, called with every kind
// of credential, answers the status it must. A refused call changes nothing.
import { env, SELF } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TOKEN_REQUEST_HEADER } from "../../worker/auth/token-request";
import { signWidgetToken } from "../../worker/auth/widget-tokens";
import { WIDGET_SCOPES, type WidgetScope } from "../../worker/http/context";
import { signingKeys } from "../../worker/ids/signing-keys";
import { adminOrg, browse, queuedMail, signIn } from "./admin-helpers";
import { api, BASE, newSession, person, ROOT_KEY, register, roster, sessionBody, widgetToken } from "./helpers";

/** A test that walks every route in turn, and a block's setup building a whole fixture: minutes on a busy machine, not seconds. */
const LOOP_TIMEOUT = 600_000;

type Credential =
  | "none"
  | "root key"
  | "API key"
  | "widget token for this session"
  | "widget token for another session"
  | "widget token lacking the route's scope"
  | "expired widget token"
  | "another org's key"
  | "cookie without CSRF token"
  | "cookie with CSRF token";

const CREDENTIALS: Credential[] = [
  "none",
  "root key",
  "API key",
  "widget token for this session",
  "widget token for another session",
  "widget token lacking the route's scope",
  "expired widget token",
  "another org's key",
  "cookie without CSRF token",
  "cookie with CSRF token",
];

/** One org with a session holding a to-send invitation, a sent one and a registration. */
type Fixture = {
  sessionId: string;
  otherSessionId: string;
  draftId: string;
  sentId: string;
  registrationId: string;
  spareKeyId: string;
  /** A contact of the org's directory, in `groupId`. */
  contactId: string;
  groupId: string;
  /** A program of the org holding `otherSessionId`. */
  programId: string;
  /** A discount code of the org's catalogue. */
  discountId: string;
  jobId: string;
  /** An admin of the org besides its owner, for the member routes to change or remove. */
  memberId: string;
  /** A webhook endpoint of the org, and one delivery in its log. */
  endpointId: string;
  deliveryId: string;
};

let org: { orgId: string; key: string; ownerEmail: string };
let otherOrg: { orgId: string; key: string; ownerEmail: string };
let member: { cookie: string; csrf: string };
let shared: Fixture;

async function fixture(): Promise<Fixture> {
  const s = await newSession(org.key, { maxParticipants: 20 });
  const other = await newSession(org.key);
  const draft = await api("POST", `/v1/sessions/${s.id}/invitations`, {
    key: org.key,
    body: { recipients: "draft@example.org", send: "later" },
  });
  const sent = await api("POST", `/v1/sessions/${s.id}/invitations`, { key: org.key, body: { recipients: "sent@example.org" } });
  const reg = await register(s.id, person(1));
  const spare = await api("POST", "/v1/api-keys", { key: org.key, body: { label: "spare" } });
  const group = await api("POST", "/v1/groups", { key: org.key, body: { name: `Group ${crypto.randomUUID()}` } });
  const contact = await api("POST", "/v1/contacts", {
    key: org.key,
    body: { email: `${crypto.randomUUID()}@example.org`, groups: [group.body.id] },
  });
  const program = await api("POST", "/v1/programs", { key: org.key, body: { name: "Season", startsOn: "2031-06-01", timeZone: "UTC" } });
  await api("POST", `/v1/programs/${program.body.id}/sessions`, { key: org.key, body: { sessionIds: [other.id] } });
  const job = await api("POST", `/v1/programs/${program.body.id}/invitations`, { key: org.key, body: { groupIds: [group.body.id] } });
  const discount = await api("POST", "/v1/discount-codes", {
    key: org.key,
    body: { code: `M${crypto.randomUUID().slice(0, 8)}`, percentOff: 10 },
  });
  // A member joins through an emailed link; this table row stands for one who did.
  const memberId = `mem_matrix${crypto.randomUUID().replaceAll("-", "")}`;
  await env.DB.prepare("INSERT INTO members (id, org_id, email, role, created_at) VALUES (?, ?, ?, 'admin', ?)")
    .bind(memberId, org.orgId, `${memberId}@camp.example`, new Date().toISOString())
    .run();
  // Disabled: the org gathers one endpoint per fixture, and every registration of the run would be
  // sent to each of them (a growing fan-out to an address that does not resolve here).
  const endpoint = await api("POST", "/v1/webhook-endpoints", {
    key: org.key,
    body: { url: "https://hooks.example.com/matrix", events: ["registration.created"], enabled: false },
  });
  const deliveryId = `whd_matrix${crypto.randomUUID().replaceAll("-", "")}`;
  const payload = JSON.stringify({ id: `evt_${deliveryId}`, type: "registration.created", orgId: org.orgId, data: {} });
  await env.DB.prepare(
    "INSERT INTO webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, payload, status, created_at) VALUES (?, ?, ?, ?, 'registration.created', ?, 'failed', ?)",
  )
    .bind(deliveryId, endpoint.body.endpoint.id, org.orgId, `evt_${deliveryId}`, payload, new Date().toISOString())
    .run();
  return {
    endpointId: endpoint.body.endpoint.id,
    deliveryId,
    memberId,
    programId: program.body.id,
    discountId: discount.body.id,
    jobId: job.body.id,
    sessionId: s.id,
    otherSessionId: other.id,
    draftId: draft.body.invitations[0].id,
    sentId: sent.body.invitations[0].id,
    registrationId: reg.body.registration.id,
    spareKeyId: spare.body.key.id,
    contactId: contact.body.id,
    groupId: group.body.id,
  };
}

async function bearerFor(credential: Credential, f: Fixture, needs?: WidgetScope): Promise<string | null> {
  const hour = new Date(Date.now() + 3_600_000);
  switch (credential) {
    case "root key":
      return ROOT_KEY;
    case "API key":
      return org.key;
    case "widget token for this session":
      return widgetToken(org.orgId, f.sessionId, hour);
    case "widget token for another session":
      return widgetToken(org.orgId, f.otherSessionId, hour);
    case "widget token lacking the route's scope":
      return widgetToken(
        org.orgId,
        f.sessionId,
        hour,
        WIDGET_SCOPES.filter((s) => s !== needs),
      );
    case "expired widget token":
      return widgetToken(org.orgId, f.sessionId, new Date(Date.now() - 1_000));
    case "another org's key":
      return otherOrg.key;
    default:
      return null;
  }
}

// ─── /v1 ─────────────────────────────────────────────────────────────────────────────────────

/**
 * What the route accepts: any org caller for one session, any org caller, an API key only, or the
 * root key; the directory is read by any org caller and changed only by org-wide credentials
 * ("item": the route names one of the org's contacts or groups).
 */
type Scope = "session" | "org" | "api key" | "root" | "directory item" | "directory write" | "directory write item";

/** `needs`: the widget-token scope of a route open to widget tokens. */
type ApiRoute = {
  method: string;
  path: string;
  scope: Scope;
  needs?: WidgetScope;
  ok: number;
  url: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
};

const API_ROUTES: ApiRoute[] = [
  { method: "POST", path: "/orgs", scope: "root", ok: 201, url: () => "/v1/orgs", body: () => ({ name: "New org" }) },
  { method: "POST", path: "/api-keys", scope: "api key", ok: 201, url: () => "/v1/api-keys", body: () => ({ label: "Another" }) },
  { method: "GET", path: "/api-keys", scope: "api key", ok: 200, url: () => "/v1/api-keys" },
  { method: "POST", path: "/api-keys/{id}/revoke", scope: "api key", ok: 200, url: (f) => `/v1/api-keys/${f.spareKeyId}/revoke` },
  {
    method: "POST",
    path: "/widget-tokens",
    scope: "api key",
    ok: 201,
    url: () => "/v1/widget-tokens",
    body: (f) => ({ sessionId: f.sessionId }),
  },
  { method: "GET", path: "/org", scope: "api key", ok: 200, url: () => "/v1/org" },
  { method: "GET", path: "/members", scope: "api key", ok: 200, url: () => "/v1/members" },
  {
    method: "POST",
    path: "/members",
    scope: "api key",
    ok: 202,
    url: () => "/v1/members",
    body: () => ({ email: `colleague-${crypto.randomUUID()}@camp.example` }),
  },
  {
    method: "PATCH",
    path: "/members/{id}",
    scope: "api key",
    ok: 200,
    url: (f) => `/v1/members/${f.memberId}`,
    body: () => ({ role: "owner" }),
  },
  { method: "DELETE", path: "/members/{id}", scope: "api key", ok: 200, url: (f) => `/v1/members/${f.memberId}` },
  { method: "GET", path: "/webhook-endpoints", scope: "api key", ok: 200, url: () => "/v1/webhook-endpoints" },
  {
    method: "POST",
    path: "/webhook-endpoints",
    scope: "api key",
    ok: 201,
    url: () => "/v1/webhook-endpoints",
    body: () => ({ url: "https://hooks.example.com/new", events: ["session.updated"] }),
  },
  { method: "GET", path: "/webhook-endpoints/{id}", scope: "api key", ok: 200, url: (f) => `/v1/webhook-endpoints/${f.endpointId}` },
  {
    method: "PATCH",
    path: "/webhook-endpoints/{id}",
    scope: "api key",
    ok: 200,
    url: (f) => `/v1/webhook-endpoints/${f.endpointId}`,
    body: () => ({ enabled: false }),
  },
  { method: "DELETE", path: "/webhook-endpoints/{id}", scope: "api key", ok: 200, url: (f) => `/v1/webhook-endpoints/${f.endpointId}` },
  {
    method: "POST",
    path: "/webhook-endpoints/{id}/rotate-secret",
    scope: "api key",
    ok: 200,
    url: (f) => `/v1/webhook-endpoints/${f.endpointId}/rotate-secret`,
  },
  {
    method: "POST",
    path: "/webhook-endpoints/{id}/test",
    scope: "api key",
    ok: 202,
    url: (f) => `/v1/webhook-endpoints/${f.endpointId}/test`,
  },
  {
    method: "GET",
    path: "/webhook-endpoints/{id}/deliveries",
    scope: "api key",
    ok: 200,
    url: (f) => `/v1/webhook-endpoints/${f.endpointId}/deliveries`,
  },
  {
    method: "POST",
    path: "/webhook-endpoints/{id}/deliveries/{deliveryId}/retry",
    scope: "api key",
    ok: 202,
    url: (f) => `/v1/webhook-endpoints/${f.endpointId}/deliveries/${f.deliveryId}/retry`,
  },
  {
    method: "PATCH",
    path: "/org",
    scope: "api key",
    ok: 200,
    url: () => "/v1/org",
    body: () => ({ settings: { senderName: "Camp team" } }),
  },
  { method: "POST", path: "/sessions", scope: "org", needs: "manage", ok: 201, url: () => "/v1/sessions", body: () => sessionBody() },
  { method: "GET", path: "/sessions", scope: "org", needs: "roster:read", ok: 200, url: () => "/v1/sessions" },
  { method: "GET", path: "/sessions/{id}", scope: "session", needs: "roster:read", ok: 200, url: (f) => `/v1/sessions/${f.sessionId}` },
  {
    method: "PATCH",
    path: "/sessions/{id}",
    scope: "session",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/sessions/${f.sessionId}`,
    body: () => ({ title: "Renamed" }),
  },
  {
    method: "POST",
    path: "/sessions/{id}/cancel",
    scope: "session",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/sessions/${f.sessionId}/cancel`,
  },
  {
    method: "POST",
    path: "/sessions/{id}/invitations",
    scope: "session",
    needs: "invite",
    ok: 201,
    url: (f) => `/v1/sessions/${f.sessionId}/invitations`,
    body: () => ({ recipients: "new@example.org", send: "later" }),
  },
  {
    method: "GET",
    path: "/sessions/{id}/invitations",
    scope: "session",
    needs: "roster:read",
    ok: 200,
    url: (f) => `/v1/sessions/${f.sessionId}/invitations`,
  },
  {
    method: "POST",
    path: "/sessions/{id}/invitations/send",
    scope: "session",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/sessions/${f.sessionId}/invitations/send`,
    body: () => ({}),
  },
  {
    method: "POST",
    path: "/sessions/{id}/invitations/resend",
    scope: "session",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/sessions/${f.sessionId}/invitations/resend`,
    body: () => ({}),
  },
  {
    method: "POST",
    path: "/sessions/{id}/invitations/preview",
    scope: "session",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/sessions/${f.sessionId}/invitations/preview`,
    body: () => ({}),
  },
  {
    method: "PATCH",
    path: "/invitations/{id}",
    scope: "session",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/invitations/${f.draftId}`,
    body: () => ({ subject: "Words" }),
  },
  {
    method: "POST",
    path: "/invitations/{id}/send",
    scope: "session",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/invitations/${f.draftId}/send`,
  },
  {
    method: "POST",
    path: "/invitations/{id}/resend",
    scope: "session",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/invitations/${f.sentId}/resend`,
  },
  {
    method: "POST",
    path: "/privacy/export",
    scope: "api key",
    ok: 200,
    url: () => "/v1/privacy/export",
    body: () => ({ email: "export-me@example.org" }),
  },
  {
    method: "POST",
    path: "/privacy/erase",
    scope: "session",
    needs: "manage",
    ok: 200,
    url: () => "/v1/privacy/erase",
    body: (f) => ({ email: "erase-me@example.org", sessionId: f.sessionId }),
  },
  {
    method: "GET",
    path: "/invitations/{id}/history",
    scope: "session",
    needs: "roster:read",
    ok: 200,
    url: (f) => `/v1/invitations/${f.sentId}/history`,
  },
  {
    method: "POST",
    path: "/invitations/{id}/cancel",
    scope: "session",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/invitations/${f.sentId}/cancel`,
  },
  {
    method: "POST",
    path: "/sessions/{id}/registrations",
    scope: "session",
    needs: "invite",
    ok: 201,
    url: (f) => `/v1/sessions/${f.sessionId}/registrations`,
    body: () => person(2),
  },
  {
    method: "POST",
    path: "/registrations/{id}/cancel",
    scope: "session",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/registrations/${f.registrationId}/cancel`,
  },
  {
    method: "GET",
    path: "/sessions/{id}/roster",
    scope: "session",
    needs: "roster:read",
    ok: 200,
    url: (f) => `/v1/sessions/${f.sessionId}/roster`,
  },
  {
    method: "GET",
    path: "/sessions/{id}/roster.csv",
    scope: "session",
    needs: "roster:read",
    ok: 200,
    url: (f) => `/v1/sessions/${f.sessionId}/roster.csv`,
  },
  {
    method: "POST",
    path: "/sessions/{id}/mail/redrive",
    scope: "session",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/sessions/${f.sessionId}/mail/redrive`,
  },
  { method: "GET", path: "/contacts", scope: "org", needs: "invite", ok: 200, url: () => "/v1/contacts" },
  {
    method: "POST",
    path: "/contacts",
    scope: "directory write",
    needs: "manage",
    ok: 201,
    url: () => "/v1/contacts",
    body: () => ({ recipients: "pasted@example.org" }),
  },
  { method: "GET", path: "/contacts/{id}", scope: "directory item", needs: "invite", ok: 200, url: (f) => `/v1/contacts/${f.contactId}` },
  {
    method: "GET",
    path: "/contacts/{id}/history",
    scope: "directory item",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/contacts/${f.contactId}/history`,
  },
  {
    method: "PATCH",
    path: "/contacts/{id}",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/contacts/${f.contactId}`,
    body: () => ({ notes: "Edited" }),
  },
  {
    method: "DELETE",
    path: "/contacts/{id}",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/contacts/${f.contactId}`,
  },
  {
    method: "POST",
    path: "/contacts/import",
    scope: "directory write",
    needs: "manage",
    ok: 200,
    url: () => "/v1/contacts/import",
    body: () => ({ csv: "email\nimported@example.org\n", dryRun: false }),
  },
  { method: "GET", path: "/contacts/import/template", scope: "org", needs: "invite", ok: 200, url: () => "/v1/contacts/import/template" },
  { method: "GET", path: "/groups", scope: "org", needs: "invite", ok: 200, url: () => "/v1/groups" },
  {
    method: "POST",
    path: "/groups",
    scope: "directory write",
    needs: "manage",
    ok: 201,
    url: () => "/v1/groups",
    body: (f) => ({ name: `New ${f.groupId}` }),
  },
  { method: "GET", path: "/groups/{id}", scope: "directory item", needs: "invite", ok: 200, url: (f) => `/v1/groups/${f.groupId}` },
  {
    method: "PATCH",
    path: "/groups/{id}",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/groups/${f.groupId}`,
    body: (f) => ({ name: `Renamed ${f.groupId}` }),
  },
  {
    method: "DELETE",
    path: "/groups/{id}",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/groups/${f.groupId}`,
  },
  {
    method: "GET",
    path: "/groups/{id}/members",
    scope: "directory item",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/groups/${f.groupId}/members`,
  },
  {
    method: "POST",
    path: "/groups/{id}/members",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/groups/${f.groupId}/members`,
    body: (f) => ({ contactIds: [f.contactId] }),
  },
  {
    method: "DELETE",
    path: "/groups/{id}/members",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/groups/${f.groupId}/members`,
    body: (f) => ({ contactIds: [f.contactId] }),
  },
  { method: "GET", path: "/discount-codes", scope: "org", needs: "invite", ok: 200, url: () => "/v1/discount-codes?active=true" },
  {
    method: "POST",
    path: "/discount-codes",
    scope: "directory write",
    needs: "manage",
    ok: 201,
    url: () => "/v1/discount-codes",
    body: () => ({ code: `N${crypto.randomUUID().slice(0, 8)}`, amountOff: 500, currency: "EUR" }),
  },
  {
    method: "GET",
    path: "/discount-codes/{id}",
    scope: "directory item",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/discount-codes/${f.discountId}`,
  },
  {
    method: "PATCH",
    path: "/discount-codes/{id}",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/discount-codes/${f.discountId}`,
    body: () => ({ maxUses: 5 }),
  },
  { method: "GET", path: "/programs", scope: "org", needs: "invite", ok: 200, url: () => "/v1/programs" },
  {
    method: "POST",
    path: "/programs",
    scope: "directory write",
    needs: "manage",
    ok: 201,
    url: () => "/v1/programs",
    body: () => ({ name: "Another", startsOn: "2031-06-01", timeZone: "UTC" }),
  },
  { method: "GET", path: "/programs/{id}", scope: "directory item", needs: "invite", ok: 200, url: (f) => `/v1/programs/${f.programId}` },
  {
    method: "PATCH",
    path: "/programs/{id}",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/programs/${f.programId}`,
    body: () => ({ name: "Renamed" }),
  },
  {
    method: "DELETE",
    path: "/programs/{id}",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/programs/${f.programId}`,
  },
  {
    method: "POST",
    path: "/programs/{id}/sessions",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/programs/${f.programId}/sessions`,
    body: (f) => ({ sessionIds: [f.sessionId] }),
  },
  {
    method: "DELETE",
    path: "/programs/{id}/sessions",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/programs/${f.programId}/sessions`,
    body: (f) => ({ sessionIds: [f.otherSessionId] }),
  },
  {
    method: "POST",
    path: "/programs/{id}/groups",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/programs/${f.programId}/groups`,
    body: (f) => ({ groupIds: [f.groupId] }),
  },
  {
    method: "DELETE",
    path: "/programs/{id}/groups",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/programs/${f.programId}/groups`,
    body: (f) => ({ groupIds: [f.groupId] }),
  },
  {
    method: "GET",
    path: "/programs/{id}/roster",
    scope: "directory item",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/programs/${f.programId}/roster`,
  },
  {
    method: "POST",
    path: "/programs/{id}/invitations",
    scope: "directory write item",
    needs: "manage",
    ok: 202,
    url: (f) => `/v1/programs/${f.programId}/invitations`,
    body: (f) => ({ groupIds: [f.groupId] }),
  },
  {
    method: "GET",
    path: "/programs/{id}/invitation-jobs",
    scope: "directory item",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/programs/${f.programId}/invitation-jobs`,
  },
  {
    method: "GET",
    path: "/programs/{id}/invitation-jobs/{jobId}",
    scope: "directory item",
    needs: "invite",
    ok: 200,
    url: (f) => `/v1/programs/${f.programId}/invitation-jobs/${f.jobId}`,
  },
  {
    method: "POST",
    path: "/programs/{id}/invitation-jobs/{jobId}/send",
    scope: "directory write item",
    needs: "manage",
    ok: 200,
    url: (f) => `/v1/programs/${f.programId}/invitation-jobs/${f.jobId}/send`,
  },
];

/** The status a credential must get from a route: `ok` when allowed. */
function expectedApiStatus(route: ApiRoute, credential: Credential): number {
  switch (credential) {
    case "none":
    case "expired widget token":
    case "cookie without CSRF token":
    case "cookie with CSRF token":
      return 401; // the API takes no cookies: /v1 has no CSRF to defend
    case "root key":
      return route.scope === "root" ? route.ok : 403;
    case "API key":
      return route.scope === "root" ? 403 : route.ok;
    case "widget token for this session":
      if (route.scope === "root" || route.scope === "api key" || route.scope.startsWith("directory write")) return 403;
      if (route.method === "POST" && route.path === "/sessions") return 403; // a one-session token creates none
      return route.ok;
    case "widget token for another session":
      if (route.scope === "root" || route.scope === "api key" || route.scope.startsWith("directory write")) return 403;
      if (route.method === "POST" && route.path === "/sessions") return 403;
      return route.scope === "session" ? 403 : route.ok; // token_wrong_session
    case "widget token lacking the route's scope":
      return 403;
    case "another org's key":
      if (route.scope === "root") return 403;
      if (route.scope === "session" || route.scope.endsWith("item")) return 404;
      // Its own org's keys and settings; ours are out of its reach.
      if (["/api-keys/{id}/revoke", "/widget-tokens", "/members/{id}"].includes(route.path)) return 404;
      if (route.path.startsWith("/webhook-endpoints/{id}")) return 404;
      return route.ok;
  }
}

async function callApi(route: ApiRoute, credential: Credential, f: Fixture) {
  const headers: Record<string, string> = {};
  const bearer = await bearerFor(credential, f, route.needs);
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (credential.startsWith("cookie")) headers.cookie = member.cookie;
  const body = route.body?.(f);
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await SELF.fetch(`${BASE}${route.url(f)}`, {
    method: route.method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text };
}

beforeAll(async () => {
  org = await adminOrg("Matrix camp");
  otherOrg = await adminOrg("Other camp");
  member = await signIn(org.ownerEmail, queuedMail());
  shared = await fixture();
}, LOOP_TIMEOUT);

afterAll(() => vi.restoreAllMocks());

describe("the /v1 admin routes", () => {
  it("covers every route the OpenAPI document says needs a credential", async () => {
    const doc = (await api("GET", "/v1/openapi.json")).body;
    const secured = Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.security?.length)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(secured.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("documents the widget-token scope each route needs, as the route checks it", async () => {
    const doc = (await api("GET", "/v1/openapi.json")).body;
    for (const route of API_ROUTES.filter((r) => r.needs)) {
      const op = doc.paths[route.path][route.method.toLowerCase()];
      expect(op.security, `${route.method} ${route.path}`).toEqual([{ bearer: [route.needs] }]);
    }
  });

  for (const route of API_ROUTES) {
    describe(`${route.method} /v1${route.path}`, () => {
      for (const credential of CREDENTIALS) {
        const expected = expectedApiStatus(route, credential);
        it(`answers ${expected} to ${credential}`, async () => {
          // An allowed write may change things: it gets a fixture of its own. A read changes nothing
          // (the last test checks the shared fixture is as it was) and shares it.
          const f = expected === route.ok && route.method !== "GET" ? await fixture() : shared;
          const res = await callApi(route, credential, f);
          expect(res.status, res.text.slice(0, 300)).toBe(expected);
        });
      }
    });
  }

  it("left the shared session as it was after every refused call", async () => {
    const { session, rows } = await roster(org.key, shared.sessionId);
    expect(session).toMatchObject({ title: "Forest camp — week 1", status: "scheduled" });
    expect(session.seats).toMatchObject({ confirmed: 1, held: 2 });
    expect(rows.map((r: { status: string }) => r.status).sort()).toEqual(["confirmed", "draft", "sent"]);
    const keys = (await api("GET", "/v1/api-keys", { key: org.key })).body.keys;
    expect(keys.find((k: { id: string }) => k.id === shared.spareKeyId).revokedAt).toBeNull();
  });
});

// ─── /admin ──────────────────────────────────────────────────────────────────────────────────

type PageRoute = {
  method: "GET" | "POST";
  path: string;
  ok: number;
  url: (f: Fixture) => string;
  form?: (f: Fixture) => Record<string, string>;
  /** What the page's own script adds (the widget's token request header). */
  headers?: Record<string, string>;
};

const PAGE_ROUTES: PageRoute[] = [
  { method: "GET", path: "/admin/sessions", ok: 200, url: () => "/admin/sessions" },
  { method: "GET", path: "/admin/sessions/new", ok: 200, url: () => "/admin/sessions/new" },
  { method: "GET", path: "/admin/sessions/new/people", ok: 200, url: () => "/admin/sessions/new/people?q=a" },
  {
    method: "POST",
    path: "/admin/sessions",
    ok: 303,
    url: () => "/admin/sessions",
    form: () => ({
      title: "From the form",
      description: "A morning together.",
      startsAtLocal: "2031-07-05T09:00",
      timeZone: "Europe/Paris",
      durationMinutes: "60",
      minParticipants: "1",
      maxParticipants: "10",
      waitlist: "on",
    }),
  },
  { method: "GET", path: "/admin/sessions/{id}", ok: 200, url: (f) => `/admin/sessions/${f.sessionId}` },
  { method: "GET", path: "/admin/sessions/{id}/edit", ok: 200, url: (f) => `/admin/sessions/${f.sessionId}/edit` },
  {
    method: "POST",
    path: "/admin/sessions/{id}/edit",
    ok: 303,
    url: (f) => `/admin/sessions/${f.sessionId}/edit`,
    form: () => ({
      title: "Edited",
      description: "A morning together.",
      startsAtLocal: "2031-07-05T09:00",
      timeZone: "Europe/Paris",
      durationMinutes: "60",
      minParticipants: "1",
      maxParticipants: "20",
      waitlist: "on",
    }),
  },
  { method: "GET", path: "/admin/sessions/{id}/cancel", ok: 200, url: (f) => `/admin/sessions/${f.sessionId}/cancel` },
  { method: "POST", path: "/admin/sessions/{id}/cancel", ok: 303, url: (f) => `/admin/sessions/${f.sessionId}/cancel` },
  {
    method: "GET",
    path: "/admin/widget-token",
    ok: 200,
    url: (f) => `/admin/widget-token?session=${f.sessionId}`,
    headers: { [TOKEN_REQUEST_HEADER]: "1" },
  },
  { method: "GET", path: "/admin/keys", ok: 200, url: () => "/admin/keys" },
  // A new key: post, redirect to the page that shows it once (without the handover cookie, back to the list).
  { method: "POST", path: "/admin/keys", ok: 303, url: () => "/admin/keys", form: () => ({ label: "From the form" }) },
  { method: "GET", path: "/admin/keys/new", ok: 303, url: () => "/admin/keys/new" },
  { method: "GET", path: "/admin/keys/{id}/revoke", ok: 200, url: (f) => `/admin/keys/${f.spareKeyId}/revoke` },
  { method: "POST", path: "/admin/keys/{id}/revoke", ok: 303, url: (f) => `/admin/keys/${f.spareKeyId}/revoke` },
  { method: "GET", path: "/admin/discounts", ok: 200, url: () => "/admin/discounts" },
  { method: "GET", path: "/admin/discounts/{id}/archive", ok: 200, url: (f) => `/admin/discounts/${f.discountId}/archive` },
  { method: "POST", path: "/admin/discounts/{id}/archive", ok: 303, url: (f) => `/admin/discounts/${f.discountId}/archive` },
  { method: "GET", path: "/admin/webhooks", ok: 200, url: () => "/admin/webhooks" },
  { method: "GET", path: "/admin/webhooks/{id}", ok: 200, url: (f) => `/admin/webhooks/${f.endpointId}` },
  { method: "POST", path: "/admin/webhooks/{id}/test", ok: 303, url: (f) => `/admin/webhooks/${f.endpointId}/test` },
  { method: "GET", path: "/admin/settings", ok: 200, url: () => "/admin/settings" },
  {
    method: "POST",
    path: "/admin/settings",
    ok: 303,
    url: () => "/admin/settings",
    form: () => ({ name: "Matrix camp", senderName: "Camp team" }),
  },
  { method: "GET", path: "/admin/profile", ok: 200, url: () => "/admin/profile" },
  { method: "POST", path: "/admin/profile", ok: 303, url: () => "/admin/profile", form: () => ({ publicName: "Ada Lovelace" }) },
  { method: "GET", path: "/admin/members", ok: 200, url: () => "/admin/members" },
  {
    method: "POST",
    path: "/admin/members",
    ok: 303,
    url: () => "/admin/members",
    form: () => ({ email: `colleague-${crypto.randomUUID()}@camp.example` }),
  },
];

/** Without the member's cookie: pages send the visitor to sign in, writes and the token say 401. */
function expectedPageStatus(route: PageRoute, credential: Credential): number {
  if (!credential.startsWith("cookie")) return route.method === "GET" && route.path !== "/admin/widget-token" ? 303 : 401;
  if (credential === "cookie without CSRF token" && route.method === "POST") return 403;
  return route.ok;
}

describe("the hosted admin's routes (/admin)", () => {
  for (const route of PAGE_ROUTES) {
    describe(`${route.method} ${route.path}`, () => {
      for (const credential of CREDENTIALS) {
        const expected = expectedPageStatus(route, credential);
        it(`answers ${expected} to ${credential}`, async () => {
          const f = expected === route.ok && route.method !== "GET" ? await fixture() : shared;
          const headers: Record<string, string> = { ...route.headers };
          const bearer = await bearerFor(credential, f);
          if (bearer) headers.authorization = `Bearer ${bearer}`;
          const form =
            route.method === "POST"
              ? { ...route.form?.(f), ...(credential === "cookie with CSRF token" ? { _csrf: member.csrf } : {}) }
              : undefined;
          const res = await browse(route.method, route.url(f), {
            cookie: credential.startsWith("cookie") ? member.cookie : null,
            form,
            headers,
          });
          expect(res.status, res.text.slice(0, 300)).toBe(expected);
          // Sent to sign in, with the page asked for to land on afterwards.
          if (expected === 303 && !credential.startsWith("cookie")) {
            const asked = route.url(f);
            expect(res.location).toBe(asked === "/admin/sessions" ? "/admin/sign-in" : `/admin/sign-in?next=${encodeURIComponent(asked)}`);
          }
        });
      }
    });
  }

  it("answers 404 to a member of another org for a session that is not theirs", async () => {
    const stranger = await signIn(otherOrg.ownerEmail, queuedMail());
    for (const path of [
      `/admin/sessions/${shared.sessionId}`,
      `/admin/sessions/${shared.sessionId}/edit`,
      `/admin/widget-token?session=${shared.sessionId}`,
    ]) {
      expect((await browse("GET", path, { cookie: stranger.cookie, headers: { [TOKEN_REQUEST_HEADER]: "1" } })).status, path).toBe(404);
    }
    const cancel = await browse("POST", `/admin/sessions/${shared.sessionId}/cancel`, {
      cookie: stranger.cookie,
      form: { _csrf: stranger.csrf },
    });
    expect(cancel.status).toBe(404);
    const revoke = await browse("POST", `/admin/keys/${shared.spareKeyId}/revoke`, {
      cookie: stranger.cookie,
      form: { _csrf: stranger.csrf },
    });
    expect(revoke.status).toBe(404);
  });

  it("refuses a CSRF token of another session, and a write from another site even with the token", async () => {
    const second = await signIn(org.ownerEmail, queuedMail());
    const path = `/admin/sessions/${shared.sessionId}/cancel`;
    expect((await browse("POST", path, { cookie: member.cookie, form: { _csrf: second.csrf } })).status).toBe(403);
    expect(
      (await browse("POST", path, { cookie: member.cookie, form: { _csrf: member.csrf }, headers: { origin: "https://evil.example" } }))
        .status,
    ).toBe(403);
    expect((await api("GET", `/v1/sessions/${shared.sessionId}`, { key: org.key })).body.status).toBe("scheduled");
  });
});

// ─── hosts ───────────────────────────────────────────────────────────────────────────────────

/**
 * The host role on every route and page, in an org whose hosts may neither create sessions nor
 * invite (seed 004's trainers). The fixtures are built once: a refused call changes nothing, and
 * the allowed ones run reads first and cancellations last, so each finds what it needs; an allowed
 * call only has to get past the guard (an earlier allowed call may have changed what it answers).
 */
type HostCredential = "host's token for their session" | "host's token for a session they do not host" | "host's cookie";

/** What a host's token for their own session may reach: their session's reads and running it, nothing else. */
function expectedHostApiStatus(route: ApiRoute, credential: HostCredential): "allowed" | 403 {
  if (credential === "host's token for a session they do not host") return 403;
  if (credential === "host's cookie") return 403;
  if (route.scope !== "session") return 403; // org-level, directory, keys, root: permissions.ts's "org" (or contacts:pick, not allowed here)
  // Sending failed emails again is running the session (auth/middleware's host action), not inviting.
  if (route.path === "/sessions/{id}/mail/redrive") return "allowed";
  return route.needs === "invite" ? 403 : "allowed";
}

const HOST_PAGE_STATUS: Record<string, number | "allowed"> = {
  "GET /admin/sessions": 200,
  "GET /admin/sessions/new": 403,
  "GET /admin/sessions/new/people": 403,
  "POST /admin/sessions": 403,
  "GET /admin/sessions/{id}": 200,
  "GET /admin/sessions/{id}/edit": 200,
  "POST /admin/sessions/{id}/edit": "allowed",
  "GET /admin/sessions/{id}/cancel": 200,
  "POST /admin/sessions/{id}/cancel": "allowed",
  "GET /admin/widget-token": 200,
  "GET /admin/profile": 200,
  "POST /admin/profile": "allowed",
};

/** Reads first, cancellations last: the allowed calls share one fixture. */
const runOrder = <T extends { method: string; path: string }>(routes: T[]) => [...routes].sort((a, b) => rank(a) - rank(b));
const rank = (r: { method: string; path: string }) => (r.method === "GET" ? 0 : r.path.endsWith("/cancel") ? 2 : 1);

describe("the host role", () => {
  let f: Fixture;
  let host: { cookie: string; csrf: string };
  let tokens: Record<Exclude<HostCredential, "host's cookie">, string>;

  beforeAll(async () => {
    f = await fixture();
    const hostId = `mem_host${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const email = `${hostId}@camp.example`;
    const now = new Date().toISOString();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO members (id, org_id, email, role, created_at) VALUES (?, ?, ?, 'host', ?)").bind(
        hostId,
        org.orgId,
        email,
        now,
      ),
      env.DB.prepare("INSERT INTO session_hosts (session_id, org_id, member_id, updated_at) VALUES (?, ?, ?, ?)").bind(
        f.sessionId,
        org.orgId,
        hostId,
        now,
      ),
    ]);
    host = await signIn(email, queuedMail());
    const minted = await browse("GET", `/admin/widget-token?session=${f.sessionId}`, {
      cookie: host.cookie,
      headers: { [TOKEN_REQUEST_HEADER]: "1" },
    });
    expect(minted.status).toBe(200);
    // A token for a session they do not host cannot be had from the admin (404); this one stands for
    // one they held before the session was handed to another host.
    const keys = await signingKeys(env);
    const elsewhere = await signWidgetToken(
      keys,
      { orgId: org.orgId, sessionId: f.otherSessionId, scopes: WIDGET_SCOPES, source: hostId },
      new Date(Date.now() + 3_600_000),
    );
    tokens = { "host's token for their session": JSON.parse(minted.text).token, "host's token for a session they do not host": elsewhere };
  }, LOOP_TIMEOUT);

  for (const credential of ["host's token for their session", "host's token for a session they do not host", "host's cookie"] as const) {
    it(
      `answers every /v1 route as it must to a ${credential}`,
      async () => {
        const wrong: string[] = [];
        for (const route of runOrder(API_ROUTES)) {
          const expected = expectedHostApiStatus(route, credential);
          const headers: Record<string, string> = {};
          if (credential === "host's cookie") headers.cookie = host.cookie;
          else headers.authorization = `Bearer ${tokens[credential]}`;
          const body = route.body?.(f);
          if (body !== undefined) headers["content-type"] = "application/json";
          const res = await SELF.fetch(`${BASE}${route.url(f)}`, {
            method: route.method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await res.text();
          // The API takes no cookies: a host's cookie is no credential there.
          const want = credential === "host's cookie" ? 401 : expected;
          const fine = want === "allowed" ? ![401, 403, 404].includes(res.status) : res.status === want;
          if (!fine) wrong.push(`${route.method} ${route.path}: ${res.status} (wanted ${want}) ${text.slice(0, 160)}`);
        }
        expect(wrong).toEqual([]);
      },
      LOOP_TIMEOUT,
    );
  }

  it(
    "answers the directory's routes as it must to a host who may invite: the picker's reads, never a contact's record or history",
    async () => {
      const hostsMayInvite = (on: boolean) => api("PATCH", "/v1/org", { key: org.key, body: { settings: { hostsCanInvite: on } } });
      expect((await hostsMayInvite(true)).status).toBe(200);
      try {
        const picker = new Set([
          "/contacts",
          "/contacts/import/template",
          "/groups",
          "/groups/{id}",
          "/groups/{id}/members",
          "/discount-codes",
          "/discount-codes/{id}",
        ]);
        const wrong: string[] = [];
        const directory = API_ROUTES.filter((r) => /^\/(contacts|groups|programs|discount-codes)/.test(r.path));
        for (const route of runOrder(directory)) {
          const expected = route.method === "GET" && picker.has(route.path) ? 200 : 403;
          const body = route.body?.(f);
          const res = await SELF.fetch(`${BASE}${route.url(f)}`, {
            method: route.method,
            headers: {
              authorization: `Bearer ${tokens["host's token for their session"]}`,
              ...(body === undefined ? {} : { "content-type": "application/json" }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await res.text();
          if (res.status !== expected)
            wrong.push(`${route.method} ${route.path}: ${res.status} (wanted ${expected}) ${text.slice(0, 160)}`);
        }
        expect(wrong).toEqual([]);
      } finally {
        await hostsMayInvite(false);
      }
    },
    LOOP_TIMEOUT,
  );

  it(
    "answers every hosted admin page as it must to a host's cookie",
    async () => {
      const wrong: string[] = [];
      for (const route of runOrder(PAGE_ROUTES)) {
        const expected = HOST_PAGE_STATUS[`${route.method} ${route.path}`] ?? 403; // keys, settings, members: the org's
        const res = await browse(route.method, route.url(f), {
          cookie: host.cookie,
          form: route.method === "POST" ? { ...route.form?.(f), _csrf: host.csrf } : undefined,
          headers: { ...route.headers },
        });
        const fine = expected === "allowed" ? ![401, 403, 404].includes(res.status) : res.status === expected;
        if (!fine) wrong.push(`${route.method} ${route.path}: ${res.status} (wanted ${expected})`);
      }
      expect(wrong).toEqual([]);
    },
    LOOP_TIMEOUT,
  );

  it("answers 404 to a host for another session of the org, as for another org's", async () => {
    for (const path of [
      `/admin/sessions/${f.otherSessionId}`,
      `/admin/sessions/${f.otherSessionId}/edit`,
      `/admin/widget-token?session=${f.otherSessionId}`,
    ]) {
      expect((await browse("GET", path, { cookie: host.cookie, headers: { [TOKEN_REQUEST_HEADER]: "1" } })).status, path).toBe(404);
    }
    expect(
      (await browse("POST", `/admin/sessions/${f.otherSessionId}/cancel`, { cookie: host.cookie, form: { _csrf: host.csrf } })).status,
    ).toBe(404);
    expect((await api("GET", `/v1/sessions/${f.otherSessionId}`, { key: org.key })).body.status).toBe("scheduled");
  });
});
