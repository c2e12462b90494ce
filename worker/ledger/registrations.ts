// Registrations inside one ledger transaction: load → decide (registrations/decide.ts) → apply
// (moves.ts). Synchronous, like everything a transaction runs.

import type { DiscountQuote } from "../discounts/decide";
import { type Failure, fail, type Outcome, ok } from "../errors/problem";
import { type Answering, checkAnswers } from "../forms/answers";
import type { Answers } from "../forms/schema";
import type { Locale } from "../i18n/locales";
import { type DerivedToken, sessionOfChild } from "../ids/ids";
import { amountDue } from "../payments/decide";
import {
  alreadyRegisteredRefusal,
  clientCapRefusal,
  confirmationExpiry,
  decideCodeEntry,
  decideConfirmation,
  decideProviderRegistration,
  decidePublicRegistration,
  manageLinkDue,
  paymentHoldEnd,
  shortName,
  withFailure,
} from "../registrations/decide";
import type { CodePageEntry, ProviderRegistrationInput, PublicRegistrationInput, RegistrationView } from "../registrations/schemas";
import type { CancelledBy } from "../registrations/statuses";
import { seatsOf } from "../sessions/seats";
import { idempotencyCutoff } from "./idempotency";
import { addRegistration, cancelRegistration, closeInvitation, mailRegistered, raiseCapacity } from "./moves";
import type { Actor, LedgerStore } from "./store";
import { formOf, type PublicRegistrationAnswer, type RegistrationRecord, type Roster, registrationView, type SessionRecord } from "./views";

/**
 * A member of the public registers. With an idempotency key, the same key and body give the same
 * registration without a second one; the same key with another body is refused. Only a
 * registration is remembered: a refused request (a full session, a wrong code) may be tried again
 * with its key, and is decided again. A replay carries no cancel link: anyone who knows a key and
 * its body can ask for it, and the registrant has the link from the first answer and the email.
 * `client` is the keyed hash of the client's address (or /64), when known.
 */
export function registerPublic(
  store: LedgerStore,
  s: SessionRecord,
  input: PublicRegistrationInput,
  secrets: RegistrationSecrets,
  idempotency: { key: string; requestHash: string } | null,
  client: string | null,
  now: Date,
  payments = false,
  discount: DiscountQuote | null = null,
  fresh: { id?: string | undefined; refusal?: Failure | undefined } = {},
): Outcome<PublicRegistrationAnswer> {
  if (idempotency) {
    const seen = store.idempotencyRecord(idempotency.key);
    const replay = seen?.response as Outcome<PublicRegistrationAnswer> | undefined;
    // A key is remembered for a day; an older record may not have been purged yet. Refusals
    // remembered before refusals were forgotten are decided again too.
    if (seen && replay?.ok && seen.createdAt > idempotencyCutoff(now)) {
      if (seen.requestHash !== idempotency.requestHash) {
        return fail("idempotency_conflict", "This Idempotency-Key was already used with a different request.");
      }
      return ok(replayOf(replay.value));
    }
  }
  // Not a replay: a request the caller already refused (its discount code used up) goes no further.
  if (fresh.refusal) return { ok: false, error: fresh.refusal };
  const outcome = registerNow(store, s, input, secrets, client, now, payments, discount, fresh.id);
  if (idempotency && outcome.ok) {
    store.rememberAnswer(idempotency.key, {
      requestHash: idempotency.requestHash,
      response: ok(replayOf(outcome.value)),
      createdAt: now.toISOString(),
    });
  }
  return outcome;
}

/** An answer as a replay gives it again: everything but the cancel link's secret. */
function replayOf({ manageToken: _secret, ...answer }: PublicRegistrationAnswer): PublicRegistrationAnswer {
  return answer;
}

/**
 * The answers a new registration keeps, public or through an invitation: checked against the
 * session's form inside the transaction, so they are stored with the version they were checked
 * against, whatever edit comes next. A person shown another version of the form is refused
 * form_changed with the new questions; a missing required answer or a wrong one, 422 naming it.
 */
export function answersFor(s: SessionRecord, input: Answering): Outcome<{ answers: Answers | null; formVersion: number | null }> {
  if (input.formVersion !== undefined && input.formVersion !== (formOf(s)?.version ?? null))
    return fail("form_changed", "The registration form changed since the page was loaded. Reload it and answer again.", {
      form: formOf(s),
    });
  const answers = checkAnswers(s.form, input.answers);
  if (!answers.ok) return answers;
  return ok({ answers: answers.value, formVersion: answers.value && s.form?.length ? s.formVersion : null });
}

