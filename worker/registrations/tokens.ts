// The secrets that confirm a registrant's address (sessions that confirm by email): a link token
// that locates its session (`<session id>.<192-bit secret>`) and a six-digit code. Only their
// hashes are stored; the email carries them once. The code is hashed with the link's hash, so the
// same code in two registrations never hashes alike.

import { randomSecret, sha256Hex } from "../ids/ids";

export type ConfirmationSecrets = { token: string; tokenHash: string; code: string; codeHash: string };

export const confirmationCodeHash = (tokenHash: string, code: string) => sha256Hex(`confirm:${tokenHash}:${code}`);

/** A fresh link for the session, with `code` (a uniformly random six-digit one-time code). */
export async function newConfirmation(sessionId: string, code: string): Promise<ConfirmationSecrets> {
  const secret = randomSecret(24);
  const tokenHash = await sha256Hex(secret);
  return { token: `${sessionId}.${secret}`, tokenHash, code, codeHash: await confirmationCodeHash(tokenHash, code) };
}
