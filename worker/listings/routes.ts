// /v1/public/orgs/{slug}/sessions: an org's public listing, for anyone, cacheable for a short while.

import { createRoute } from "@hono/zod-openapi";
import { unwrap } from "../errors/problem";
import { router } from "../http/app";
import { jsonResponse, problems } from "../http/openapi";
import { ListingParam, ListingQuery, ListingSchema } from "./schemas";
import { listingOf } from "./service";

/** Seat counts may be this many seconds old in a cache; the element refreshes at the same pace. */
export const LISTING_MAX_AGE = 30;

const listing = createRoute({
  method: "get",
  path: "/public/orgs/{slug}/sessions",
  operationId: "listPublicOrgSessions",
  tags: ["Public"],
  summary: "An org's upcoming listed sessions (no personal data)",
  description:
    "Sessions not yet started, not cancelled and `listed`, in start order, `limit` at a time (at most 50; follow `next`). " +
    "`program` and `tag` narrow the list; `facets` names every program and tag of the listing for filters. " +
    `Cacheable: \`cache-control: public, max-age=${LISTING_MAX_AGE}\` and an ETag (If-None-Match answers 304). ` +
    "A page on another site is answered only if the org lists it in its embed origins (when it lists any), as on its sessions' public routes.",
  security: [],
  request: { params: ListingParam, query: ListingQuery },
  responses: {
    200: jsonResponse(ListingSchema, "A page of the listing"),
    304: { description: "Unchanged since the ETag given in If-None-Match" },
    ...problems("not_found", "origin_not_allowed", "rate_limited"),
  },
});

export const listingRoutes = router().openapi(listing, async (c) => {
  const body = JSON.stringify(unwrap(await listingOf(c.env.DB, c.req.valid("param").slug, c.req.valid("query"), c.var.clock.now())));
  // Hashed here rather than by hono/etag: its 304 drops the Cache-Control set by the route.
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  const etag = `"${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
  const headers = { "cache-control": `public, max-age=${LISTING_MAX_AGE}`, etag };
  const ifNoneMatch = c.req.header("if-none-match");
  if (ifNoneMatch && (ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)))
    return c.body(null, 304, headers);
  return c.newResponse(body, 200, { ...headers, "content-type": "application/json" });
});
