// Invitation link secrets and one-time codes.
//
// The link secret is HMAC(signing key, per-invitation random salt): the ledger stores the salt
// and the SHA-256 of the secret, never the secret. That lets "Resend" send the same link again
// while a copy of the storage alone reveals no working link.

import { randomSecret, sha256Hex } from "../ids/ids";

const encoder = new TextEncoder();
const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

async function hmac(signingSecret: string, message: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(`invitation-link:${signingSecret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

export type InvitationToken = { salt: string; token: string; secretHash: string };

/** The link token of an invitation: `<session id>.<192-bit secret>`. */
export async function invitationToken(signingSecret: string, sessionId: string, salt: string): Promise<InvitationToken> {
  const secret = b64url((await hmac(signingSecret, salt)).slice(0, 24));
  return { salt, token: `${sessionId}.${secret}`, secretHash: await sha256Hex(secret) };
}

export async function newInvitationToken(signingSecret: string, sessionId: string): Promise<InvitationToken> {
  return invitationToken(signingSecret, sessionId, randomSecret(16));
}

/** A uniformly random six-digit code (rejection sampling, no modulo bias). */
export function oneTimeCode(): string {
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  for (;;) {
    const [n] = crypto.getRandomValues(new Uint32Array(1));
    if (n! < limit) return String(n! % 1_000_000).padStart(6, "0");
  }
}

export const hashCode = (invitationId: string, code: string) => sha256Hex(`${invitationId}:${code}`);
