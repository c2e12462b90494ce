// Rate limits on the routes anyone can call: public registration, invitation links, one-time
// codes and sign-in links, each limited per client AND per target (the session, or the email
// address for sign-in); the public reads (a session's public view, live channel and hosted pages)
// and the participant's cancel link, per client. All through `[[ratelimits]]` bindings, which
// count across isolates. The numbers live in wrangler.toml beside each binding, with the
// reasoning for them.
//
// The client is the address Cloudflare's edge puts in `cf-connecting-ip`, which every request
// from the internet carries, keyed by its IPv6 /64 (client-prefix.ts): one connection holds a
// whole /64. A request without it did not come through the edge (the in-process test harness, a
// service binding): there is no client to count, and only the per-target limit applies.

import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ProblemError } from "../errors/problem";
import type { AppEnv } from "../http/context";
import { clientPrefix } from "./client-prefix";
import { publicRouteSession } from "./cors";

type LimiterName = {
  [K in keyof Env]-?: Env[K] extends RateLimit ? K : never;
}[keyof Env];

/** One counter to pass: which binding, under which key (null: not counted), and its window. */
export type LimitCheck = { limiter: LimiterName; key: string | null; period: 10 | 60 };

/** Passes every check in order, or says how long to wait (the window of the first one refused). */
export async function withinLimits(env: Env, checks: LimitCheck[]): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
  for (const check of checks) {
    if (check.key === null) continue;
    const { success } = await env[check.limiter].limit({ key: check.key });
    if (!success) return { ok: false, retryAfter: check.period };
  }
  return { ok: true };
}

/** The calling client's key (an IPv4 address or an IPv6 /64), or null when the edge named none. */
export const clientOf = (c: Context): string | null => clientPrefix(c.req.header("cf-connecting-ip"));

export function rateLimited(retryAfter: number): ProblemError {
  return new ProblemError(
    { code: "rate_limited", detail: `Too many requests. Try again in ${retryAfter} seconds.` },
    { "retry-after": String(retryAfter) },
  );
}

/** `sessionId` is null on a route whose path names no session, or a token that names none. */
type Rule = { method: string | null; path: RegExp; checks: (client: string | null, sessionId: string | null) => LimitCheck[] };

