// Invitations inside one ledger transaction: load → decide (invitations/decide.ts) → apply
// (moves.ts). Synchronous, like everything a transaction runs; the link tokens and code hashes
// they need were derived before the transaction opened.

import type { DiscountQuote } from "../discounts/decide";
import { type DeliveryStatus, type DeliveryUpdate, deliveryChanges } from "../email/delivery";
import { type Failure, fail, type Outcome, ok } from "../errors/problem";
import type { Answering } from "../forms/answers";
import { type DerivedToken, sessionOfChild } from "../ids/ids";
import {
  acceptingEmail,
  CODE_TTL_MS,
  checkCode,
  decideAcceptance,
  decideBulkAction,
  decideCodeRequest,
  decideNewInvitations,
  decideReopen,
  decideUpgrade,
  linkRefusal,
  reopened,
  sendingRefusal,
} from "../invitations/decide";
import { effectiveStatus, initialStatus, maskEmail } from "../invitations/lifecycle";
import type { AcceptInput, NewInvitationsInput } from "../invitations/schemas";
import type { BulkInvitationAction } from "../invitations/statuses";
import type { InvitationToken } from "../invitations/tokens";
import { emailKey } from "../recipients/address";
import type { ParsedRecipients } from "../recipients/parse";
import { paymentHoldEnd } from "../registrations/decide";
import { seatsOf } from "../sessions/seats";
import { addInvitation, addRegistration, closeInvitation, promoteWaitlist, raiseCapacity, sendInvitation } from "./moves";
import { answersFor, owedBy } from "./registrations";
import type { Actor, LedgerStore } from "./store";
import {
  type BulkResult,
  type CreatedInvitations,
  endsAt,
  type InvitationRecord,
  type InviteLink,
  publicSessionView,
  type RegistrationResult,
  type SessionRecord,
} from "./views";

/** Up to 200 new invitations, each with the token derived for its recipient (by position). */
export function invite(
  store: LedgerStore,
  s: SessionRecord,
  parsed: ParsedRecipients,
  tokens: Map<number, InvitationToken>,
  input: NewInvitationsInput,
  actor: Actor,
  now: Date,
): Outcome<CreatedInvitations> {
  const keys = parsed.recipients.map((r) => emailKey(r.email));
  const decision = decideNewInvitations({
    session: s,
    seats: seatsOf(s, store.counts()),
    recipients: parsed.recipients,
    duplicates: parsed.duplicates,
    invited: store.invitedKeys(keys, now),
    registered: store.liveRegistrationKeys(keys),
    holdSeat: input.holdSeat,
    allowOverCapacity: input.allowOverCapacity,
  });
  if (!decision.ok) return decision;
  const { kept, skipped, raiseBy } = decision.value;
  if (raiseBy > 0) raiseCapacity(store, s, raiseBy, actor, `${kept.length} invitation(s) holding seats`, now);
  const status = initialStatus(input.send, input.sendAt ?? null, now);
  const created = kept.map((recipient, i) => {
    const token = tokens.get(recipient.position)!;
    // Sent below, through the one send path; the last `raiseBy` carry the seats they added.
    const raised = i >= kept.length - raiseBy ? 1 : 0;
    const row = addInvitation(store, recipient, token, input, status === "sent" ? "draft" : status, raised, actor, now);
    return status === "sent" ? sendInvitation(store, row, token.token, "send", now) : row;
  });
  return ok({
    invitations: created.map((r) => store.invitationView(r, now)),
    skipped,
    seats: seatsOf(store.sessionRecord()!, store.counts()),
    capacityRaisedBy: raiseBy,
  });
}

/** The roster's buttons on the candidates chosen before the transaction (their links derived then). */
export function bulkMove(
  store: LedgerStore,
  action: BulkInvitationAction,
  candidates: { id: string }[],
  askedFor: string[] | undefined,
  links: Map<string, string>,
  now: Date,
): Outcome<BulkResult> {
  if (action !== "cancel") {
    const refusal = sendingRefusal(store.sessionRecord()!.status);
    if (refusal) return refusal;
  }
  const order = askedFor ?? candidates.map((c) => c.id);
  const rows = store.invitationsIn(candidates.map((c) => c.id)).sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const { move, skipped } = decideBulkAction(action, rows, askedFor, now);
  const moved = move.map((row) =>
    action === "cancel" ? closeInvitation(store, row, "cancelled", now) : sendInvitation(store, row, links.get(row.id)!, action, now),
  );
  if (action === "cancel") promoteWaitlist(store, now);
  return ok({ invitations: moved.map((r) => store.invitationView(r, now)), skipped });
}

