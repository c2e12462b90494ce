// What a checkout's outcome does to a registration awaiting payment: plain decisions over the
// registration's stored state and the session's seats. The ledger loads, calls these in its
// transaction, and applies what they return; the same decision serves the dev checkout page and
// the payment provider's events, whatever order those arrive in.

import type { DiscountQuote } from "../discounts/decide";
import { type Price, refundableByPolicy } from "../sessions/price";

/** A checkout's outcome as reported: paid, or given up (abandoned, or expired at the provider). */
export type CheckoutOutcome = "paid" | "abandoned";

/** A checkout page's view of a registration owing a payment. */
export type CheckoutView = {
  sessionId: string;
  orgId: string;
  sessionTitle: string;
  amount: number;
  currency: string;
  status: string;
  holdUntil: string | null;
  paid: boolean;
  email: string;
  locale: string;
  /** The provider's checkout made for it (Stripe's Checkout Session id), once made. */
  checkoutId: string | null;
  /** When the session runs, in its own zone: a person must tell what they pay for. */
  startsAt: string;
  durationMinutes: number;
  timeZone: string;
  /** The registration's discount code, and the session's price before it (null without a discount that lowered it). */
  discountCode: string | null;
  priceBefore: number | null;
  paidAt: string | null;
  refundDueAt: string | null;
  refundedAt: string | null;
  refundedAmount: number | null;
};

/** A payment as the provider reports it: its checkout and its payment (Stripe: Checkout Session, PaymentIntent). */
export type ProviderPayment = { checkoutId: string; paymentId: string | null };

/** What a registration owes back, for whoever makes the refund (payments/refunds.ts). */
export type RefundOrder = {
  sessionId: string;
  registrationId: string;
  amount: number;
  currency: string;
  checkoutId: string | null;
  paymentId: string | null;
  refundDueAt: string | null;
  refundedAt: string | null;
};

/** One refund due, as the ledger's refund outbox hands it to the refunds queue. */
export type RefundQueueMessage = { sessionId: string; registrationId: string };

/** A refund as made or as reported by the provider: how much went back in all, and when. */
export type RefundRecord = { amount: number; at: string };

/** What is owed: the price less the discount the catalogue quoted (discounts/decide.ts), never below zero. */
export function amountDue(price: number, quote: DiscountQuote | null): number {
  return Math.max(0, price - (quote?.amountOff ?? 0));
}

type Settling = { status: string; paidAt: string | null; cancelledBy: string | null };

export type Settlement =
  /** Paid while held, or paid late with a seat still free: the seat is theirs. */
  | { kind: "confirm" }
  /** Given up while held: the seat frees and the waitlist moves up. */
  | { kind: "release" }
  /** Paid after the hold lapsed and the seat went to someone else: the payment goes back. */
  | { kind: "refund_due" }
  /** Nothing changes (a replay, or an outcome arriving after the registration moved on). */
  | { kind: "none" };

/**
 * The registration's next step for `outcome`. A payment arriving after the hold lapsed (the alarm
 * cancelled it, by the system) confirms it when a seat is free, else is owed back; an abandonment
 * arriving after the payment changes nothing; every repeat changes nothing.
 */
export function decideSettlement(r: Settling, outcome: CheckoutOutcome, seatsAvailable: number, sessionCancelled: boolean): Settlement {
  if (outcome === "abandoned") return r.status === "pending_payment" ? { kind: "release" } : { kind: "none" };
  if (r.paidAt !== null) return { kind: "none" };
  if (r.status === "pending_payment") return sessionCancelled ? { kind: "refund_due" } : { kind: "confirm" };
  // Lapsed unpaid (cancelled by the system): a seat still free is theirs, else the money goes back.
  if (r.status === "cancelled" && r.cancelledBy === "system")
    return seatsAvailable > 0 && !sessionCancelled ? { kind: "confirm" } : { kind: "refund_due" };
  // Cancelled by someone, or already placed otherwise: the payment is not for a seat they hold.
  return { kind: "refund_due" };
}

type Refundable = { paidAt: string | null; refundDueAt: string | null };

/** The session's refund rule: how many days before its start a participant's own cancellation is still refunded (null: never). */
export type RefundPolicy = { refundUntilDays: number | null; startsAt: string };

/**
 * Whether cancelling a registration makes its payment due back, in full. Only a paid registration
 * not already owed back has anything to refund (an unpaid hold, a free seat: nothing). A
 * cancellation by the provider (one person, or the whole session, the minimum not met included:
 * "system") always refunds; the participant's own only until `refundUntilDays` days before the
 * start, and never when the session sets no window.
 */
export function decideRefund(r: Refundable, by: "participant" | "provider" | "system", policy: RefundPolicy, now: Date): boolean {
  if (r.paidAt === null || r.refundDueAt !== null) return false;
  if (by !== "participant") return true;
  return refundableByPolicy(policy.refundUntilDays, policy.startsAt, now);
}

/**
 * Where a registration's payment stands: `pending` (owed, not paid yet), `paid`, `refund_due`
 * (owed back, not yet refunded), `refunded`, or `unpaid` (cancelled before it was paid). Null for
 * a registration that owes nothing (a free session, or a seat the provider placed); `paid` for one
 * whose discount covered the whole price (amountDue 0).
 */
