// The one-click links of the minimum's question (sessions/minimum.ts): "run anyway" and "cancel",
// one pair per owner or admin asked. Signed, not stored: HMAC(signing key, session, member,
// answer), so a link names who answers and what, and nobody can make one for another session,
// member or answer. Single use comes from the ledger, which keeps the first answer and refuses
// every later one; the link opens a page whose button answers (a mail scanner decides nothing).

import { timingSafeEqual } from "../auth/compare";
import { base64url, hmacSha256, isSessionId } from "../ids/ids";
import { keyById, type SigningKeys } from "../ids/signing-keys";
import type { MinimumAnswer } from "./minimum";

export type DecisionLink = { sessionId: string; memberId: string; answer: MinimumAnswer };

export const decisionPath = (token: string) => `/admin/decide/${token}`;

const ANSWERS: readonly string[] = ["run", "cancel"] satisfies MinimumAnswer[];

async function mac(secret: string, link: DecisionLink): Promise<string> {
  const bytes = await hmacSha256(`minimum-answer:${secret}`, `${link.sessionId}:${link.memberId}:${link.answer}`);
  return base64url(bytes.slice(0, 24));
}

/** `<session>.<member>.<answer>.<key id>.<mac>`, made with the current signing key. */
export async function decisionToken(keys: SigningKeys, link: DecisionLink): Promise<string> {
  return `${link.sessionId}.${link.memberId}.${link.answer}.${keys.current.id}.${await mac(keys.current.secret, link)}`;
}

/** What a presented token says, when one of our keys signed it; null for anything else. */
export async function readDecisionToken(keys: SigningKeys, token: string): Promise<DecisionLink | null> {
  const parts = token.split(".");
  if (parts.length !== 5) return null;
  const [sessionId, memberId, answer, keyId, presented] = parts as [string, string, string, string, string];
  if (!isSessionId(sessionId) || !/^mem_[0-9a-z]{20}$/.test(memberId) || !ANSWERS.includes(answer)) return null;
  const key = keyById(keys, keyId);
  if (!key) return null;
  const link = { sessionId, memberId, answer: answer as MinimumAnswer };
  return (await timingSafeEqual(presented, await mac(key.secret, link))) ? link : null;
}
