// Invitation link secrets (derived tokens, see ids.ts: "Resend" sends the same link again while
// the ledger keeps only a salt and a hash) and one-time codes.

import { type DerivedToken, derivedToken, newDerivedToken, sha256Hex } from "../ids/ids";
import type { SigningKeys } from "../ids/signing-keys";

export type InvitationToken = DerivedToken;

/** The link of an invitation, derived again from its salt (`tokenHash` picks the key of a salt older than key ids). */
export const invitationToken = (keys: SigningKeys, sessionId: string, salt: string, tokenHash?: string) =>
  derivedToken(keys, "invitation-link", sessionId, salt, tokenHash);

export const newInvitationToken = (keys: SigningKeys, sessionId: string) => newDerivedToken(keys, "invitation-link", sessionId);

/** A uniformly random six-digit code (rejection sampling, no modulo bias). */
export function oneTimeCode(): string {
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  for (;;) {
    const [n] = crypto.getRandomValues(new Uint32Array(1));
    if (n! < limit) return String(n! % 1_000_000).padStart(6, "0");
  }
}

export const hashCode = (invitationId: string, code: string) => sha256Hex(`${invitationId}:${code}`);