/**
 * What a registrant owes in a priced session (null in a free one): the price less their discount;
 * a discount of it all (0 owed) skips checkout. The one rule for a public registration and an
 * accepted invitation.
 */
export function owedBy(s: SessionRecord, discount: DiscountQuote | null): { amount: number; currency: string } | null {
  return s.priceAmount !== null && s.priceCurrency !== null
    ? { amount: amountDue(s.priceAmount, discount), currency: s.priceCurrency }
    : null;
}

/**
 * The secrets a public registration may need, made before the transaction (hashing awaits): its
 * cancel link, and in a session that confirms by email, the link and code that confirm it.
 */
export type RegistrationSecrets = {
  manage: DerivedToken;
  confirm: { token: string; tokenHash: string; code: string; codeHash: string } | null;
};

function registerNow(
  store: LedgerStore,
  s: SessionRecord,
  input: PublicRegistrationInput,
  { manage, confirm }: RegistrationSecrets,
  client: string | null,
  now: Date,
  payments: boolean,
  discount: DiscountQuote | null = null,
  id?: string,
): Outcome<PublicRegistrationAnswer> {
  // Wrong codes are counted only where there is a code to guess.
  const keys = { session: "session", client: client && `client:${client}` };
  const counted = s.registrationCode === null ? new Map() : store.codeFailures([keys.session, ...(keys.client ? [keys.client] : [])]);
  const codeTries = { session: counted.get(keys.session), client: keys.client ? counted.get(keys.client) : null };
  const owed = owedBy(s, discount);
  const decision = decidePublicRegistration(
    { ...s, priceAmount: owed?.amount ?? null },
    seatsOf(s, store.counts()),
    input,
    { codeTries },
    now,
  );
  if (!decision.ok) {
    // A wrong code costs a try although the request is refused: the counters are written anyway.
    if ("wrongCode" in decision) {
      for (const key of [keys.session, keys.client]) if (key) store.saveCodeFailures(key, withFailure(counted.get(key), now));
    }
    return decision;
  }
  const { status, source, queued } = decision.value;
  // Fail closed: a seat that must be paid for is not held where nothing can take the payment.
  if (status === "pending_payment" && !payments)
    return fail("payments_unavailable", "This session is priced, and payments are not set up here.");
  const answers = answersFor(s, input);
  if (!answers.ok) return answers;
  const capped = client ? clientCapRefusal(status, status === "confirmed" ? 0 : store.waitingFromClient(client)) : null;
  if (capped) return capped;
  // The session began confirming by email while this request prepared its secrets: try again.
  if (status === "pending_confirmation" && !confirm) return fail("unavailable", "The session's settings just changed. Try again.");
  const confirmation =
    status === "pending_confirmation" && confirm
      ? {
          link: `${s.baseUrl}/c/${encodeURIComponent(confirm.token)}`,
          tokenHash: confirm.tokenHash,
          code: confirm.code,
          codeHash: confirm.codeHash,
          expiresAt: confirmationExpiry(now),
        }
      : undefined;
  const payment = status === "pending_payment" && owed ? { ...owed, holdUntil: paymentHoldEnd(now) } : undefined;
  const registration = addRegistration(
    store,
    {
      ...(id && sessionOfChild("reg", id) === s.id ? { id } : {}),
      name: input.name,
      email: input.email,
      status,
      queued,
      confirmation,
      payment,
      // In a priced session every registration keeps what it owes: one on the waitlist pays when it moves up.
      owed: owed ?? undefined,
      source,
      ...answers.value,
      locale: input.locale ?? "en",
      manage,
      clientKey: client,
      discountCode: input.discountCode ?? null,
    },
    now,
    // One live registration per address: the insert is the check, so nothing is looked up first.
    { unlessLive: true },
  );
  if (!registration) return alreadyRegisteredRefusal();
  // Checkout follows: the answer says what is owed and until when the seat is held, and carries
  // the manage token (the one the confirmation email carries once paid), with which the page
  // checkout sends the registrant back to asks where the registration stands.
  if (payment) return ok({ registration: store.registrationView(registration), payment, manageToken: manage.token });
  // Its email holds the links; the answer says until when the hold lasts.
  if (confirmation) return ok({ registration: store.registrationView(registration), confirmation: { expiresAt: confirmation.expiresAt } });
  // Someone invited who registered on the public page instead: their invitation is answered, and
  // the seat it held goes back (they took a public one). On the waitlist, the invitation stays:
  // following its link later moves them into the held seat.
  const invitation = status === "confirmed" ? store.pendingInvitation(input.email, now) : undefined;
  if (invitation) closeInvitation(store, invitation, "accepted", now, registration.id);
  return ok({ registration: store.registrationView(registration), manageToken: manage.token });
}

