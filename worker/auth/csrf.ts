// The CSRF token of a signed-in admin session: an HMAC of the session's stored hash, so it needs
// no storage of its own, differs per session, and dies with the session. Every form the hosted
// admin renders carries it; every cookie-authenticated write must send it back.

import { base64url } from "../ids/ids";
import { timingSafeEqual } from "./compare";

const encoder = new TextEncoder();

export async function csrfToken(signingSecret: string, sessionHash: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(`csrf:${signingSecret}`), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(sessionHash))));
}

export async function csrfTokenMatches(signingSecret: string, sessionHash: string, sent: string | undefined): Promise<boolean> {
  const expected = await csrfToken(signingSecret, sessionHash);
  return timingSafeEqual(expected, sent ?? "");
}
