// A deactivated person inside one ledger transaction: load (the address's records) → decide
// (contacts/deactivation.ts) → apply (moves.ts: invitations closed, registrations cancelled with
// their emails, the waitlist moved up). Synchronous, like everything a transaction runs.

import { deactivationMoves, type SessionDeactivation } from "../contacts/deactivation";
import { emailKey } from "../recipients/address";
import { cancelRegistration, closeInvitation, promoteWaitlist } from "./moves";
import type { LedgerStore } from "./store";
import { endsAt, type SessionRecord } from "./views";

/**
 * Cancels what the address still has open in this session (deactivationMoves decides): pending
 * invitations (those sent are told), and registrations to a session not yet started, each told as
 * when the provider cancels one. A second run finds nothing open and changes nothing.
 */
export function deactivatePerson(store: LedgerStore, s: SessionRecord, email: string, now: Date): SessionDeactivation {
  const key = emailKey(email);
  const { cancelInvitations, cancelRegistrations } = deactivationMoves({
    session: { status: s.status, startsAt: s.startsAt, endsAt: endsAt(s) },
    invitations: store.invitationsWithKey(key),
    registrations: store.registrationsWithKey(key),
    now,
  });
  // An address has one live registration per session: cancelling it moves the waitlist up once.
  for (const r of cancelRegistrations) cancelRegistration(store, r, "provider", now);
  // closeInvitation emails only an invitation already sent (the person has it in hand).
  for (const inv of cancelInvitations) closeInvitation(store, inv, "cancelled", now);
  if (cancelInvitations.length) promoteWaitlist(store, now);
  return { sessionId: s.id, invitationsCancelled: cancelInvitations.length, registrationsCancelled: cancelRegistrations.length };
}
