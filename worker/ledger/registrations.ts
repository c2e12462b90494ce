// Registrations inside one ledger transaction: load → decide (registrations/decide.ts) → apply
// (moves.ts). Synchronous, like everything a transaction runs.

import { fail, type Outcome, ok } from "../errors/problem";
import type { DerivedToken } from "../ids/ids";
import { decideProviderRegistration, decidePublicRegistration, manageLinkDue } from "../registrations/decide";
import type { ProviderRegistrationInput, PublicRegistrationInput, RegistrationView } from "../registrations/schemas";
import type { CancelledBy } from "../registrations/statuses";
import { seatsOf } from "../sessions/seats";
import { idempotencyCutoff } from "./idempotency";
import { addRegistration, cancelRegistration, closeInvitation, raiseCapacity } from "./moves";
import type { Actor, LedgerStore } from "./store";
import { type RegistrationRecord, type RegistrationResult, type Roster, registrationView, type SessionRecord } from "./views";

/**
 * A member of the public registers. With an idempotency key, the same key and body give the same
 * answer without a second registration; the same key with another body is refused. Refusals are
 * remembered too: a retry gets the same answer, not a second try. The cancel link is not kept: the
 * ledger derives it again from the registration's salt.
 */
export function registerPublic(
  store: LedgerStore,
  s: SessionRecord,
  input: PublicRegistrationInput,
  manage: DerivedToken,
  idempotency: { key: string; requestHash: string } | null,
  now: Date,
): Outcome<RegistrationResult> {
  if (idempotency) {
    const seen = store.idempotencyRecord(idempotency.key);
    // A key is remembered for a day; an older record may not have been purged yet.
    if (seen && seen.createdAt > idempotencyCutoff(now)) {
      if (seen.requestHash !== idempotency.requestHash) {
        return fail("idempotency_conflict", "This Idempotency-Key was already used with a different request.");
      }
      return seen.response as Outcome<RegistrationResult>;
    }
  }
  const outcome = registerNow(store, s, input, manage, now);
  if (idempotency) {
    const response = outcome.ok ? { ...outcome, value: { ...outcome.value, manageToken: "" } } : outcome;
    store.rememberAnswer(idempotency.key, { requestHash: idempotency.requestHash, response, createdAt: now.toISOString() });
  }
  return outcome;
}

function registerNow(store: LedgerStore, s: SessionRecord, input: PublicRegistrationInput, manage: DerivedToken, now: Date) {
  const already = store.liveRegistration(input.email) !== undefined;
  const decision = decidePublicRegistration(s, seatsOf(s, store.counts()), input, already, now);
  if (!decision.ok) return decision;
  const { status, source } = decision.value;
  const registration = addRegistration(
    store,
    { name: input.name, email: input.email, status, source, answers: input.answers ?? null, locale: input.locale ?? "en", manage },
    now,
  );
  // Someone invited who registered on the public page instead: their invitation is answered, and
  // the seat it held goes back (they took a public one). On the waitlist, the invitation stays:
  // following its link later moves them into the held seat.
  const invitation = status === "confirmed" ? store.pendingInvitation(input.email, now) : undefined;
  if (invitation) closeInvitation(store, invitation, "accepted", now, registration.id);
  return ok({ registration: store.registrationView(registration), manageToken: manage.token });
}

/** The provider places a participant directly, raising the capacity only when told to. */
export function addByProvider(
  store: LedgerStore,
  s: SessionRecord,
  input: ProviderRegistrationInput,
  manage: DerivedToken,
  actor: Actor,
  now: Date,
): Outcome<RegistrationView & { capacityRaisedBy: number }> {
  const already = store.liveRegistration(input.email) !== undefined;
  const decision = decideProviderRegistration(s, seatsOf(s, store.counts()), already, input.allowOverCapacity);
  if (!decision.ok) return decision;
  const { raiseBy } = decision.value;
  if (raiseBy > 0) raiseCapacity(store, s, raiseBy, actor, "participant added by the provider", now);
  const registration = addRegistration(
    store,
    { name: input.name, email: input.email, status: "confirmed", source: "provider", answers: null, locale: input.locale ?? "en", manage },
    now,
  );
  return ok({ ...store.registrationView(registration), capacityRaisedBy: raiseBy });
}

/** Cancels the registration found (the provider's button or the participant's link). */
export function cancelFound(
  store: LedgerStore,
  found: RegistrationRecord | undefined,
  by: CancelledBy,
  notFound: string,
  now: Date,
): Outcome<RegistrationView> {
  if (!found) return fail("not_found", notFound);
  return ok(store.registrationView(cancelRegistration(store, found, by, now)));
}

/**
 * Emails a registrant the link to manage their registration, when the address holds one and the
 * cooldown allows; for any other address nothing happens (the caller answers the same either way).
 * `manage` was derived from the registration's salt before the transaction: only a token that
 * opens the registration is sent.
 */
export function resendManageLink(store: LedgerStore, email: string, manage: DerivedToken, now: Date): Outcome<null> {
  const r = store.liveRegistration(email);
  if (!r || r.manageTokenHash !== manage.secretHash || !manageLinkDue(r, now) || r.status === "cancelled") return ok(null);
  store.updateRegistration(r, { ...r, manageLinkSentAt: now.toISOString() });
  store.mail("manage_link", r, { manageToken: manage.token, status: r.status });
  return ok(null);
}

/** Everyone the session concerns: its registrations (waitlist in order) and its invitations. */
export function rosterOf(store: LedgerStore, s: SessionRecord, now: Date): Roster {
  let position = 0;
  const registrations = store
    .registrations()
    .sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0))
    .map((r) => registrationView(s.id, r, r.status === "waitlisted" ? ++position : null));
  const invitations = store.invitations().map((r) => store.invitationView(r, now));
  return { session: store.sessionView(now), registrations, invitations };
}
