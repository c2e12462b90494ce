// A person's data inside one ledger transaction: exporting it, erasing it, and the retention purge.
// load → decide (privacy/rules.ts) → apply (the store's writes, promoteWaitlist). Synchronous,
// like everything a transaction runs.

import {
  erasedInvitation,
  erasedRegistration,
  invitationErasure,
  invitationPurgeDue,
  registrationErasure,
  registrationPurgeDue,
} from "../privacy/rules";
import type { PersonInSession, PurgeCounts, SessionErasure } from "../privacy/schemas";
import { emailKey } from "../recipients/address";
import { promoteWaitlist } from "./moves";
import type { LedgerStore } from "./store";
import { endsAt, registrationView, type SessionRecord } from "./views";

/** Everything this session holds about one address: its registrations and invitations, as stored. */
export function personRecords(store: LedgerStore, s: SessionRecord, email: string, now: Date): PersonInSession {
  const key = emailKey(email);
  return {
    session: { id: s.id, title: s.title, startsAt: s.startsAt, endsAt: endsAt(s), timeZone: s.timeZone, status: s.status },
    registrations: store.registrationsWithKey(key).map((r) => ({
      ...registrationView(s.id, r, store.waitlistPosition(r)),
      locale: r.locale,
      cancelledBy: r.cancelledBy,
    })),
    invitations: store.invitationsWithKey(key).map((r) => store.invitationView(r, now)),
  };
}

/**
 * Erases one address from this session: its registrations keep their status (and seat), its
 * invitations lose the person and, while still pending, are cancelled without a word; emails to
 * it not yet handed to the queue are dropped, and so are the answers kept for retried sign-ups.
 * A second erasure finds nothing left to erase.
 */
export function erasePerson(store: LedgerStore, s: SessionRecord, email: string, now: Date): SessionErasure {
  const key = emailKey(email);
  const registrations = store.registrationsWithKey(key);
  const invitations = store.invitationsWithKey(key);
  const addresses = [...new Set([...registrations, ...invitations].map((r) => r.email))];
  let erasedRegistrations = 0;
  for (const r of registrations) {
    const next = registrationErasure(r, now);
    if (!next) continue;
    store.updateRegistration(r, next);
    erasedRegistrations++;
  }
  let erasedInvitations = 0;
  let cancelledInvitations = 0;
  for (const i of invitations) {
    const erasure = invitationErasure(i, now);
    if (!erasure) continue;
    store.updateInvitation(i, erasure.next);
    erasedInvitations++;
    if (erasure.cancelled) cancelledInvitations++;
  }
  if (cancelledInvitations) promoteWaitlist(store, now);
  store.forgetMailTo(addresses);
  store.forgetAnswersAbout(registrations.map((r) => r.id));
  return {
    sessionId: s.id,
    registrations: erasedRegistrations,
    invitations: erasedInvitations,
    invitationsCancelled: cancelledInvitations,
  };
}

/** The retention purge of this session at `cutoff` (an ISO instant): what privacy/rules.ts says is due. */
export function purgeBefore(store: LedgerStore, s: SessionRecord, cutoff: string, now: Date): PurgeCounts {
  const ends = endsAt(s);
  const purged = new Set<string>();
  for (const r of store.registrations()) {
    if (!registrationPurgeDue(r, ends, cutoff)) continue;
    store.updateRegistration(r, erasedRegistration(r, now));
    purged.add(r.id);
  }
  let invitations = 0;
  for (const i of store.invitations()) {
    const registrationPurged = i.registrationId !== null && purged.has(i.registrationId);
    if (!invitationPurgeDue(i, ends, cutoff, registrationPurged)) continue;
    // The status stays: due invitations are closed, or belong to a session long over.
    store.updateInvitation(i, erasedInvitation(i, now));
    invitations++;
  }
  store.forgetAnswersAbout([...purged]);
  return { registrations: purged.size, invitations };
}
