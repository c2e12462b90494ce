// Which web pages may call the API from a browser: any page for the public routes and widget
// tokens unless the org lists its embed origins; only this site and the org's listed origins for
// API keys; and the hosted admin only from its own pages. A refused page can read its refusal.
import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TOKEN_REQUEST_HEADER } from "../../worker/auth/token-request";
import { browse, signedInOwner, submit } from "./admin-helpers";
import { api, BASE, d1Count, newOrg, newSession, person, ROOT_KEY, widgetToken } from "./helpers";
import { linkClient, tokenOf } from "./invitation-helpers";

afterEach(() => vi.restoreAllMocks());

const CAMP = "https://camp.example";
const EVIL = "https://evil.example";

function call(
  method: string,
  path: string,
  options: { origin?: string; key?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.origin) headers.origin = options.origin;
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return SELF.fetch(`${BASE}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
}

function preflight(path: string, origin: string, method = "POST") {
  return SELF.fetch(`${BASE}${path}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": "content-type, authorization" },
  });
}

async function restrictedOrg(origins = [CAMP]) {
  const org = await newOrg();
  expect((await api("PATCH", "/v1/org", { key: org.key, body: { settings: { embedOrigins: origins } } })).status).toBe(200);
  return org;
}

/** A refusal the refused page can read (its origin allowed for it, no credentials), naming only that page. */
async function expectRefused(res: Response, origin = EVIL) {
  expect(res.status).toBe(403);
  expect(res.headers.get("access-control-allow-origin")).toBe(origin);
  expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  expect(res.headers.get("vary")).toContain("Origin");
  const body = await res.json<Record<string, unknown>>();
  expect(body).toMatchObject({ code: "origin_not_allowed", status: 403, origin });
  expect(body.detail).toBe(
    `This site (${origin}) is not in the organisation's allowed origins. ` +
      "An owner adds it under Settings, Allowed embed origins, in the hosted admin (or settings.embedOrigins of PATCH /v1/org).",
  );
  // Nothing of the org, its session or the origins it lists.
  expect(Object.keys(body).sort()).toEqual(["code", "detail", "origin", "status", "title", "type"]);
  if (origin !== CAMP) expect(JSON.stringify(body)).not.toContain(CAMP);
}

describe("public routes", () => {
  it("answer any page when the org lists no embed origins, preflight included", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const pre = await preflight(`/v1/public/sessions/${s.id}/registrations`, EVIL);
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(EVIL);
    expect(pre.headers.get("access-control-allow-headers")).toContain("idempotency-key");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    const res = await call("GET", `/v1/public/sessions/${s.id}`, { origin: EVIL });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(EVIL);
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("answer only the listed pages (and this site) when the org lists embed origins", async () => {
    const { key } = await restrictedOrg();
    const s = await newSession(key);
    const path = `/v1/public/sessions/${s.id}/registrations`;
    expect((await preflight(path, CAMP)).status).toBe(204);
    // The preflight lets the request go, so that the refusal reaches the page readably.
    expect((await preflight(path, EVIL)).status).toBe(204);
    await expectRefused(await call("POST", path, { origin: EVIL, body: person(1) }));
    await expectRefused(await call("GET", `/v1/public/sessions/${s.id}`, { origin: EVIL }));
    const allowed = await call("POST", path, { origin: CAMP, body: person(2) });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(CAMP);
    expect((await call("POST", path, { origin: BASE, body: person(3) })).status).toBe(201);
    // A server or curl sends no Origin: not a browser on another site.
    expect((await call("POST", path, { body: person(4) })).status).toBe(201);
    expect(await d1Count("registrations", "session_id = ? AND email = ?", s.id, person(1).email)).toBe(0);
  });

  it("find the session of an invitation link and of a cancel link by their token", async () => {
    const { key } = await restrictedOrg();
    const s = await newSession(key);
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } })).body
      .invitations[0];
    const token = await tokenOf(s.id, inv.id);
    const ip = linkClient().ip;
    await expectRefused(await call("GET", `/v1/invites/${token}`, { origin: EVIL, headers: { "cf-connecting-ip": ip } }));
    await expectRefused(await call("POST", `/v1/invites/${token}/accept`, { origin: EVIL, body: { name: "Eve" } }));
    expect((await call("GET", `/v1/invites/${token}`, { origin: CAMP, headers: { "cf-connecting-ip": ip } })).status).toBe(200);
    const { manageToken } = (await api("POST", `/v1/public/sessions/${s.id}/registrations`, { body: person(5) })).body;
    await expectRefused(await call("POST", `/v1/manage/${manageToken}/cancel`, { origin: EVIL }));
    expect((await call("POST", `/v1/manage/${manageToken}/cancel`, { origin: CAMP })).status).toBe(200);
  });

  it("include an org's public listing, which the sessions element reads: only the listed pages when it lists some", async () => {
    const restricted = await restrictedOrg();
    const slug = `cors-${Date.now().toString(36)}`;
    expect((await api("PATCH", "/v1/org", { key: restricted.key, body: { slug } })).status).toBe(200);
    const path = `/v1/public/orgs/${slug}/sessions`;
    await expectRefused(await call("GET", path, { origin: EVIL }));
    const allowed = await call("GET", path, { origin: CAMP });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(CAMP);
    expect((await call("GET", path, { origin: BASE })).status).toBe(200);
    // An org listing no origins answers any page, as its sessions' routes do.
    const open = await newOrg();
    const openSlug = `cors-open-${Date.now().toString(36)}`;
    expect((await api("PATCH", "/v1/org", { key: open.key, body: { slug: openSlug } })).status).toBe(200);
    const res = await call("GET", `/v1/public/orgs/${openSlug}/sessions`, { origin: EVIL });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(EVIL);
  });

  it("follow a change of the embed origins at once in the isolate that made it", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    expect((await call("GET", `/v1/public/sessions/${s.id}`, { origin: EVIL })).status).toBe(200);
    await api("PATCH", "/v1/org", { key, body: { settings: { embedOrigins: [CAMP] } } });
    await expectRefused(await call("GET", `/v1/public/sessions/${s.id}`, { origin: EVIL }));
    await api("PATCH", "/v1/org", { key, body: { settings: { embedOrigins: null } } });
    expect((await call("GET", `/v1/public/sessions/${s.id}`, { origin: EVIL })).status).toBe(200);
  });
});

