// Shared steps of the worker tests: calling the API as a client would, and looking at what the
// ledger and D1 hold afterwards.
//
// Requests go to the worker's own fetch handler with the real bindings (D1, the ledgers, the
// queue). Not through SELF.fetch: @cloudflare/vitest-pool-workers 0.15.1 wraps the entrypoint's
// prototype in one more Proxy on every request (workers-sdk#15092, fixed in releases that need
// Node 22), so each SELF.fetch costs more than the last: 200 requests take 2 s, the next 200 take
// 15 s, and about a thousand overflow the stack. entrypoint.test.ts keeps SELF.fetch for a few.
import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import { signWidgetToken } from "../../worker/auth/widget-tokens";
import type { ErrorCode } from "../../worker/errors/codes";
import { errorStatus } from "../../worker/errors/codes";
import { WIDGET_SCOPES, type WidgetScope } from "../../worker/http/context";
import { signingKeys } from "../../worker/ids/signing-keys";
import worker from "../../worker/index";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { manualClock } from "../../worker/time/clock";

export const ROOT_KEY = "test-root-key-0123456789abcdefghijklmnop";
export const BASE = "https://rollcall.test";
/** A developer's own server: the dev routes (/dev/mail, /demo/) answer only on loopback. */
export const DEV_BASE = "http://127.0.0.1:8787";

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

export async function api<T = any>(
  method: string,
  path: string,
  options: { body?: unknown; key?: string; headers?: Record<string, string>; raw?: string; base?: string; bindings?: Partial<Env> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${options.base ?? BASE}${path}`, { method, headers, body }) as Request<unknown, IncomingRequestCfProperties>,
    options.bindings ? { ...env, ...options.bindings } : env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: CSV and such */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Asserts an RFC 9457 problem with the given stable code (and the status that code maps to). */
export function expectProblem(res: ApiResponse, code: ErrorCode): void {
  const context = `${res.status} ${JSON.stringify(res.body).slice(0, 500)}`;
  expect(res.status, context).toBe(errorStatus[code]);
  expect(res.headers.get("content-type"), context).toMatch(/^application\/problem\+json/);
  expect(res.body, context).toMatchObject({ code, status: errorStatus[code] });
  expect(typeof res.body.type, context).toBe("string");
  expect(typeof res.body.title, context).toBe("string");
  expect(typeof res.body.detail, context).toBe("string");
}

export async function newOrg(name = "Forest Camp"): Promise<{ orgId: string; key: string }> {
  const res = await api("POST", "/v1/orgs", { key: ROOT_KEY, body: { name, ownerEmail: "owner@camp.example" } });
  if (res.status !== 201) throw new Error(`org creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { orgId: res.body.org.id, key: res.body.apiKey };
}

export const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

export function sessionBody(overrides: Record<string, unknown> = {}) {
  return {
    title: "Forest camp — week 1",
    description: "Five mornings in the woods.",
    startsAt: hoursFromNow(24 * 30),
    timeZone: "Europe/Paris",
    durationMinutes: 180,
    minParticipants: 2,
    maxParticipants: 10,
    ...overrides,
  };
}

export async function newSession(key: string, overrides: Record<string, unknown> = {}) {
  const res = await api("POST", "/v1/sessions", { key, body: sessionBody(overrides) });
  if (res.status !== 201) throw new Error(`session creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function register(sessionId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api("POST", `/v1/public/sessions/${sessionId}/registrations`, { body, headers });
}

export const person = (i: number) => ({ name: `Person ${i}`, email: `person${i}@example.org` });

/** Registers and insists it worked; returns the registration and its manage token. */
export async function registered(sessionId: string, body: Record<string, unknown>) {
  const res = await register(sessionId, body);
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { registration: { id: string; status: string; waitlistPosition: number | null }; manageToken: string };
}

export function addParticipant(key: string, sessionId: string, body: Record<string, unknown>) {
  return api("POST", `/v1/sessions/${sessionId}/registrations`, { key, body });
}

export async function readSession(key: string, sessionId: string) {
  const res = await api("GET", `/v1/sessions/${sessionId}`, { key });
  if (res.status !== 200) throw new Error(`session read failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function roster(key: string, sessionId: string) {
  const res = await api("GET", `/v1/sessions/${sessionId}/roster`, { key });
  if (res.status !== 200) throw new Error(`roster read failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { session: any; rows: any[]; mail: { waiting: number; failed: number } };
}

/** Everything a refused request must leave as it was: the session (seats included) and its roster. */
export async function sessionState(key: string, sessionId: string) {
  // A row's contact comes from D1's copy, linked when the ledger drains: settled first, so two
  // looks at an unchanged session are equal.
  if (/^ses_/.test(sessionId)) await ledger(sessionId).drain();
  const { session, rows } = await roster(key, sessionId);
  return { session, rows };
}

/** The session's ledger, as the worker reaches it. */
export const ledger = (sessionId: string) => env.LEDGER.get(env.LEDGER.idFromName(sessionId));

export async function d1Count(table: "orgs" | "members" | "api_keys" | "sessions" | "registrations", where = "1 = 1", ...binds: unknown[]) {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...binds)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * A widget token signed with the test secret, expiring when told (in the past, for expiry), with
 * every scope unless told, minted by the org's first API key.
 */
export async function widgetToken(
  orgId: string,
  sessionId: string | null,
  expiresAt: Date,
  scopes: readonly WidgetScope[] = WIDGET_SCOPES,
) {
  const first = await env.DB.prepare("SELECT id FROM api_keys WHERE org_id = ? ORDER BY created_at, rowid LIMIT 1")
    .bind(orgId)
    .first<{ id: string }>();
  const source = first?.id ?? "key_00000000000000000000";
  return signWidgetToken(await signingKeys(env), { orgId, sessionId, scopes, source }, expiresAt);
}

/**
 * Drains the ledger's outboxes, then checks that D1's copy of the session and its registrations
 * is what the ledger itself says.
 */
export async function expectProjectionMatches(key: string, sessionId: string): Promise<void> {
  expect(await ledger(sessionId).drain()).toEqual({ pending: 0 });
  const { session, rows } = await roster(key, sessionId);
  const projected = await env.DB.prepare("SELECT * FROM sessions WHERE id = ?").bind(sessionId).first<Record<string, any>>();
  expect(projected).toMatchObject({
    status: session.status,
    starts_at: session.startsAt,
    registration_closes_at: session.registrationClosesAt,
    capacity: session.seats.capacity,
    confirmed: session.seats.confirmed,
    held: session.seats.held,
    waitlisted: session.seats.waitlisted,
    available: session.seats.available,
  });
  expect(JSON.parse(projected!.snapshot).seats).toEqual(session.seats);
  const copies = await env.DB.prepare("SELECT id, name, email, status, cancelled_at FROM registrations WHERE session_id = ? ORDER BY id")
    .bind(sessionId)
    .all<Record<string, unknown>>();
  const truth = rows
    .filter((r) => r.kind === "registration")
    .map((r) => ({ id: r.id, name: r.name, email: r.email, status: r.status, cancelled_at: r.cancelledAt }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(copies.results).toEqual(truth);
}

/** Puts session `sessionId`'s ledger on a clock the test moves (manualClock), starting now; returns it. */
export async function ledgerClock(sessionId: string): Promise<ReturnType<typeof manualClock>> {
  const clock = manualClock(new Date());
  await runInDurableObject(ledger(sessionId), (instance: SessionLedger) => {
    instance.clock = clock;
  });
  return clock;
}
