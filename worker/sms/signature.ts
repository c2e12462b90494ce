// Twilio's request signature (X-Twilio-Signature): HMAC-SHA1, keyed with the account's auth
// token, over the full URL Twilio called followed by each POST parameter's name and value, sorted
// by name; base64. Checked with WebCrypto and compared in constant time.

import { timingSafeEqual } from "../auth/compare";

const encoder = new TextEncoder();

/** The signature Twilio sends for a POST of `params` to `url`. */
export async function twilioSignature(authToken: string, url: string, params: Iterable<[string, string]>): Promise<string> {
  const sorted = [...params].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const payload = url + sorted.map(([name, value]) => name + value).join("");
  const key = await crypto.subtle.importKey("raw", encoder.encode(authToken), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(payload)));
  return btoa(String.fromCharCode(...mac));
}

/** Whether `signature` is Twilio's for this request, under the auth token. */
export async function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
  signature: string | null | undefined,
): Promise<boolean> {
  if (!signature || !authToken) return false;
  return timingSafeEqual(await twilioSignature(authToken, url, params), signature);
}
