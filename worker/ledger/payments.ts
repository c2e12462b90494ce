// A checkout's outcome inside one ledger transaction: load → decide (payments/decide.ts) → apply.
// Synchronous, like everything a transaction runs.

import type { PaidNote } from "../email/message";
import { fail, type Outcome, ok } from "../errors/problem";
import type { DerivedToken } from "../ids/ids";
import { holdsSeat } from "../invitations/lifecycle";
import {
  type CheckoutOutcome,
  type CheckoutView,
  decideSettlement,
  type ProviderPayment,
  priceBeforeDiscount,
  type RefundOrder,
  type RefundRecord,
  type Settlement,
} from "../payments/decide";
import type { RegistrationView } from "../registrations/schemas";
import { askedPrice, priceOf, refundDeadline } from "../sessions/price";
import { seatsOf } from "../sessions/seats";
import { closeInvitation, promoteWaitlist, releaseHold } from "./moves";
import type { LedgerStore } from "./store";
import type { RegistrationRecord, SessionRecord } from "./views";

export type Settled = { registration: RegistrationView; settlement: Settlement["kind"] };

export function checkoutViewOf(s: SessionRecord, r: RegistrationRecord): CheckoutView {
  return {
    sessionId: s.id,
    orgId: s.orgId,
    sessionTitle: s.title,
    amount: r.amountDue ?? 0,
    currency: r.currency ?? "",
    status: r.status,
    holdUntil: r.status === "pending_payment" ? r.confirmExpiresAt : null,
    paid: r.paidAt !== null,
    email: r.email,
    locale: r.locale,
    checkoutId: r.checkoutId,
    startsAt: s.startsAt,
    durationMinutes: s.durationMinutes,
    timeZone: s.timeZone,
    discountCode: r.discountCode,
    priceBefore: priceBeforeDiscount(askedPrice(r.priceAmount, r.currency, priceOf(s.priceAmount, s.priceCurrency)), {
      amount: r.amountDue,
      currency: r.currency,
      discountCode: r.discountCode,
    }),
    paidAt: r.paidAt,
    refundDueAt: r.refundDueAt,
    refundedAt: r.refundedAt,
    refundedAmount: r.refundedAmount,
  };
}

export function refundOrderOf(s: SessionRecord, r: RegistrationRecord): RefundOrder {
  return {
    sessionId: s.id,
    registrationId: r.id,
    amount: r.amountDue ?? 0,
    currency: r.currency ?? "",
    checkoutId: r.checkoutId,
    paymentId: r.paymentId,
    refundDueAt: r.refundDueAt,
    refundedAt: r.refundedAt,
  };
}

/** Keeps the provider's checkout made for a registration awaiting payment (the same one again changes nothing). */
export function attachCheckout(store: LedgerStore, r: RegistrationRecord, checkoutId: string): Outcome<{ checkoutId: string }> {
  if (r.checkoutId === checkoutId) return ok({ checkoutId });
  if (r.checkoutId !== null) return fail("invalid_transition", "This registration has another checkout.");
  store.updateRegistration(r, { ...r, checkoutId });
  return ok({ checkoutId });
}

/**
 * Records money that went back (a refund we made, or one made in the provider's dashboard): the
 * first record announces payment.refunded; a later one (another partial refund) updates the total.
 */
export function recordRefund(store: LedgerStore, r: RegistrationRecord, refund: RefundRecord): RegistrationRecord {
  if (r.refundedAt !== null && r.refundedAmount === refund.amount) return r;
  return store.updateRegistration(r, { ...r, refundedAt: r.refundedAt ?? refund.at, refundedAmount: refund.amount });
}

/**
 * What the confirmation of a paid seat says about the money: what was paid, and until when the
 * participant's own cancellation refunds it (null once that is past, or when the session refunds none).
 */
export function paidNote(s: SessionRecord, r: RegistrationRecord, now: Date): { paid?: PaidNote } {
  if (!r.amountDue || r.currency === null) return {};
  const deadline = refundDeadline(s.refundUntilDays, s.startsAt);
  const refundUntil = deadline !== null && Date.parse(deadline) >= now.getTime() ? deadline : null;
  return { paid: { amount: r.amountDue, currency: r.currency, refundUntil } };
}

export function settle(
  store: LedgerStore,
  s: SessionRecord,
  r: RegistrationRecord,
  outcome: CheckoutOutcome,
  manage: DerivedToken,
  now: Date,
  payment: ProviderPayment | null = null,
): Outcome<Settled> {
  // A provider's event is for the checkout we made for this registration, and no other.
  if (payment && r.checkoutId !== null && r.checkoutId !== payment.checkoutId)
    return fail("not_found", "No such checkout for this registration.");
  // The provider's payment is kept with the first news of it: what a refund refers to.
  const paymentId = outcome === "paid" && payment?.paymentId && r.paymentId === null ? { paymentId: payment.paymentId } : {};
  const seats = seatsOf(s, store.counts());
  // A payment that comes after its hold went back: the seat their invitation holds again (releaseHold) is theirs.
  const own = store.pendingInvitation(r.email, now);
  const ownSeat = own && holdsSeat(own, now) ? 1 : 0;
  const settlement = decideSettlement(r, outcome, seats.available + ownSeat, s.status === "cancelled");
  let row = r;
  switch (settlement.kind) {
    case "confirm": {
      row = store.updateRegistration(r, {
        ...r,
        ...paymentId,
        status: "confirmed",
        paidAt: now.toISOString(),
        confirmExpiresAt: null,
        cancelledAt: null,
        cancelledBy: null,
      });
      store.mail("registration_confirmed", row, { manageToken: manage.token, answers: store.answerLines(row), ...paidNote(s, row, now) });
      // As for any seat taken: an invitation of theirs is answered by it.
      if (own) closeInvitation(store, own, "accepted", now, row.id);
      break;
    }
    case "release":
      row = releaseHold(store, r, now);
      promoteWaitlist(store, now);
      break;
    case "refund_due":
      // Recorded once; the refund itself is for whoever holds the payment to make.
      if (r.refundDueAt === null)
        row = store.updateRegistration(r, { ...r, ...paymentId, paidAt: now.toISOString(), refundDueAt: now.toISOString() });
      break;
    case "none":
      break;
  }
  return ok({ registration: store.registrationView(row), settlement: settlement.kind });
}
