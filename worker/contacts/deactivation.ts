// Deactivation as plain decisions: when a contact is due, and what it changes in one session. The
// ledger (ledger/deactivation.ts) loads the address's records, asks here, and applies the moves;
// the directory (service.ts) finds the sessions and marks the contact afterwards.

import { effectiveStatus } from "../invitations/lifecycle";
import { type InvitationStatus, isPending } from "../invitations/statuses";
import { ACTIVE_REGISTRATION_STATUSES, type RegistrationStatus } from "../registrations/statuses";
import type { SessionStatus } from "../sessions/statuses";

/** Whether a contact's deactivation date has come (an active contact whose `deactivateAt` is not after `now`). */
export function deactivationDue(contact: { status: "active" | "deactivated"; deactivateAt: string | null }, now: Date): boolean {
  return contact.status === "active" && contact.deactivateAt !== null && Date.parse(contact.deactivateAt) <= now.getTime();
}

/** What deactivating an address changed in one session (the ledger's answer). */
export type SessionDeactivation = { sessionId: string; invitationsCancelled: number; registrationsCancelled: number };

type Invitation = { status: InvitationStatus; expiresAt: string | null };
type Registration = { status: RegistrationStatus };

export type DeactivationMoves<I, R> = {
  /** Pending invitations to cancel (their held seats go back). */
  cancelInvitations: I[];
  /** Of those, the ones already in the person's hands: they are told (the usual invitation_cancelled email). */
  tell: I[];
  /** Registrations to cancel, each with the usual cancellation email. */
  cancelRegistrations: R[];
};

/**
 * What deactivating a person changes in one session. A cancelled session has nothing left open.
 * Invitations still awaiting an answer are cancelled while the session has not ended; registrations
 * (a seat, a place on the waitlist, a hold awaiting confirmation) only while it has not started: a
 * session under way or over keeps who came. Answered invitations, and everything of a past
 * session, stay as history. Decided again on records already moved, it moves nothing.
 */
export function deactivationMoves<I extends Invitation, R extends Registration>(args: {
  session: { status: SessionStatus; startsAt: string; endsAt: string };
  invitations: I[];
  registrations: R[];
  now: Date;
}): DeactivationMoves<I, R> {
  const { session, now } = args;
  const at = now.getTime();
  if (session.status === "cancelled") return { cancelInvitations: [], tell: [], cancelRegistrations: [] };
  const ended = Date.parse(session.endsAt) <= at;
  const started = Date.parse(session.startsAt) <= at;
  const cancelInvitations = ended ? [] : args.invitations.filter((i) => isPending(effectiveStatus(i, now)));
  const cancelRegistrations = started
    ? []
    : args.registrations.filter((r) => (ACTIVE_REGISTRATION_STATUSES as readonly string[]).includes(r.status));
  return { cancelInvitations, tell: cancelInvitations.filter((i) => i.status === "sent"), cancelRegistrations };
}
