// Shared steps of the worker tests: calling the API as a client would.
import { SELF } from "cloudflare:test";

export const ROOT_KEY = "test-root-key";
export const BASE = "https://rollcall.test";

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

export async function api<T = any>(
  method: string,
  path: string,
  options: { body?: unknown; key?: string; headers?: Record<string, string>; raw?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: CSV and such */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
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
