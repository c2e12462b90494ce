// One org never sees or touches another's sessions, and every admin route answers each kind of
// credential the way it must: another org's key or token gets 404 session_not_found (the session
// might as well not exist), a token for another session 403 token_wrong_session (said whether the
// session exists or not), a revoked key or an expired token 401, the root key 403.
// A refused call changes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import type { ErrorCode } from "../../worker/errors/codes";
import { WIDGET_SCOPES } from "../../worker/http/context";
import { api, expectProblem, newOrg, newSession, person, ROOT_KEY, registered, sessionBody, sessionState, widgetToken } from "./helpers";

type Fixture = {
  key: string;
  orgId: string;
  sessionId: string;
  registrationId: string;
  otherSessionId: string;
  otherRegistrationId: string;
};

type AdminRoute = { name: string; method: string; path: (f: Fixture) => string; body?: () => unknown };

/** What a route answers a caller for whom the session (or the registration) does not exist. */
const unknownTo = (route: AdminRoute) => (route.name.includes("/v1/sessions/:id") ? "session_not_found" : "not_found");

/** Every admin route that reaches one session (or one of its registrations). */
const sessionRoutes: AdminRoute[] = [
  { name: "GET /v1/sessions/:id", method: "GET", path: (f) => `/v1/sessions/${f.sessionId}` },
  {
    name: "PATCH /v1/sessions/:id",
    method: "PATCH",
    path: (f) => `/v1/sessions/${f.sessionId}`,
    body: () => ({ title: "Taken over", maxParticipants: 99 }),
  },
  { name: "POST /v1/sessions/:id/cancel", method: "POST", path: (f) => `/v1/sessions/${f.sessionId}/cancel` },
  {
    name: "POST /v1/sessions/:id/registrations",
    method: "POST",
    path: (f) => `/v1/sessions/${f.sessionId}/registrations`,
    body: () => ({ ...person(99), allowOverCapacity: true }),
  },
  { name: "POST /v1/registrations/:id/cancel", method: "POST", path: (f) => `/v1/registrations/${f.registrationId}/cancel` },
  { name: "GET /v1/sessions/:id/roster", method: "GET", path: (f) => `/v1/sessions/${f.sessionId}/roster` },
  { name: "GET /v1/sessions/:id/roster.csv", method: "GET", path: (f) => `/v1/sessions/${f.sessionId}/roster.csv` },
];

/** Every admin route, including the org-wide ones. */
const allRoutes: AdminRoute[] = [
  ...sessionRoutes,
  { name: "POST /v1/sessions", method: "POST", path: () => "/v1/sessions", body: () => sessionBody() },
  { name: "GET /v1/sessions", method: "GET", path: () => "/v1/sessions" },
  { name: "POST /v1/api-keys", method: "POST", path: () => "/v1/api-keys", body: () => ({ label: "x" }) },
  { name: "GET /v1/api-keys", method: "GET", path: () => "/v1/api-keys" },
  { name: "POST /v1/api-keys/:id/revoke", method: "POST", path: () => "/v1/api-keys/key_00000000000000000000/revoke" },
  { name: "POST /v1/widget-tokens", method: "POST", path: () => "/v1/widget-tokens", body: () => ({}) },
];

async function fixture(): Promise<Fixture> {
  const { key, orgId } = await newOrg("Owner Camp");
  const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
  const other = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
  const r = await registered(s.id, person(1));
  await registered(s.id, person(2));
  await registered(s.id, person(3)); // on the waitlist: a wrongful cancel would promote them
  const o = await registered(other.id, person(4));
  return {
    key,
    orgId,
    sessionId: s.id,
    registrationId: r.registration.id,
    otherSessionId: other.id,
    otherRegistrationId: o.registration.id,
  };
}

function call(route: AdminRoute, f: Fixture, key: string | undefined) {
  return api(route.method, route.path(f), { key, body: route.body?.() });
}

async function everything(f: Fixture) {
  return { session: await sessionState(f.key, f.sessionId), other: await sessionState(f.key, f.otherSessionId) };
}

