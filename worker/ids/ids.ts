// Identifiers and secrets. Every random value comes from the platform CSPRNG.
//
// Child ids (registrations, invitations) carry their session's random part, so a route given
// `reg_…` reaches the right ledger without a lookup: `reg_<session part>_<own part>`.

import type { SigningKeys } from "./signing-keys";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

function randomBase32(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}

const SESSION_PART = 20; // 100 bits
const CHILD_PART = 10; // 50 bits, unique within one session

export type IdPrefix = "org" | "key" | "mem" | "chg" | "con" | "grp" | "prg" | "job" | "pml" | "dsc" | "whe" | "whd";

export const newId = (prefix: IdPrefix) => `${prefix}_${randomBase32(20)}`;
export const newSessionId = () => `ses_${randomBase32(SESSION_PART)}`;

const sessionIdPattern = new RegExp(`^ses_[${ALPHABET}]{${SESSION_PART}}$`);
const childIdPattern = new RegExp(`^(reg|inv)_([${ALPHABET}]{${SESSION_PART}})_[${ALPHABET}]{${CHILD_PART}}$`);

export const isSessionId = (id: string) => sessionIdPattern.test(id);

export function newChildId(kind: "reg" | "inv", sessionId: string): string {
  return `${kind}_${sessionId.slice(4)}_${randomBase32(CHILD_PART)}`;
}

/** The session a registration or invitation id belongs to, or null when the id is not one of ours. */
export function sessionOfChild(kind: "reg" | "inv", id: string): string | null {
  const match = childIdPattern.exec(id);
  return match && match[1] === kind ? `ses_${match[2]}` : null;
}

/** Bytes as standard base64 (MIME attachments). Chunked: spreading a large array overflows the stack. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Bytes as base64url without padding (RFC 4648 §5): the one encoding of every token and secret. */
export const base64url = (bytes: Uint8Array) => base64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** The bytes of base64 or base64url text, padded or not; throws on anything else. */
export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));
}

/** A URL-safe secret of `bytes` random bytes (24 bytes = 192 bits). */
export function randomSecret(bytes = 24): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The SHA-256 digest of a string's UTF-8 bytes. */
export async function sha256(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)));
}

export async function sha256Hex(value: string): Promise<string> {
  return [...(await sha256(value))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Tokens that locate their session: `<session id>.<secret>`. Only the secret's hash is stored.
 * Returns null for anything that is not shaped like one, so callers answer 404 without a lookup.
 */
export function parseSessionToken(token: string): { sessionId: string; secret: string } | null {
  const dot = token.indexOf(".");
  if (dot < 0) return null;
  const sessionId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!isSessionId(sessionId) || !/^[A-Za-z0-9_-]{32,64}$/.test(secret)) return null;
  return { sessionId, secret };
}

/**
 * Link secrets the ledger can give again without keeping them: HMAC(signing key, purpose, a
 * random salt). The ledger stores the salt and the SHA-256 of the secret, never the secret, so a
 * copy of its storage alone opens nothing, while "Resend" (or a retried request) can still hand
 * out the very same link. Tokens read `<session id>.<192-bit secret>`.
 *
 * A salt names the signing key that made the link (`<key id>.<random>`), so the link is derived
 * again under that key after the secret is rotated. A salt from before keys had ids names none:
 * its key is the one whose link matches the stored hash.
 */
export type DerivedToken = { salt: string; token: string; secretHash: string };
export type TokenPurpose = "invitation-link" | "manage";

const hmacKeys = new Map<string, Promise<CryptoKey>>();

/** Imported once per purpose and secret: importing a key costs more than using it. */
function hmacKey(material: string): Promise<CryptoKey> {
  let key = hmacKeys.get(material);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(material), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    hmacKeys.set(material, key);
  }
  return key;
}

/** HMAC-SHA-256 of `message` under the key `material` (a purpose and a secret, e.g. `csrf:<secret>`). */
export async function hmacSha256(material: string, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(material), new TextEncoder().encode(message)));
}

/** Whether `mac` is the HMAC-SHA-256 of `message` under `material` (compared in constant time by the platform). */
export async function hmacSha256Matches(material: string, message: string, mac: Uint8Array): Promise<boolean> {
  return crypto.subtle.verify("HMAC", await hmacKey(material), mac, new TextEncoder().encode(message));
}

async function deriveUnder(secret: string, purpose: TokenPurpose, sessionId: string, salt: string): Promise<DerivedToken> {
  const mac = await hmacSha256(`${purpose}:${secret}`, salt);
  const token = base64url(mac.slice(0, 24)); // 24 bytes: 32 characters, no padding to drop
  return { salt, token: `${sessionId}.${token}`, secretHash: await sha256Hex(token) };
}

/** The link a salt makes, under the key the salt names (or, for an older salt, the key whose link has `storedHash`). */
export async function derivedToken(
  keys: SigningKeys,
  purpose: TokenPurpose,
  sessionId: string,
  salt: string,
  storedHash?: string,
): Promise<DerivedToken> {
  const dot = salt.indexOf(".");
  if (dot > 0) {
    const key = keys.all.find((k) => k.id === salt.slice(0, dot));
    if (!key) console.error(`a ${purpose} link of ${sessionId} was made with a signing secret no longer configured`);
    return deriveUnder((key ?? keys.current).secret, purpose, sessionId, salt);
  }
  if (storedHash) {
    for (const key of keys.all) {
      const derived = await deriveUnder(key.secret, purpose, sessionId, salt);
      if (derived.secretHash === storedHash) return derived;
    }
  }
  return deriveUnder(keys.current.secret, purpose, sessionId, salt);
}

/** A new link, made with the current signing key. */
export const newDerivedToken = (keys: SigningKeys, purpose: TokenPurpose, sessionId: string) =>
  derivedToken(keys, purpose, sessionId, `${keys.current.id}.${randomSecret(16)}`);

/** The stored hash a presented token must match, or null when it is not shaped like one of ours. */
export async function presentedHash(token: string): Promise<string | null> {
  const parsed = parseSessionToken(token);
  return parsed ? sha256Hex(parsed.secret) : null;
}
