// Which web pages may call the API from a browser. Public routes (joining, invitation links,
// cancel links, an org's public listing) and widget tokens answer any page unless the org lists
// its embed origins; API keys answer only this worker's own pages and the org's listed origins. A
// request without an Origin header is not a browser on another site (servers, curl) and is not
// concerned.

import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { orgs, sessions } from "../db/schema";

/** "public": any page unless the org lists some (public routes, widget tokens); "admin": listed pages only (API keys). */
export type OriginPolicy = "public" | "admin";

/** Whether a page at `origin` may call a route of that kind for an org with those embed origins. */
export function originAllowed(
  policy: OriginPolicy,
  origin: string,
  ownOrigin: string,
  embedOrigins: readonly string[] | undefined,
): boolean {
  const wanted = origin.toLowerCase();
  if (wanted === ownOrigin.toLowerCase()) return true;
  if (policy === "public" && !embedOrigins?.length) return true;
  return (embedOrigins ?? []).some((allowed) => allowed.toLowerCase().replace(/\/$/, "") === wanted);
}

// Per-isolate caches. A session never changes org, so that mapping is kept for long; an org's
// origins can change, so they are kept briefly (and dropped at once in the isolate that changed them).
const ORIGINS_TTL_MS = 30_000;
const SESSION_ORG_TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 5_000;

type Entry<T> = { value: T; until: number };
const MISS = Symbol("miss");
const orgOrigins = new Map<string, Entry<string[] | undefined>>();
const sessionOrg = new Map<string, Entry<string | null>>();
const slugOrg = new Map<string, Entry<string | null>>();

function cached<T>(cache: Map<string, Entry<T>>, key: string, now: number): T | typeof MISS {
  const entry = cache.get(key);
  if (entry && entry.until > now) return entry.value;
  return MISS;
}

function remember<T>(cache: Map<string, Entry<T>>, key: string, value: T, until: number): void {
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { value, until });
}

/** The embed origins an org lists (undefined when it lists none). */
export async function embedOriginsOfOrg(database: D1Database, orgId: string, at: Date): Promise<string[] | undefined> {
  const now = at.getTime();
  const hit = cached(orgOrigins, orgId, now);
  if (hit !== MISS) return hit;
  const row = await drizzle(database).select({ settings: orgs.settings }).from(orgs).where(eq(orgs.id, orgId)).get();
  const value = row?.settings.embedOrigins;
  remember(orgOrigins, orgId, value, now + ORIGINS_TTL_MS);
  return value;
}

/** The embed origins of the org a session belongs to, found through the D1 projection. */
export async function embedOriginsOfSession(database: D1Database, sessionId: string, at: Date): Promise<string[] | undefined> {
  const now = at.getTime();
  let orgId = cached(sessionOrg, sessionId, now);
  if (orgId === MISS) {
    const row = await drizzle(database).select({ orgId: sessions.orgId }).from(sessions).where(eq(sessions.id, sessionId)).get();
    orgId = row?.orgId ?? null;
    // An unknown session is looked up again soon: it may just not be projected yet.
    remember(sessionOrg, sessionId, orgId, now + (orgId ? SESSION_ORG_TTL_MS : ORIGINS_TTL_MS));
  }
  return orgId ? embedOriginsOfOrg(database, orgId, at) : undefined;
}

/**
 * The embed origins of the org whose public listing is at `slug`. A slug can be given up and taken
 * by another org, so which org holds it is kept no longer than the origins themselves.
 */
export async function embedOriginsOfSlug(database: D1Database, slug: string, at: Date): Promise<string[] | undefined> {
  const now = at.getTime();
  let orgId = cached(slugOrg, slug, now);
  if (orgId === MISS) {
    const row = await drizzle(database).select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, slug)).get();
    orgId = row?.id ?? null;
    remember(slugOrg, slug, orgId, now + ORIGINS_TTL_MS);
  }
  return orgId ? embedOriginsOfOrg(database, orgId, at) : undefined;
}

/** After an org's settings change: this isolate stops using what it had cached (its slug included). */
export function forgetOrgOrigins(orgId: string): void {
  orgOrigins.delete(orgId);
  for (const [slug, entry] of slugOrg) if (entry.value === orgId) slugOrg.delete(slug);
}
