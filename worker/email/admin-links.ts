// The mail that carries the hosted admin's one-time links (auth/links.ts issues them): sign-in
// links, and invitations for a colleague to become a member.

import type { Role } from "../auth/admin-sessions";
import { issueMemberInvite, issueSignInLink, linkPath, membershipsOf, sweepLinks } from "../auth/links";
import { nextQuery, returnPath } from "../auth/return-path";
import { type Outcome, ok } from "../errors/problem";
import { randomSecret } from "../ids/ids";
import { emailKey } from "../recipients/address";
import type { MailMessage } from "./message";
import type { MailQueue } from "./queues";

type Locale = MailMessage["locale"];

function signInMail(to: string, locale: Locale, link: string, expiresAt: string, orgName: string): MailMessage<"sign_in"> {
  return { id: `msg_${randomSecret(12)}`, template: "sign_in", to, locale, data: { link, expiresAt, orgName } };
}

/**
 * Emails a sign-in link for each org the address is a member of, and nothing when it is none:
 * the caller answers the same either way, and runs this after answering.
 */
export async function emailSignInLinks(
  database: D1Database,
  queue: MailQueue,
  input: { email: string; baseUrl: string; locale: Locale; next?: string | null },
  now: Date,
): Promise<number> {
  const email = emailKey(input.email);
  const memberships = await membershipsOf(database, email);
  // The page asked for before signing in rides in the link, checked again when the link is used.
  const next = nextQuery(returnPath(input.next));
  for (const m of memberships) {
    const { token, expiresAt } = await issueSignInLink(database, { orgId: m.orgId, email }, now);
    await queue.send(signInMail(email, input.locale, input.baseUrl + linkPath(token) + next, expiresAt, m.orgName));
  }
  await sweepLinks(database, now); // while here
  return memberships.length;
}

/** Invites an address to become a member of the org with a role; refused when it already is a member. */
export async function emailMemberInvite(
  database: D1Database,
  queue: MailQueue,
  input: { orgId: string; orgName: string; email: string; role: Role; invitedBy: string | null; baseUrl: string; locale: Locale },
  now: Date,
): Promise<Outcome<{ email: string; role: Role; expiresAt: string }>> {
  const email = emailKey(input.email);
  const issued = await issueMemberInvite(database, { orgId: input.orgId, email, invitedBy: input.invitedBy, role: input.role }, now);
  if (!issued.ok) return issued;
  const { token, expiresAt } = issued.value;
  // The sign-in mail says "sign in to <org>", which is what accepting does.
  await queue.send(signInMail(email, input.locale, input.baseUrl + linkPath(token), expiresAt, input.orgName));
  return ok({ email, role: input.role, expiresAt });
}
