// What a checkout's outcome does to a registration awaiting payment: plain decisions over the
// registration's stored state and the session's seats. The ledger loads, calls these in its
// transaction, and applies what they return; the same decision serves the dev checkout page and
// the payment provider's events, whatever order those arrive in.

import type { DiscountQuote } from "../discounts/decide";

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