/** What the invitation link shows (drafts and scheduled ones have no link yet). */
export function linkView(store: LedgerStore, s: SessionRecord, inv: InvitationRecord | undefined, now: Date): Outcome<InviteLink> {
  if (!inv || inv.status === "draft" || inv.status === "scheduled") return fail("not_found", "This invitation link is not valid.");
  const { name, holdSeat, discountCode, expiresAt, requireEmailMatch, message, locale } = inv;
  return ok({
    session: publicSessionView(s, store.counts(), now),
    invitation: {
      status: effectiveStatus(inv, now),
      name,
      emailMasked: maskEmail(inv.email),
      holdSeat,
      discountCode,
      expiresAt,
      requireEmailMatch,
      message,
      locale,
      reopenable: inv.status === "declined" && reopenDecision(store, s, inv, now).ok,
    },
  });
}

/** Re-opens a declined invitation from its link: pending again, holding a seat when one is free. */
export function reopen(store: LedgerStore, s: SessionRecord, inv: InvitationRecord, now: Date): Outcome<InviteLink> {
  const decision = reopenDecision(store, s, inv, now);
  if (!decision.ok) return decision;
  const next = store.updateInvitation(inv, reopened(inv, decision.value.holdSeat, now));
  return linkView(store, store.sessionRecord()!, next, now);
}

/** decideReopen, with what it depends on loaded. */
function reopenDecision(store: LedgerStore, s: SessionRecord, inv: InvitationRecord, now: Date) {
  return decideReopen({
    invitation: inv,
    session: { ...s, endsAt: endsAt(s) },
    seats: seatsOf(s, store.counts()),
    registered: store.liveRegistration(inv.email) !== undefined,
    invitedAgain: store.invitedKeys([inv.emailKey], now).has(inv.emailKey),
    now,
  });
}

/**
 * Stores a fresh one-time code (its hash, all its tries) and emails the code to the invited
 * address, within the invitation's allowance of codes (decideCodeRequest).
 */
export function issueCode(
  store: LedgerStore,
  s: SessionRecord,
  inv: InvitationRecord,
  code: string,
  codeHash: string,
  now: Date,
): Outcome<{ sentTo: string; expiresAt: string; address: string }> {
  const refusal = linkRefusal(inv, s.status, now);
  if (refusal) return refusal;
  if (!inv.requireEmailMatch) return fail("invalid_transition", "This invitation does not need a code.");
  const allowed = decideCodeRequest(inv, now);
  if (!allowed.ok) return allowed;
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS).toISOString();
  store.updateInvitation(inv, {
    ...inv,
    codeHash,
    codeExpiresAt: expiresAt,
    codeAttempts: 0,
    codesSentAt: allowed.value.codesSentAt,
    updatedAt: now.toISOString(),
  });
  store.mail("one_time_code", inv, { code, expiresAt }, inv.id);
  // `address` stays in the worker: the code route looks up whether the code goes by SMS with it.
  return ok({ sentTo: maskEmail(inv.email), expiresAt, address: inv.email });
}

/**
 * What accepting in a priced session needs, decided before the transaction: whether a checkout can
 * take the payment, the invitation's discount quoted from the catalogue (its use claimed under
 * `id`, the new registration's id).
 */
export type AcceptPayment = { payments: boolean; discount: DiscountQuote | null; id?: string | undefined };

/**
 * Accepts through the link: takes the held seat (even in a full session) or asks for one. In a
 * priced session where something is owed (the price less the invitation's discount, owedBy), the
 * seat is held awaiting payment as a public registration's is, and the invitation is accepted now:
 * the held seat moves to the registration in the same transaction, so it is never counted twice.
 */
