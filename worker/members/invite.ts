// Inviting someone to become a member: the rule (members/members.ts) and the emailed one-time link
// (email/admin-links.ts), called alike by the hosted admin and by `POST /v1/members`.

import type { Role } from "../auth/admin-sessions";
import { emailMemberInvite } from "../email/admin-links";
import type { MailMessage } from "../email/message";
import type { MailQueue } from "../email/queues";
import type { Outcome } from "../errors/problem";
import { memberInviteRefusal } from "./members";

export type MemberInvite = {
  orgId: string;
  orgName: string;
  email: string;
  role: Role;
  /** Who invites: their role decides what they may give; `memberId` is null for an org's own key. */
  by: { role: Role; memberId: string | null };
  /** The worker's own origin, where the link lands. */
  baseUrl: string;
  locale: MailMessage["locale"];
};

/** Emails `email` a 72-hour link that makes them a member with `role`, or says why not. */
export async function inviteMember(
  database: D1Database,
  queue: MailQueue,
  input: MemberInvite,
  now: Date,
): Promise<Outcome<{ email: string; role: Role; expiresAt: string }>> {
  const refusal = memberInviteRefusal(input.by.role, input.role);
  if (refusal) return { ok: false, error: refusal };
  const { by, ...rest } = input;
  return emailMemberInvite(database, queue, { ...rest, invitedBy: by.memberId }, now);
}