export const PAYMENT_STATUSES = ["pending", "paid", "refund_due", "refunded", "unpaid"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

type Paying = {
  status: string;
  amountDue: number | null;
  paidAt: string | null;
  refundDueAt: string | null;
  refundedAt: string | null;
};

export function paymentStatusOf(r: Paying): PaymentStatus | null {
  if (r.amountDue === null) return null;
  // A discount of the whole price: nothing to pay, nothing to refund.
  if (r.amountDue === 0) return "paid";
  if (r.refundedAt !== null) return "refunded";
  if (r.refundDueAt !== null) return "refund_due";
  if (r.paidAt !== null) return "paid";
  return r.status === "cancelled" ? "unpaid" : "pending";
}

/**
 * Where a checkout stands, as its page tells the person: `awaiting` (held, Pay or Abandon),
 * `paid` (the seat is theirs), `paid_cancelled` (paid, then cancelled with nothing owed back under
 * the refund policy), `refund_due`, `refunded`, `released` (given up or lapsed unpaid: the seat
 * went back), or `closed` (nothing to pay now, e.g. waiting on the waitlist).
 */
export const CHECKOUT_STAGES = ["awaiting", "paid", "paid_cancelled", "refund_due", "refunded", "released", "closed"] as const;
export type CheckoutStage = (typeof CHECKOUT_STAGES)[number];

export function checkoutStage(v: Pick<CheckoutView, "status" | "amount" | "paidAt" | "refundDueAt" | "refundedAt">): CheckoutStage {
  const payment = paymentStatusOf({ ...v, amountDue: v.amount });
  if (payment === "pending") return v.status === "pending_payment" ? "awaiting" : "closed";
  if (payment === "unpaid") return "released";
  if (payment === "paid") return v.status === "cancelled" ? "paid_cancelled" : "paid";
  return payment ?? "closed";
}

/** The price asked (askedPrice) shown struck before the discounted amount: only when a discount lowered the same currency's price. */
export function priceBeforeDiscount(
  price: Price | null,
  due: { amount: number | null; currency: string | null; discountCode: string | null },
): number | null {
  if (!due.discountCode || price === null || due.amount === null || price.currency !== due.currency) return null;
  return price.amount > due.amount ? price.amount : null;
}

/** How many Idempotency-Keys one registration's checkout may go through (checkoutIdempotencyKey). */
export const CHECKOUT_KEY_TRIES = 5;

/**
 * The Idempotency-Key of the `attempt`th try (0 first) at creating a registration's checkout at
 * the provider. Stripe keeps the first answer under a key, a 500 included, and replays it to every
 * request with that key: a key whose create failed is spent, and the next try takes the next one,
 * in the same order every time, so a retry finds the checkout a later key made instead of making
 * another.
 */
export function checkoutIdempotencyKey(registrationId: string, attempt: number): string {
  return attempt === 0 ? `checkout:${registrationId}` : `checkout:${registrationId}:${attempt + 1}`;
}

/**
 * Whether a failed checkout creation may succeed when tried again: no answer (the network), the
 * provider's own failure (5xx), or too many requests (429). Any other refusal (4xx) would be refused again.
 */
function checkoutFailureTransient(statusCode: number | undefined): boolean {
  return statusCode === undefined || statusCode >= 500 || statusCode === 429;
}

/** Seconds to wait before trying again a checkout whose creation failed for a moment (`retry-after`). */
export const CHECKOUT_RETRY_AFTER_SECONDS = 10;

/** What a checkout that could not be created leaves behind, and what the caller is told. */
export type CheckoutFailure = {
  /** The held seat goes back now; else it stays held, for the retry or to lapse on its own. */
  release: boolean;
  /** checkout_failed: a moment's failure, try again; payments_unavailable: the provider refused it. */
  code: "checkout_failed" | "payments_unavailable";
  /** Until when the seat stays held for the caller (null: it is not kept for them). */
  heldUntil: string | null;
  /** The same request with the same Idempotency-Key gets the checkout. */
  retryWithKey: boolean;
};

/**
 * After a checkout could not be created (`statusCode`: the provider's answer, undefined when there
 * was none; `failure` null for a failure that was not the provider's). A moment's failure of a
 * request that can be replayed as it was (`retriable`: a public registration with its
 * Idempotency-Key) keeps the seat for that retry. Otherwise the seat goes back, so that nothing is
 * held for a checkout nobody can open, unless the caller lets the hold lapse on its own
 * (`keepSeat`: a pay link followed again, or by a mail scanner).
 */
export function decideCheckoutFailure(
  failure: { statusCode: number | undefined } | null,
  request: { retriable: boolean; keepSeat: boolean },
  holdUntil: string | null,
): CheckoutFailure {
  const transient = failure !== null && checkoutFailureTransient(failure.statusCode);
  if (request.retriable && transient && holdUntil)
    return { release: false, code: "checkout_failed", heldUntil: holdUntil, retryWithKey: true };
  return {
    release: !request.keepSeat,
    code: transient ? "checkout_failed" : "payments_unavailable",
    heldUntil: transient && request.keepSeat ? holdUntil : null,
    retryWithKey: false,
  };
}