export function accept(
  store: LedgerStore,
  s: SessionRecord,
  inv: InvitationRecord,
  codeHash: string | null,
  input: Omit<AcceptInput, keyof Answering> & Answering,
  manage: DerivedToken,
  now: Date,
  pay: AcceptPayment = { payments: false, discount: null },
): Outcome<RegistrationResult> {
  const refusal = linkOrCodeRefusal(store, s, inv, codeHash, now);
  if (refusal) return refusal;
  const existing = store.liveRegistration(acceptingEmail(inv, input.email));
  const decision = decideAcceptance({
    invitation: inv,
    session: { ...s, endsAt: endsAt(s) },
    seats: seatsOf(s, store.counts()),
    email: input.email,
    existing,
    now,
  });
  if (!decision.ok) return decision;
  if (decision.value.kind === "upgrade" && existing) {
    const taken = decideUpgrade({
      registration: existing,
      invited: owedBy(s, pay.discount),
      invitationCode: inv.discountCode,
      payments: pay.payments,
      now,
    });
    if (!taken.ok) return taken;
    const { owing } = taken.value;
    const holdUntil = taken.value.status === "pending_payment" ? taken.value.holdUntil : null;
    // Their cancel link changes with the confirmation that carries it (once paid, when they owe).
    // The held seat moves to the registration in the same transaction: the count never moves twice.
    const upgraded = store.updateRegistration(existing, {
      ...existing,
      status: taken.value.status,
      promotedAt: now.toISOString(),
      invitationId: inv.id,
      manageTokenHash: manage.secretHash,
      manageTokenSalt: manage.salt,
      ...(owing ? { amountDue: owing.amount, currency: owing.currency, discountCode: owing.discountCode, priceAmount: s.priceAmount } : {}),
      ...(holdUntil ? { confirmExpiresAt: holdUntil } : {}),
    });
    closeInvitation(store, inv, "accepted", now, upgraded.id);
    if (!holdUntil) store.mail("registration_confirmed", upgraded, { manageToken: manage.token });
    const payment = owing && holdUntil ? { amount: owing.amount, currency: owing.currency, holdUntil } : undefined;
    return ok({ registration: store.registrationView(upgraded), manageToken: manage.token, ...(payment ? { payment } : {}) });
  }
  if (decision.value.kind !== "register") return fail("already_registered", "This email is already registered.");
  // The session's questions are answered by whoever takes a place in it, invited or not.
  const answered = answersFor(s, input);
  if (!answered.ok) return answered;
  const { email } = decision.value;
  const owed = owedBy(s, pay.discount);
  const status = decision.value.status === "confirmed" && owed && owed.amount > 0 ? "pending_payment" : decision.value.status;
  // Fail closed, as a public registration does: no seat held where nothing can take the payment.
  if (status === "pending_payment" && !pay.payments)
    return fail("payments_unavailable", "This session is priced, and payments are not set up here.");
  const payment = status === "pending_payment" && owed ? { ...owed, holdUntil: paymentHoldEnd(now) } : undefined;
  // The held seat turns into the registration's in the same transaction: the count never moves.
  const registration = addRegistration(
    store,
    {
      ...(pay.id && sessionOfChild("reg", pay.id) === s.id ? { id: pay.id } : {}),
      name: input.name ?? inv.name ?? email.slice(0, email.indexOf("@")),
      email,
      status,
      payment,
      owed: owed ?? undefined,
      source: "invitation",
      ...answered.value,
      locale: input.locale ?? inv.locale,
      manage,
      invitationId: inv.id,
      discountCode: inv.discountCode,
    },
    now,
  );
  closeInvitation(store, inv, "accepted", now, registration.id);
  return ok({ registration: store.registrationView(registration), manageToken: manage.token, ...(payment ? { payment } : {}) });
}

/** Declines through the link: the held seat goes back to the public (or the waitlist). */
export function decline(
  store: LedgerStore,
  s: SessionRecord,
  inv: InvitationRecord,
  codeHash: string | null,
  now: Date,
): Outcome<{ status: "declined" }> {
  // Whoever holds a forwarded link must not give the invited person's seat away either.
  const refusal = linkOrCodeRefusal(store, s, inv, codeHash, now);
  if (refusal) return refusal;
  closeInvitation(store, inv, "declined", now);
  promoteWaitlist(store, now);
  return ok({ status: "declined" });
}

/**
 * Delivery news from the mail provider, a batch at once: deliveryChanges decides (see
 * nextDeliveryStatus for why order does not matter). Invitations this ledger does not know are
 * listed, not fatal.
 */
export function recordDeliveries(store: LedgerStore, updates: DeliveryUpdate[]): { updated: number; unknown: string[] } {
  const ids = [...new Set(updates.map((u) => u.invitationId))];
  const rows = store.invitationsById(ids);
  const changes = deliveryChanges(new Map([...rows].map(([id, r]) => [id, r.delivery as DeliveryStatus | null])), updates);
  for (const [id, change] of changes) {
    const row = rows.get(id)!;
    store.updateInvitation(row, { ...row, delivery: change.status, deliveryAt: change.at });
  }
  return { updated: changes.size, unknown: ids.filter((id) => !rows.has(id)) };
}

/** The link must be usable and, when the invitation requires it, the code right (a wrong one costs a try of both the code and the invitation). */
function linkOrCodeRefusal(
  store: LedgerStore,
  s: SessionRecord,
  inv: InvitationRecord,
  codeHash: string | null,
  now: Date,
): { ok: false; error: Failure } | null {
  const refusal = linkRefusal(inv, s.status, now);
  if (refusal || !inv.requireEmailMatch) return refusal;
  const check = checkCode(inv, codeHash, now);
  if (!check) return null;
  if (check.spendTry) store.updateInvitation(inv, { ...inv, codeAttempts: inv.codeAttempts + 1, codeFailures: inv.codeFailures + 1 });
  return check.refusal;
}