describe("another org's API key", () => {
  let f: Fixture;
  let stranger: string;
  beforeAll(async () => {
    f = await fixture();
    stranger = (await newOrg("Stranger Camp")).key;
  });

  it.each(sessionRoutes)("gets 404 from $name and changes nothing", async (route) => {
    const before = await everything(f);
    expectProblem(await call(route, f, stranger), unknownTo(route));
    expect(await everything(f)).toEqual(before);
  });

  it("does not see the session in its list", async () => {
    const list = await api("GET", "/v1/sessions?limit=100", { key: stranger });
    expect(list.body.sessions.map((s: { id: string }) => s.id)).not.toContain(f.sessionId);
  });

  it("cannot mint a widget token for the session", async () => {
    expectProblem(await api("POST", "/v1/widget-tokens", { key: stranger, body: { sessionId: f.sessionId } }), "session_not_found");
  });

  it("cannot revoke the owner's key", async () => {
    const [ownerKey] = (await api("GET", "/v1/api-keys", { key: f.key })).body.keys;
    expectProblem(await api("POST", `/v1/api-keys/${ownerKey.id}/revoke`, { key: stranger }), "not_found");
    expect((await api("GET", "/v1/api-keys", { key: f.key })).status).toBe(200);
  });
});

describe("another org's widget token", () => {
  let f: Fixture;
  let token: string;
  beforeAll(async () => {
    f = await fixture();
    const stranger = await newOrg("Stranger Camp");
    token = (await api("POST", "/v1/widget-tokens", { key: stranger.key, body: { scopes: WIDGET_SCOPES } })).body.token;
  });

  it.each(sessionRoutes)("gets 404 from $name and changes nothing", async (route) => {
    const before = await everything(f);
    expectProblem(await call(route, f, token), unknownTo(route));
    expect(await everything(f)).toEqual(before);
  });
});

describe("a widget token scoped to another session of the same org", () => {
  let f: Fixture;
  let token: string;
  beforeAll(async () => {
    f = await fixture();
    const body = { sessionId: f.otherSessionId, scopes: WIDGET_SCOPES };
    token = (await api("POST", "/v1/widget-tokens", { key: f.key, body })).body.token;
  });

  it.each(sessionRoutes)("gets 403 token_wrong_session from $name and changes nothing", async (route) => {
    const before = await everything(f);
    expectProblem(await call(route, f, token), "token_wrong_session");
    expect(await everything(f)).toEqual(before);
  });

  it("still reaches its own session", async () => {
    expect((await api("GET", `/v1/sessions/${f.otherSessionId}/roster`, { key: token })).status).toBe(200);
    expect((await api("POST", `/v1/registrations/${f.otherRegistrationId}/cancel`, { key: token })).status).toBe(200);
  });

  it.each([
    ["POST /v1/sessions", "POST", "/v1/sessions", sessionBody()],
    ["POST /v1/widget-tokens", "POST", "/v1/widget-tokens", {}],
    ["GET /v1/api-keys", "GET", "/v1/api-keys", undefined],
  ] as const)("is refused %s with 403", async (_name, method, path, body) => {
    expectProblem(await api(method, path, { key: token, body }), "forbidden");
  });
});

describe.each([
  ["a revoked API key", "unauthenticated"],
  ["an expired widget token", "token_expired"],
  ["the root key", "forbidden"],
  ["no key at all", "unauthenticated"],
] as const)("%s", (credential, code: ErrorCode) => {
  let f: Fixture;
  let key: string | undefined;
  beforeAll(async () => {
    f = await fixture();
    if (credential === "a revoked API key") {
      const spare = await api("POST", "/v1/api-keys", { key: f.key, body: { label: "Spare" } });
      await api("POST", `/v1/api-keys/${spare.body.key.id}/revoke`, { key: f.key });
      key = spare.body.apiKey;
    } else if (credential === "an expired widget token") {
      key = await widgetToken(f.orgId, null, new Date(Date.now() - 60_000));
    } else if (credential === "the root key") {
      key = ROOT_KEY;
    }
  });

  it.each(allRoutes)(`gets ${code} from $name and changes nothing`, async (route) => {
    const before = await everything(f);
    const keys = (await api("GET", "/v1/api-keys", { key: f.key })).body.keys.length;
    expectProblem(await call(route, f, key), code);
    expect(await everything(f)).toEqual(before);
    expect((await api("GET", "/v1/api-keys", { key: f.key })).body.keys.length).toBe(keys);
  });
});
