// Widget tokens: short-lived, HMAC-signed, scoped to an org and optionally one session, for the
// admin elements embedded in a provider's own back office. `wt_<payload>.<signature>`.

import { base64url, fromBase64, hmacSha256, hmacSha256Matches } from "../ids/ids";

const encoder = new TextEncoder();
export const MAX_WIDGET_TOKEN_TTL_SECONDS = 24 * 60 * 60;
/** Clocks of two isolates may differ this much; a token's life beyond the maximum by more is refused. */
const CLOCK_SKEW_MS = 60_000;

type Claims = { org: string; ses: string | null; exp: number };

const keyMaterial = (secret: string) => `widget-token:${secret}`;

export async function signWidgetToken(secret: string, orgId: string, sessionId: string | null, expiresAt: Date): Promise<string> {
  const claims: Claims = { org: orgId, ses: sessionId, exp: Math.floor(expiresAt.getTime() / 1000) };
  const payload = base64url(encoder.encode(JSON.stringify(claims)));
  return `wt_${payload}.${base64url(await hmacSha256(keyMaterial(secret), payload))}`;
}

/** The token's scope, or a reason it is refused. */
export async function verifyWidgetToken(
  secret: string,
  token: string,
  now: Date,
): Promise<{ ok: true; orgId: string; sessionId: string | null } | { ok: false; reason: "malformed" | "expired" }> {
  const match = /^wt_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, payload, signature] = match as unknown as [string, string, string];
  try {
    const valid = await hmacSha256Matches(keyMaterial(secret), payload, fromBase64(signature));
    if (!valid) return { ok: false, reason: "malformed" };
    const claims = JSON.parse(new TextDecoder().decode(fromBase64(payload))) as Claims;
    if (claims.exp * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
    // No token is minted to live longer: one that claims to was not made by this worker's rules.
    if (claims.exp * 1000 - now.getTime() > MAX_WIDGET_TOKEN_TTL_SECONDS * 1000 + CLOCK_SKEW_MS) return { ok: false, reason: "malformed" };
    return { ok: true, orgId: claims.org, sessionId: claims.ses };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}
