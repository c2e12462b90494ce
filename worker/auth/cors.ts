// CORS for /v1. A preflight only asks whether the real request may be sent, and carries no
// credentials: every preflight is answered, and the real request is where a page is refused
// (`origin_not_allowed`): here for the public routes, which name their session (or, for an org's
// public listing, its slug) in the path, and in the auth middleware for the admin routes. The
// refusal itself is readable by the refused page (its own origin in Access-Control-Allow-Origin,
// never credentials), so that the element on it can say what to change rather than "check your
// connection"; it names only that page's origin.

import { createMiddleware } from "hono/factory";
import { ProblemError, problemResponse } from "../errors/problem";
import type { AppEnv } from "../http/context";
import { editHeaders } from "../http/headers";
import { parseSessionToken } from "../ids/ids";
import { embedOriginsOfSession, embedOriginsOfSlug, originAllowed } from "./origins";

const ALLOW_HEADERS = "authorization, content-type, idempotency-key";
const ALLOW_METHODS = "GET, POST, PATCH, OPTIONS";
const EXPOSE_HEADERS = "retry-after";

/**
 * A path segment decoded, or null when its percent-escapes are not UTF-8 (`%E0%A4%A`, a link cut
 * short): decodeURIComponent throws on those, and such a token names no session.
 */
function decodedSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The session a public route is about, or null for routes that are not public. */
export function publicRouteSession(path: string): { sessionId: string | null } | null {
  const session = /^\/v1\/public\/sessions\/([^/]+)/.exec(path);
  if (session) return { sessionId: session[1]! };
  const link = /^\/v1\/(?:invites|manage)\/([^/]+)/.exec(path);
  if (link) {
    const token = decodedSegment(link[1]!);
    return { sessionId: (token && parseSessionToken(token)?.sessionId) ?? null };
  }
  return null;
}

/**
 * The org slug of its public listing's route (/v1/public/orgs/{slug}/sessions, which the sessions
 * element reads), or null for any other path: refused like its sessions' routes.
 */
export function publicListingSlug(path: string): string | null {
  const listing = /^\/v1\/public\/orgs\/([^/]+)\/sessions$/.exec(path);
  return listing ? decodedSegment(listing[1]!) : null;
}

/**
 * The sentence the settings page's help, the README and the element all say: which site was
 * refused, and where an owner adds it.
 */
export const refusedOrigin = (origin: string) =>
  new ProblemError({
    code: "origin_not_allowed",
    detail:
      `This site (${origin}) is not in the organisation's allowed origins. ` +
      "An owner adds it under Settings, Allowed embed origins, in the hosted admin (or settings.embedOrigins of PATCH /v1/org).",
    extra: { origin },
  });

/** A refusal the refused page may read: its origin allowed for this answer only, no credentials. */
function readableRefusal(origin: string): Response {
  const refusal = refusedOrigin(origin);
  return problemResponse(refusal.failure, { "access-control-allow-origin": origin, vary: "Origin" });
}

export const corsPolicy = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header("origin");
  if (!origin) return next();
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
  const publicRoute = publicRouteSession(c.req.path);
  const listingSlug = publicRoute ? null : publicListingSlug(c.req.path);
  if (publicRoute || listingSlug !== null) {
    const own = new URL(c.req.url).origin;
    const now = c.var.clock.now();
    const embedOrigins = publicRoute?.sessionId
      ? await embedOriginsOfSession(c.env.DB, publicRoute.sessionId, now)
      : listingSlug
        ? await embedOriginsOfSlug(c.env.DB, listingSlug, now)
        : undefined;
    if (!originAllowed("public", origin, own, embedOrigins)) return readableRefusal(origin);
  }
  await next();
  // Every answer may be read by the page, errors included: admin data only ever reaches here after
  // the auth middleware accepted the origin, and its refusal says nothing but the page's origin.
  if (c.error instanceof ProblemError && c.error.failure.code === "origin_not_allowed") {
    c.res = readableRefusal(origin);
    return;
  }
  editHeaders(c, (headers) => {
    headers.set("access-control-allow-origin", origin);
    headers.set("access-control-expose-headers", EXPOSE_HEADERS);
    headers.append("vary", "Origin");
  });
});