/**
 * The registrant confirms their address (the emailed link, or the emailed code hashed before the
 * transaction): the held seat becomes theirs, or the place in line a place on the waitlist, and
 * the usual confirmation follows, now greeting them by name, with the cancel link derived before
 * the transaction. Confirming again answers the registration as it is, without the cancel link.
 */
export function confirmPublic(
  store: LedgerStore,
  s: SessionRecord,
  r: RegistrationRecord,
  proof: { kind: "link" } | { kind: "code"; codeHash: string },
  manage: DerivedToken,
  now: Date,
): Outcome<PublicRegistrationAnswer> {
  const decision = decideConfirmation({ registration: r, session: s, seats: seatsOf(s, store.counts()), proof });
  if (!decision.ok) {
    // A wrong code costs one of its tries although the request is refused.
    if ("wrongCode" in decision) store.updateRegistration(r, { ...r, confirmAttempts: r.confirmAttempts + 1 });
    return decision;
  }
  if (decision.value.kind === "already") return ok({ registration: store.registrationView(r) });
  const { status } = decision.value;
  const confirmed = store.updateRegistration(r, { ...r, status, emailConfirmedAt: now.toISOString() });
  mailRegistered(store, confirmed, manage.token);
  // As for an immediate registration: an invitation of theirs is answered by the seat they took.
  const invitation = status === "confirmed" ? store.pendingInvitation(confirmed.email, now) : undefined;
  if (invitation) closeInvitation(store, invitation, "accepted", now, confirmed.id);
  return ok({ registration: store.registrationView(confirmed), manageToken: manage.token });
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
  if (!r || r.manageTokenHash !== manage.secretHash || !manageLinkDue(r, now)) return ok(null);
  if (r.status !== "confirmed" && r.status !== "waitlisted") return ok(null);
  store.updateRegistration(r, { ...r, manageLinkSentAt: now.toISOString() });
  store.mail("manage_link", r, { manageToken: manage.token, status: r.status });
  return ok(null);
}

/** Who "that's me" sends their page's link to: the registration's address, in its language. */
export type OwnPageRecipient = { orgId: string; email: string; locale: Locale };

/**
 * "That's me" on the code page: the registration's address and language when it may be sent the
 * link to its own page now (confirmed or on the waitlist, not erased, the manage link's cooldown
 * over), the send counted; null for anything else (the caller answers the same either way).
 */
export function claimOwnPageLink(
  store: LedgerStore,
  s: SessionRecord,
  registrationId: string,
  now: Date,
): Outcome<OwnPageRecipient | null> {
  const r = store.registration(registrationId);
  if (!r || r.erasedAt || !manageLinkDue(r, now)) return ok(null);
  store.updateRegistration(r, { ...r, manageLinkSentAt: now.toISOString() });
  return ok({ orgId: s.orgId, email: r.email, locale: r.locale });
}

/**
 * The code page (seed 004): with the right code, those registered (confirmed or on the waitlist)
 * as "First I.", in the order they came; a wrong code counts against the client and the session
 * (the same counters as a registration's code) and shows nothing.
 */
export function codePageList(store: LedgerStore, s: SessionRecord, code: string, client: string | null, now: Date) {
  const keys = { session: "session", client: client && `client:${client}` };
  const counted = store.codeFailures([keys.session, ...(keys.client ? [keys.client] : [])]);
  const tries = { session: counted.get(keys.session), client: keys.client ? counted.get(keys.client) : null };
  const decision = decideCodeEntry(s.registrationCode, code, tries, now);
  if (!decision.ok) {
    if ("wrongCode" in decision)
      for (const key of [keys.session, keys.client]) if (key) store.saveCodeFailures(key, withFailure(counted.get(key), now));
    return decision;
  }
  const people: CodePageEntry[] = store
    .registrations()
    .filter((r) => (r.status === "confirmed" || r.status === "waitlisted") && !r.erasedAt)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((r) => ({ id: r.id, shortName: shortName(r.name) }));
  return ok(people);
}

/** Everyone the session concerns: its registrations (waitlist in order) and its invitations. */
export function rosterOf(store: LedgerStore, s: SessionRecord, now: Date): Roster {
  let position = 0;
  const registrations = store
    .registrations()
    .sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0))
    .map((r) => registrationView(s.id, r, r.status === "waitlisted" ? ++position : null));
  const invitations = store.invitations().map((r) => store.invitationView(r, now));
  return { session: store.sessionView(now), registrations, invitations, formVersions: store.formVersions() };
}
