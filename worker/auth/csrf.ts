// The CSRF token of a signed-in admin session: an HMAC of the session's stored hash, so it needs
// no storage of its own, differs per session, and dies with the session. Every form the hosted
// admin renders carries it; every cookie-authenticated write must send it back.

import { base64url, hmacSha256 } from "../ids/ids";
import { timingSafeEqual } from "./compare";

export async function csrfToken(signingSecret: string, sessionHash: string): Promise<string> {
  return base64url(await hmacSha256(`csrf:${signingSecret}`, sessionHash));
}

export async function csrfTokenMatches(signingSecret: string, sessionHash: string, sent: string | undefined): Promise<boolean> {
  const expected = await csrfToken(signingSecret, sessionHash);
  return timingSafeEqual(expected, sent ?? "");
}
