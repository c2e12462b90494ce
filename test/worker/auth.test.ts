// Organisations, API keys and widget tokens: who can create what, what a key shows of itself,
// and that a refused call leaves nothing behind.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_WIDGET_TOKEN_TTL_SECONDS } from "../../worker/auth/widget-tokens";
import { api, d1Count, expectProblem, newOrg, newSession, ROOT_KEY, widgetToken } from "./helpers";

async function keyIds(key: string): Promise<string[]> {
  const res = await api("GET", "/v1/api-keys", { key });
  expect(res.status).toBe(200);
  return res.body.keys.map((k: { id: string }) => k.id);
}

describe("POST /v1/orgs", () => {
  it("creates an organisation, its owner and a first API key that works at once", async () => {
    const [orgs, members] = [await d1Count("orgs"), await d1Count("members")];
    const res = await api("POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "Forest Camp", ownerEmail: "Owner@Camp.example" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.org).toMatchObject({ id: expect.stringMatching(/^org_/), name: "Forest Camp", createdAt: expect.any(String) });
    expect(res.body.apiKey).toMatch(/^rk_/);
    expect(await d1Count("orgs")).toBe(orgs + 1);
    expect(await d1Count("members", "org_id = ? AND email = ? AND role = 'owner'", res.body.org.id, "owner@camp.example")).toBe(1);
    expect(await d1Count("members")).toBe(members + 1);
    expect((await api("GET", "/v1/api-keys", { key: res.body.apiKey })).status).toBe(200);
  });

  it("writes nothing when its first key cannot be written: no org without its key", async () => {
    const [orgs, members] = [await d1Count("orgs"), await d1Count("members")];
    // A planted failure on the key's insert, which follows the org's.
    await env.DB.exec("CREATE TRIGGER refuse_keys BEFORE INSERT ON api_keys BEGIN SELECT RAISE(ABORT, 'planted'); END");
    try {
      const res = await api("POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "Half Camp", ownerEmail: "owner@half.example" } });
      expect(res.status).toBe(500);
    } finally {
      await env.DB.exec("DROP TRIGGER refuse_keys");
    }
    expect(await d1Count("orgs")).toBe(orgs);
    expect(await d1Count("members")).toBe(members);
  });

  it("creates no member when no owner is named", async () => {
    const res = await api("POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "Solo" } });
    expect(res.status).toBe(201);
    expect(await d1Count("members", "org_id = ?", res.body.org.id)).toBe(0);
  });

  it("takes the org's default language, and labels the first key in it", async () => {
    const res = await api("POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "Colonie des Pins", defaultLocale: "fr" } });
    expect(res.status).toBe(201);
    const key = res.body.apiKey;
    expect((await api("GET", "/v1/org", { key })).body.settings).toEqual({ defaultLocale: "fr" });
    expect((await api("GET", "/v1/api-keys", { key })).body.keys.map((k: { label: string }) => k.label)).toEqual(["Première clé"]);
  });

  it("refuses a language it does not speak with 422, naming the field, and creates nothing", async () => {
    const orgs = await d1Count("orgs");
    const res = await api("POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "Lager", defaultLocale: "de" } });
    expectProblem(res, "validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["defaultLocale"]);
    expect(await d1Count("orgs")).toBe(orgs);
  });

  it("keeps only a hash of the key", async () => {
    const { key, orgId } = await newOrg();
    const stored = await env.DB.prepare("SELECT prefix, hash FROM api_keys WHERE org_id = ?")
      .bind(orgId)
      .first<{ prefix: string; hash: string }>();
    expect(stored!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.hash).not.toContain(key.slice(3));
    expect(key.startsWith(stored!.prefix)).toBe(true);
    expect(stored!.prefix.length).toBeLessThan(key.length / 2);
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["a wrong root key", "test-root-key-but-wrong", "unauthenticated"],
    ["a malformed authorization header", "two words", "unauthenticated"],
  ] as const)("refuses %s with 401 and creates nothing", async (_label, key, code) => {
    const before = await d1Count("orgs");
    const res = await api("POST", "/v1/orgs", { key, body: { name: "Nope" } });
    expectProblem(res, code);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await d1Count("orgs")).toBe(before);
  });

  it("refuses an org API key with 403 forbidden and creates nothing", async () => {
    const { key } = await newOrg();
    const before = await d1Count("orgs");
    expectProblem(await api("POST", "/v1/orgs", { key, body: { name: "Nope" } }), "forbidden");
    expect(await d1Count("orgs")).toBe(before);
  });

  it("refuses a widget token with 403 forbidden and creates nothing", async () => {
    const { key } = await newOrg();
    const token = (await api("POST", "/v1/widget-tokens", { key, body: {} })).body.token;
    const before = await d1Count("orgs");
    expectProblem(await api("POST", "/v1/orgs", { key: token, body: { name: "Nope" } }), "forbidden");
    expect(await d1Count("orgs")).toBe(before);
  });
});

describe("POST /v1/api-keys", () => {
  it("creates a key that is shown once and works", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/api-keys", { key, body: { label: "CI" } });
    expect(res.status).toBe(201);
    expect(res.body.apiKey).toMatch(/^rk_/);
    expect(res.body.key).toMatchObject({ id: expect.stringMatching(/^key_/), label: "CI", lastUsedAt: null, revokedAt: null });
    expect(res.body.apiKey.startsWith(res.body.key.prefix)).toBe(true);
    expect((await api("GET", "/v1/api-keys", { key: res.body.apiKey })).status).toBe(200);
  });

  it("refuses a widget token with 403 forbidden and creates nothing", async () => {
    const { key } = await newOrg();
    const token = (await api("POST", "/v1/widget-tokens", { key, body: {} })).body.token;
    const before = await d1Count("api_keys");
    expectProblem(await api("POST", "/v1/api-keys", { key: token, body: { label: "sneaky" } }), "forbidden");
    expect(await d1Count("api_keys")).toBe(before);
  });

  it("refuses the root key with 403 forbidden and creates nothing", async () => {
    const before = await d1Count("api_keys");
    expectProblem(await api("POST", "/v1/api-keys", { key: ROOT_KEY, body: { label: "root" } }), "forbidden");
    expect(await d1Count("api_keys")).toBe(before);
  });

  it("refuses a call without a key with 401 unauthenticated", async () => {
    expectProblem(await api("POST", "/v1/api-keys", { body: { label: "anon" } }), "unauthenticated");
  });
});

describe("GET /v1/api-keys", () => {
  it("lists the org's own keys without the secret or its hash", async () => {
    const { key } = await newOrg();
    const other = await newOrg("Other Camp");
    const second = await api("POST", "/v1/api-keys", { key, body: { label: "Second" } });
    const res = await api("GET", "/v1/api-keys", { key });
    expect(res.status).toBe(200);
    expect(res.body.keys.map((k: { label: string }) => k.label).sort()).toEqual(["First key", "Second"]);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(key);
    expect(text).not.toContain(second.body.apiKey);
    expect(text).not.toContain("hash");
    expect(await keyIds(other.key)).not.toContain(second.body.key.id);
  });

  it("records when a key was last used", async () => {
    const { key } = await newOrg();
    const [first] = (await api("GET", "/v1/api-keys", { key })).body.keys;
    expect(first.lastUsedAt).not.toBeNull(); // the listing itself used it
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
  ] as const)("refuses %s", async (_label, key, code) => {
    expectProblem(await api("GET", "/v1/api-keys", { key }), code);
  });

  it("refuses a widget token with 403 forbidden", async () => {
    const { key } = await newOrg();
    const token = (await api("POST", "/v1/widget-tokens", { key, body: {} })).body.token;
    expectProblem(await api("GET", "/v1/api-keys", { key: token }), "forbidden");
  });
});

describe("POST /v1/api-keys/:id/revoke", () => {
  it("revokes a key: it answers 401 from then on, and the org's other keys keep working", async () => {
    const { key } = await newOrg();
    const spare = await api("POST", "/v1/api-keys", { key, body: { label: "Spare" } });
    const res = await api("POST", `/v1/api-keys/${spare.body.key.id}/revoke`, { key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: spare.body.key.id, revokedAt: expect.any(String) });
    const s = await newSession(key);
    for (const [method, path] of [
      ["GET", "/v1/api-keys"],
      ["GET", "/v1/sessions"],
      ["GET", `/v1/sessions/${s.id}`],
    ] as const) {
      expectProblem(await api(method, path, { key: spare.body.apiKey }), "unauthenticated");
    }
    expect((await api("GET", "/v1/sessions", { key })).status).toBe(200);
  });

  it("answers a second revoke with the same revocation time", async () => {
    const { key } = await newOrg();
    const spare = await api("POST", "/v1/api-keys", { key, body: { label: "Spare" } });
    const first = await api("POST", `/v1/api-keys/${spare.body.key.id}/revoke`, { key });
    const again = await api("POST", `/v1/api-keys/${spare.body.key.id}/revoke`, { key });
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(first.body.revokedAt);
  });

  it("refuses another org's key with 404 and leaves it working", async () => {
    const { key } = await newOrg();
    const other = await newOrg("Other Camp");
    const [otherKeyId] = await keyIds(other.key);
    expectProblem(await api("POST", `/v1/api-keys/${otherKeyId}/revoke`, { key }), "not_found");
    expect((await api("GET", "/v1/api-keys", { key: other.key })).status).toBe(200);
  });

  it("answers an unknown key id with 404", async () => {
    const { key } = await newOrg();
    expectProblem(await api("POST", "/v1/api-keys/key_doesnotexist/revoke", { key }), "not_found");
  });

  it("refuses a widget token with 403 and revokes nothing", async () => {
    const { key } = await newOrg();
    const [id] = await keyIds(key);
    const token = (await api("POST", "/v1/widget-tokens", { key, body: {} })).body.token;
    expectProblem(await api("POST", `/v1/api-keys/${id}/revoke`, { key: token }), "forbidden");
    expect((await api("GET", "/v1/api-keys", { key })).status).toBe(200);
  });
});

describe("POST /v1/widget-tokens", () => {
  it("mints an org-wide token valid for 15 minutes by default, which reads the org's sessions and changes nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const before = Date.now();
    const res = await api("POST", "/v1/widget-tokens", { key, body: {} });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^wt_[\w-]+\.[\w-]+$/);
    expect(res.body.scopes).toEqual(["roster:read"]);
    const ttl = Date.parse(res.body.expiresAt) - before;
    expect(ttl).toBeGreaterThan(890_000);
    expect(ttl).toBeLessThan(910_000);
    expect((await api("GET", `/v1/sessions/${s.id}`, { key: res.body.token })).status).toBe(200);
    expectProblem(await api("POST", `/v1/sessions/${s.id}/cancel`, { key: res.body.token }), "insufficient_scope");
    expectProblem(
      await api("POST", `/v1/sessions/${s.id}/invitations`, { key: res.body.token, body: { recipients: "ada@example.org" } }),
      "insufficient_scope",
    );
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.status).toBe("scheduled");
    expect((await api("GET", `/v1/sessions/${s.id}/invitations`, { key })).body.invitations).toEqual([]);
  });

  it("mints a session's token with the scopes asked for, and no more", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await api("POST", "/v1/widget-tokens", { key, body: { sessionId: s.id, scopes: ["roster:read", "invite"] } });
    expect(res.status).toBe(201);
    expect(res.body.scopes).toEqual(["roster:read", "invite"]);
    const token = res.body.token;
    const sent = await api("POST", `/v1/sessions/${s.id}/invitations`, { key: token, body: { recipients: "ada@example.org" } });
    expect(sent.status).toBe(201);
    const invitationId = sent.body.invitations[0].id;
    expect((await api("POST", `/v1/invitations/${invitationId}/resend`, { key: token })).status).toBe(200);
    const added = await api("POST", `/v1/sessions/${s.id}/registrations`, { key: token, body: { name: "Bo", email: "bo@example.org" } });
    expect(added.status).toBe(201);
    // The roster's destructive buttons and the session's own settings need `manage`.
    expectProblem(await api("POST", `/v1/invitations/${invitationId}/cancel`, { key: token }), "insufficient_scope");
    expectProblem(await api("POST", `/v1/registrations/${added.body.id}/cancel`, { key: token }), "insufficient_scope");
    expectProblem(await api("PATCH", `/v1/sessions/${s.id}`, { key: token, body: { title: "Renamed" } }), "insufficient_scope");
    expectProblem(await api("POST", `/v1/sessions/${s.id}/cancel`, { key: token }), "insufficient_scope");
    const after = await api("GET", `/v1/sessions/${s.id}/roster`, { key });
    expect(after.body.session).toMatchObject({ status: "scheduled", title: "Forest camp — week 1" });
    expect(after.body.rows.map((r: { status: string }) => r.status).sort()).toEqual(["confirmed", "sent"]);
  });

  it("ends with the API key that minted it", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const spare = (await api("POST", "/v1/api-keys", { key, body: { label: "Back office" } })).body;
    const token = (await api("POST", "/v1/widget-tokens", { key: spare.apiKey, body: { sessionId: s.id } })).body.token;
    const other = (await api("POST", "/v1/widget-tokens", { key, body: { sessionId: s.id } })).body.token;
    expect((await api("GET", `/v1/sessions/${s.id}/roster`, { key: token })).status).toBe(200);
    expect((await api("POST", `/v1/api-keys/${spare.key.id}/revoke`, { key })).status).toBe(200);
    expectProblem(await api("GET", `/v1/sessions/${s.id}/roster`, { key: token }), "token_invalid");
    expect((await api("GET", `/v1/sessions/${s.id}/roster`, { key: other })).status).toBe(200);
  });

  it("refuses an unknown scope, and an empty list, with 422", async () => {
    const { key } = await newOrg();
    for (const scopes of [["roster:write"], []]) {
      expectProblem(await api("POST", "/v1/widget-tokens", { key, body: { scopes } }), "validation_failed");
    }
  });

  it("mints a token for one session with the lifetime asked for", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await api("POST", "/v1/widget-tokens", { key, body: { sessionId: s.id, ttlSeconds: 600 } });
    expect(res.status).toBe(201);
    expect(Math.abs(Date.parse(res.body.expiresAt) - Date.now() - 600_000)).toBeLessThan(10_000);
    expect((await api("GET", `/v1/sessions/${s.id}/roster`, { key: res.body.token })).status).toBe(200);
  });

  it("refuses another org's session with 404", async () => {
    const { key } = await newOrg();
    const other = await newOrg("Other Camp");
    const theirs = await newSession(other.key);
    expectProblem(await api("POST", "/v1/widget-tokens", { key, body: { sessionId: theirs.id } }), "session_not_found");
  });

  it("refuses a session that does not exist with 404", async () => {
    const { key } = await newOrg();
    expectProblem(await api("POST", "/v1/widget-tokens", { key, body: { sessionId: "ses_00000000000000000000" } }), "session_not_found");
  });

  it("refuses to let a widget token mint another", async () => {
    const { key } = await newOrg();
    const token = (await api("POST", "/v1/widget-tokens", { key, body: {} })).body.token;
    expectProblem(await api("POST", "/v1/widget-tokens", { key: token, body: {} }), "forbidden");
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
  ] as const)("refuses %s", async (_label, key, code) => {
    expectProblem(await api("POST", "/v1/widget-tokens", { key, body: {} }), code);
  });

  it("answers an expired token with 401 token_expired, so that the elements fetch a new one", async () => {
    const { key, orgId } = await newOrg();
    const s = await newSession(key);
    const expired = await widgetToken(orgId, null, new Date(Date.now() - 1000));
    const res = await api("GET", `/v1/sessions/${s.id}`, { key: expired });
    expectProblem(res, "token_expired");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(res.body.detail).toMatch(/expired/);
  });

  it("refuses a correctly signed token that claims to live longer than any token is minted for", async () => {
    const { key, orgId } = await newOrg();
    const s = await newSession(key);
    const year = await widgetToken(orgId, null, new Date(Date.now() + 365 * 24 * 3_600_000));
    expectProblem(await api("GET", `/v1/sessions/${s.id}`, { key: year }), "token_invalid");
    const longest = await widgetToken(orgId, null, new Date(Date.now() + MAX_WIDGET_TOKEN_TTL_SECONDS * 1000));
    expect((await api("GET", `/v1/sessions/${s.id}`, { key: longest })).status).toBe(200);
  });

  it("answers a token with a tampered signature or payload with 401", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const token: string = (await api("POST", "/v1/widget-tokens", { key, body: {} })).body.token;
    const [payload, signature] = token.slice(3).split(".") as [string, string];
    const flipped = signature.slice(0, -2) + (signature.endsWith("AA") ? "BB" : "AA");
    const forged = btoa(JSON.stringify({ org: "org_someoneelse", ses: null, exp: 9_999_999_999 })).replace(/=+$/, "");
    for (const bad of [`wt_${payload}.${flipped}`, `wt_${forged}.${signature}`, "wt_garbage", `${token}x`]) {
      expectProblem(await api("GET", `/v1/sessions/${s.id}`, { key: bad }), "token_invalid");
    }
  });

  it("names a token minted for another session apart from a session that does not exist", async () => {
    const { key, orgId } = await newOrg();
    const mine = await newSession(key);
    const other = await newSession(key);
    const token = await widgetToken(orgId, mine.id, new Date(Date.now() + 60_000));
    const wrong = await api("GET", `/v1/sessions/${other.id}/roster`, { key: token });
    expectProblem(wrong, "token_wrong_session");
    expect(wrong.status).toBe(403);
    expect(wrong.body.detail).toContain(other.id);
    // The same answer for a session that does not exist: the refusal tells nothing about it.
    expectProblem(await api("GET", "/v1/sessions/ses_00000000000000000000/roster", { key: token }), "token_wrong_session");
    const orgWide = await widgetToken(orgId, null, new Date(Date.now() + 60_000));
    const unknown = await api("GET", "/v1/sessions/ses_00000000000000000000/roster", { key: orgWide });
    expectProblem(unknown, "session_not_found");
    expect(unknown.status).toBe(404);
    expectProblem(await api("GET", "/v1/public/sessions/ses_00000000000000000000"), "session_not_found");
  });
});
