// Rate limits on the routes anyone can call: public registration, invitation links, one-time
// codes and sign-in links. Each is limited per client AND per target (the session, or the email
// address for sign-in), through `[[ratelimits]]` bindings, which count across isolates. The
// numbers live in wrangler.toml beside each binding, with the reasoning for them.
//
// The client is the address Cloudflare's edge puts in `cf-connecting-ip`, which every request
// from the internet carries. A request without it did not come through the edge (the in-process
// test harness, a service binding): there is no client to count, and only the per-target limit
// applies.

import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ProblemError } from "../errors/problem";
import type { AppEnv } from "../http/context";
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

export const clientOf = (c: Context): string | null => c.req.header("cf-connecting-ip") ?? null;

export function rateLimited(retryAfter: number): ProblemError {
  return new ProblemError(
    { code: "rate_limited", detail: `Too many requests. Try again in ${retryAfter} seconds.` },
    { "retry-after": String(retryAfter) },
  );
}

type Rule = { method: string | null; path: RegExp; checks: (client: string | null, sessionId: string) => LimitCheck[] };

const rules: Rule[] = [
  {
    method: "POST",
    path: /^\/v1\/public\/sessions\/[^/]+\/registrations$/,
    checks: (client, session) => [
      { limiter: "REGISTER_CLIENT_LIMITER", key: client && `register:${client}`, period: 60 },
      { limiter: "REGISTER_SESSION_LIMITER", key: `register:${session}`, period: 10 },
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
      { limiter: "CODE_SESSION_LIMITER", key: `code:${session}`, period: 60 },
    ],
  },
  {
    // Per client, the invitation routes count every call themselves (INVITE_LIMITER).
    method: null,
    path: /^\/v1\/invites\/[^/]+/,
    checks: (_client, session) => [{ limiter: "INVITE_SESSION_LIMITER", key: `invite:${session}`, period: 60 }],
  },
];

/** Guessing invitation links is throttled per client: every call to the link API counts. */
export const throttleLinks = createMiddleware<AppEnv>(async (c, next) => {
  const client = c.req.header("cf-connecting-ip") ?? "local";
  const { success } = await c.env.INVITE_LIMITER.limit({ key: `invite:${client}` });
  if (!success)
    throw new ProblemError({ code: "rate_limited", detail: "Too many attempts. Wait a minute and try again." }, { "retry-after": "60" });
  await next();
});

/** The limits of /v1's public routes, by path; every other route passes untouched. */
export const publicRouteLimits = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "OPTIONS") return next();
  const session = publicRouteSession(c.req.path)?.sessionId;
  if (session) {
    const client = clientOf(c);
    const checks = rules
      .filter((r) => (r.method === null || r.method === c.req.method) && r.path.test(c.req.path))
      .flatMap((r) => r.checks(client, session));
    const verdict = await withinLimits(c.env, checks);
    if (!verdict.ok) throw rateLimited(verdict.retryAfter);
  }
  await next();
});
