// CORS for /v1. The browser's preflight carries no credentials, so it cannot tell whose admin
// route is being called: admin preflights are answered for any page, and the auth middleware
// refuses the real request from a page the org has not listed (`origin_not_allowed`). Public
// routes name their session in the path, so both the preflight and the request are checked here.

import { createMiddleware } from "hono/factory";
import { ProblemError } from "../errors/problem";
import type { AppEnv } from "../http/context";
import { parseSessionToken } from "../ids/ids";
import { embedOriginsOfSession, originAllowed } from "./origins";

const ALLOW_HEADERS = "authorization, content-type, idempotency-key";
const ALLOW_METHODS = "GET, POST, PATCH, OPTIONS";
const EXPOSE_HEADERS = "retry-after";

/** The session a public route is about, or null for routes that are not public. */
export function publicRouteSession(path: string): { sessionId: string | null } | null {
  const session = /^\/v1\/public\/sessions\/([^/]+)/.exec(path);
  if (session) return { sessionId: session[1]! };
  const link = /^\/v1\/(?:invites|manage)\/([^/]+)/.exec(path);
  if (link) return { sessionId: parseSessionToken(decodeURIComponent(link[1]!))?.sessionId ?? null };
  return null;
}

export const refusedOrigin = () =>
  new ProblemError({
    code: "origin_not_allowed",
    detail: "This organisation does not allow calls from that web page. Add its origin to the organisation's embed origins.",
  });

export const corsPolicy = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header("origin");
  if (!origin) return next();
  const publicRoute = publicRouteSession(c.req.path);
  if (publicRoute) {
    const own = new URL(c.req.url).origin;
    const embedOrigins = publicRoute.sessionId
      ? await embedOriginsOfSession(c.env.DB, publicRoute.sessionId, c.var.clock.now())
      : undefined;
    if (!originAllowed("public", origin, own, embedOrigins)) throw refusedOrigin();
  }
  if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
    return new Response(null, {
      status: 204,
      headers: {
        "access-control-allow-origin": origin,
        "access-control-allow-methods": ALLOW_METHODS,
        "access-control-allow-headers": ALLOW_HEADERS,
        "access-control-max-age": "600",
        vary: "Origin",
      },
    });
  }
  await next();
  // A refused page gets no permission to read the refusal. Every other answer, errors included,
  // may be read: admin data only ever reaches here after the auth middleware accepted the origin.
  if (c.error instanceof ProblemError && c.error.failure.code === "origin_not_allowed") return;
  c.res = new Response(c.res.body, c.res);
  c.res.headers.set("access-control-allow-origin", origin);
  c.res.headers.set("access-control-expose-headers", EXPOSE_HEADERS);
  c.res.headers.append("vary", "Origin");
});
