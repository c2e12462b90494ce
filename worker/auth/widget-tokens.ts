// Widget tokens: short-lived, HMAC-signed, for the admin elements embedded in a provider's own back
// office. A token names its org, optionally one session, the scopes it grants (http/context.ts),
// where it came from (the API key or the member that minted it: it ends with them) and the signing
// key that signed it: `wt_<payload>.<signature>`.

import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys, members, orgs, sessionHosts } from "../db/schema";
import { type TokenMember, WIDGET_SCOPES, type WidgetScope } from "../http/context";
import { base64url, fromBase64, hmacSha256, hmacSha256Matches } from "../ids/ids";
import { keyById, type SigningKey, type SigningKeys } from "../ids/signing-keys";

const encoder = new TextEncoder();
export const MAX_WIDGET_TOKEN_TTL_SECONDS = 24 * 60 * 60;
/** The elements fetch a new token from their `token-url` before this runs out. */
export const DEFAULT_WIDGET_TOKEN_TTL_SECONDS = 15 * 60;
/** Clocks of two isolates may differ this much; a token's life beyond the maximum by more is refused. */
const CLOCK_SKEW_MS = 60_000;

/**
 * What a token lets its bearer do, and who it came from: `source` is the id of the API key
 * (`key_…`) or of the member (`mem_…`) that minted it.
 */
export type WidgetGrant = { orgId: string; sessionId: string | null; scopes: readonly WidgetScope[]; source: string };

/** kid: the signing key's id; scp: the scopes; src: the key or member; exp: seconds since the epoch. */
type Claims = { kid: string; org: string; ses: string | null; scp: WidgetScope[]; src: string; exp: number };

const SOURCE = /^(key|mem)_[0-9a-z]{20}$/;

const keyMaterial = (key: SigningKey) => `widget-token:${key.secret}`;

function claimsOf(value: unknown): Claims | null {
  const c = value as Partial<Claims> | null;
  const valid =
    typeof c === "object" &&
    c !== null &&
    typeof c.kid === "string" &&
    typeof c.org === "string" &&
    (c.ses === null || typeof c.ses === "string") &&
    Array.isArray(c.scp) &&
    c.scp.every((s) => WIDGET_SCOPES.includes(s)) &&
    typeof c.src === "string" &&
    SOURCE.test(c.src) &&
    Number.isSafeInteger(c.exp);
  return valid ? (c as Claims) : null;
}

export async function signWidgetToken(keys: SigningKeys, grant: WidgetGrant, expiresAt: Date): Promise<string> {
  const claims: Claims = {
    kid: keys.current.id,
    org: grant.orgId,
    ses: grant.sessionId,
    scp: WIDGET_SCOPES.filter((s) => grant.scopes.includes(s)),
    src: grant.source,
    exp: Math.floor(expiresAt.getTime() / 1000),
  };
  const payload = base64url(encoder.encode(JSON.stringify(claims)));
  return `wt_${payload}.${base64url(await hmacSha256(keyMaterial(keys.current), payload))}`;
}

/** What the token grants, or a reason it is refused. */
export async function verifyWidgetToken(
  keys: SigningKeys,
  token: string,
  now: Date,
): Promise<({ ok: true } & WidgetGrant) | { ok: false; reason: "malformed" | "expired" }> {
  const match = /^wt_([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, payload, signature] = match as unknown as [string, string, string];
  try {
    // The key id is read before the signature is checked, only to know which key to check it with.
    const unverified = claimsOf(JSON.parse(new TextDecoder().decode(fromBase64(payload))));
    const key = unverified && keyById(keys, unverified.kid);
    if (!key || !(await hmacSha256Matches(keyMaterial(key), payload, fromBase64(signature)))) return { ok: false, reason: "malformed" };
    const claims = unverified;
    if (claims.exp * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
    // No token is minted to live longer: one that claims to was not made by this worker's rules.
    if (claims.exp * 1000 - now.getTime() > MAX_WIDGET_TOKEN_TTL_SECONDS * 1000 + CLOCK_SKEW_MS) return { ok: false, reason: "malformed" };
    return { ok: true, orgId: claims.org, sessionId: claims.ses, scopes: claims.scp, source: claims.src };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}

/**
 * Whether the key or member a token came from still stands (an unrevoked key, or a member, of the
 * org): null when not; for a member, their role now, the org's settings for hosts and who hosts the
 * token's session now, so that a changed role, setting or host takes effect at once.
 */
export async function widgetTokenSource(database: D1Database, grant: WidgetGrant): Promise<{ member?: TokenMember } | null> {
  const db = drizzle(database);
  if (grant.source.startsWith("key_")) {
    const key = await db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, grant.source), eq(apiKeys.orgId, grant.orgId), isNull(apiKeys.revokedAt)))
      .get();
    return key ? {} : null;
  }
  const row = await db
    .select({ role: members.role, settings: orgs.settings, sessionHostMemberId: sessionHosts.memberId })
    .from(members)
    .innerJoin(orgs, eq(orgs.id, members.orgId))
    .leftJoin(sessionHosts, and(eq(sessionHosts.sessionId, grant.sessionId ?? ""), eq(sessionHosts.orgId, grant.orgId)))
    .where(and(eq(members.id, grant.source), eq(members.orgId, grant.orgId)))
    .get();
  if (!row) return null;
  const { hostsCanCreateSessions, hostsCanInvite } = row.settings;
  return {
    member: {
      memberId: grant.source,
      role: row.role,
      settings: { hostsCanCreateSessions, hostsCanInvite },
      sessionHostMemberId: row.sessionHostMemberId ?? null,
    },
  };
}