const rules: Rule[] = [
  {
    method: "POST",
    path: /^\/v1\/public\/sessions\/[^/]+\/registrations$/,
    checks: (client, session) => [
      { limiter: "REGISTER_CLIENT_LIMITER", key: client && `register:${client}`, period: 60 },
      { limiter: "REGISTER_SESSION_LIMITER", key: session && `register:${session}`, period: 10 },
    ],
  },
  {
    // Each wrong code is a guess: counted as one-time codes are.
    method: "POST",
    path: /^\/v1\/public\/sessions\/[^/]+\/registrations\/[^/]+\/confirm$/,
    checks: (client, session) => [
      { limiter: "CODE_CLIENT_LIMITER", key: client && `confirm:${client}`, period: 60 },
      { limiter: "CODE_SESSION_LIMITER", key: `confirm:${session}`, period: 60 },
    ],
  },
  {
    // Each one may be an email: counted like one-time codes, under keys of their own.
    method: "POST",
    path: /^\/v1\/public\/sessions\/[^/]+\/manage-link$/,
    checks: (client, session) => [
      { limiter: "CODE_CLIENT_LIMITER", key: client && `manage-link:${client}`, period: 60 },
      { limiter: "CODE_SESSION_LIMITER", key: `manage-link:${session}`, period: 60 },
    ],
  },
  {
    method: "POST",
    path: /^\/v1\/invites\/[^/]+\/code$/,
    checks: (client, session) => [
      { limiter: "CODE_CLIENT_LIMITER", key: client && `code:${client}`, period: 60 },
      { limiter: "CODE_SESSION_LIMITER", key: session && `code:${session}`, period: 60 },
    ],
  },
  {
    // Per client, the invitation routes count every call themselves (INVITE_LIMITER).
    method: null,
    path: /^\/v1\/invites\/[^/]+/,
    checks: (_client, session) => [{ limiter: "INVITE_SESSION_LIMITER", key: session && `invite:${session}`, period: 60 }],
  },
  {
    // Reading a session wakes its ledger: the public view, the live channel, the hosted pages.
    method: "GET",
    path: /^\/(?:v1\/public\/sessions\/[^/]+(?:\/live)?|[srmc]\/[^/]+)$/,
    checks: (client) => [{ limiter: "PUBLIC_READ_LIMITER", key: client && `read:${client}`, period: 60 }],
  },
  {
    // An org's public listing, through the API or its hosted page: D1 reads, limited like the reads above.
    method: "GET",
    path: /^\/(?:v1\/public\/orgs\/[^/]+\/sessions|o\/[^/]+)$/,
    checks: (client) => [{ limiter: "PUBLIC_READ_LIMITER", key: client && `read:${client}`, period: 60 }],
  },
  {
    // The participant's cancel and confirm links, through the API or the hosted pages: guesses count too.
    method: "POST",
    path: /^\/(?:v1\/manage\/[^/]+\/cancel|[mc]\/[^/]+)$/,
    checks: (client) => [{ limiter: "MANAGE_LIMITER", key: client && `manage:${client}`, period: 60 }],
  },
  {
    // A returning registrant's check of its manage token: a guess costs the same as a cancel.
    method: "GET",
    path: /^\/v1\/manage\/[^/]+$/,
    checks: (client) => [{ limiter: "MANAGE_LIMITER", key: client && `manage:${client}`, period: 60 }],
  },
  {
    // The program page wakes a ledger per session: read like the other hosted pages…
    method: "GET",
    path: /^\/programs\/i\/[^/]+$/,
    checks: (client) => [{ limiter: "PUBLIC_READ_LIMITER", key: client && `read:${client}`, period: 60 }],
  },
  {
    // …and its answers counted like the cancel link's: a token is guessed by posting too.
    method: "POST",
    path: /^\/programs\/i\/[^/]+\/.+$/,
    checks: (client) => [{ limiter: "MANAGE_LIMITER", key: client && `manage:${client}`, period: 60 }],
  },
  {
    // The participant's page (/p/…) reads ledgers and D1: read like the other hosted pages…
    method: "GET",
    path: /^\/p\/.+$/,
    checks: (client) => [{ limiter: "PUBLIC_READ_LIMITER", key: client && `read:${client}`, period: 60 }],
  },
  {
    // …and its writes (opening a link, answering, saving details) counted like the cancel link's.
    method: "POST",
    path: /^\/p\/(?:l\/[^/]+|me\/.+)$/,
    checks: (client) => [{ limiter: "MANAGE_LIMITER", key: client && `manage:${client}`, period: 60 }],
  },
];

/** Whether any limit applies to a request of this method to this path (the OpenAPI test reads it). */
export const isLimitedRoute = (method: string, path: string): boolean =>
  rules.some((r) => (r.method === null || r.method === method) && r.path.test(path));

/** Guessing invitation links is throttled per client: every call to the link API counts. */
export const throttleLinks = createMiddleware<AppEnv>(async (c, next) => {
  const client = clientOf(c) ?? "local";
  const { success } = await c.env.INVITE_LIMITER.limit({ key: `invite:${client}` });
  if (!success)
    throw new ProblemError({ code: "rate_limited", detail: "Too many attempts. Wait a minute and try again." }, { "retry-after": "60" });
  await next();
});

/**
 * Whether a request to a public route (the /v1 routes anyone can call, the hosted pages) is within
 * its limits, by method and path; every other route passes untouched.
 */
export function withinRouteLimits(c: Context<AppEnv>): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
  const session = publicRouteSession(c.req.path)?.sessionId ?? null;
  const client = clientOf(c);
  const checks = rules
    .filter((r) => (r.method === null || r.method === c.req.method) && r.path.test(c.req.path))
    .flatMap((r) => r.checks(client, session));
  return withinLimits(c.env, checks);
}

/** The limits of /v1's public routes (the hosted pages answer theirs as pages: pages/routes.tsx). */
export const publicRouteLimits = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "OPTIONS") return next();
  const verdict = await withinRouteLimits(c);
  if (!verdict.ok) throw rateLimited(verdict.retryAfter);
  await next();
});