describe("admin routes", () => {
  it("answer any preflight, since a preflight carries no credential to tell whose route it is", async () => {
    const pre = await preflight("/v1/sessions", EVIL);
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(EVIL);
    expect(pre.headers.get("access-control-allow-headers")).toContain("authorization");
  });

  it("refuse a page the org has not listed before doing anything", async () => {
    const { key } = await restrictedOrg();
    await expectRefused(await call("POST", "/v1/sessions", { origin: EVIL, key, body: { title: "x" } }));
    expect((await api("GET", "/v1/sessions", { key })).body.sessions).toHaveLength(0);
    await expectRefused(await call("GET", "/v1/org", { origin: EVIL, key }));
  });

  it("refuse an API key from every other page when the org lists none", async () => {
    const { key } = await newOrg();
    await expectRefused(await call("GET", "/v1/sessions", { origin: CAMP, key }), CAMP);
  });

  it("answer a widget token from any page when the org lists none: the token is the lock", async () => {
    const { key, orgId } = await newOrg();
    const s = await newSession(key);
    const token = await widgetToken(orgId, s.id, new Date(Date.now() + 60_000));
    const res = await call("GET", `/v1/sessions/${s.id}/roster`, { origin: CAMP, key: token });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(CAMP);
  });

  it("answer the org's listed pages, this site's own pages, and servers without an Origin", async () => {
    const { key, orgId } = await restrictedOrg([CAMP, "https://office.camp.example"]);
    const s = await newSession(key);
    const listed = await call("GET", `/v1/sessions/${s.id}/roster`, {
      origin: "https://office.camp.example",
      key: await widgetToken(orgId, s.id, new Date(Date.now() + 60_000)),
    });
    expect(listed.status).toBe(200);
    expect(listed.headers.get("access-control-allow-origin")).toBe("https://office.camp.example");
    expect((await call("GET", `/v1/sessions/${s.id}`, { origin: BASE, key })).status).toBe(200);
    expect((await call("GET", `/v1/sessions/${s.id}`, { key })).status).toBe(200);
  });

  it("refuse a widget token used from a page the org has not listed", async () => {
    const { key, orgId } = await restrictedOrg();
    const s = await newSession(key);
    const token = await widgetToken(orgId, s.id, new Date(Date.now() + 60_000));
    await expectRefused(await call("POST", `/v1/sessions/${s.id}/cancel`, { origin: EVIL, key: token }));
    await expectRefused(await call("GET", `/v1/sessions/${s.id}/roster`, { origin: EVIL, key: token }));
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.status).toBe("scheduled");
  });

  it("let only this site's own pages use the root key from a browser", async () => {
    await expectRefused(await call("POST", "/v1/orgs", { origin: CAMP, key: ROOT_KEY, body: { name: "x" } }), CAMP);
    expect((await call("POST", "/v1/orgs", { origin: BASE, key: ROOT_KEY, body: { name: "x" } })).status).toBe(201);
  });

  it("let a page read a refusal for a missing credential, which reveals nothing", async () => {
    const res = await call("GET", "/v1/sessions", { origin: EVIL });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe(EVIL);
  });
});

describe("the hosted admin", () => {
  it("refuses a form posted from another site, even with a valid cookie and CSRF token", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key);
    const res = await submit(owner, `/admin/sessions/${s.id}/cancel`, {}, { origin: EVIL });
    expect(res.status).toBe(403);
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.status).toBe("scheduled");
    expect((await submit(owner, `/admin/sessions/${s.id}/cancel`, {}, { origin: BASE })).status).toBe(303);
  });

  it("gives widget tokens only to its own pages, and never answers CORS for them", async () => {
    const { owner, key } = await signedInOwner();
    const s = await newSession(key);
    const asWidget = { [TOKEN_REQUEST_HEADER]: "1" };
    const foreign = await browse("GET", `/admin/widget-token?session=${s.id}`, {
      cookie: owner.cookie,
      headers: { ...asWidget, origin: EVIL },
    });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.text).code).toBe("origin_not_allowed");
    const own = await browse("GET", `/admin/widget-token?session=${s.id}`, {
      cookie: owner.cookie,
      headers: { ...asWidget, origin: BASE },
    });
    expect(own.status).toBe(200);
    expect(own.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a sign-in request posted from another site", async () => {
    const res = await browse("POST", "/admin/sign-in", { form: { email: "someone@camp.example" }, headers: { origin: EVIL } });
    expect(res.status).toBe(403);
  });
});
