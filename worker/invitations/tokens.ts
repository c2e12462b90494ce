// Invitation link secrets (derived tokens, see ids.ts: "Resend" sends the same link again while
// the ledger keeps only a salt and a hash) and one-time codes.

import { type DerivedToken, derivedToken, newDerivedToken, sha256Hex } from "../ids/ids";

export type InvitationToken = DerivedToken;

export const invitationToken = (signingSecret: string, sessionId: string, salt: string) =>
  derivedToken(signingSecret, "invitation-link", sessionId, salt);

export const newInvitationToken = (signingSecret: string, sessionId: string) =>
  newDerivedToken(signingSecret, "invitation-link", sessionId);

/** A uniformly random six-digit code (rejection sampling, no modulo bias). */
export function oneTimeCode(): string {
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  for (;;) {
    const [n] = crypto.getRandomValues(new Uint32Array(1));
    if (n! < limit) return String(n! % 1_000_000).padStart(6, "0");
  }
}

export const hashCode = (invitationId: string, code: string) => sha256Hex(`${invitationId}:${code}`);
