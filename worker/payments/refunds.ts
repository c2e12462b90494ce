// Making the refunds that are due, off the request path: the ledger queues one message per
// registration whose refundDueAt was set (its refund outbox, ledger/store.ts), and this consumer
// refunds the payment at Stripe with the idempotency key refund:{registrationId}: a message
// delivered twice, or retried after a lost answer, makes one refund. Then the ledger records it
// (refundedAt, refundedAmount) and announces payment.refunded. A registration paid at the dev
// checkout was never charged: its refund is recorded as it is. Failures retry with backoff.

import { sessionLedger } from "../sessions/ledger-client";
import type { RefundOrder, RefundQueueMessage } from "./decide";
import { stripeClient, stripeSettings } from "./stripe";

export const REFUND_QUEUE = "rollcall-refunds";

/** Seconds before the next try of a refund that failed: 30 s, doubling, at most an hour. */
export function refundRetryDelay(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

export type RefundOutcome = "refunded" | "recorded" | "nothing_due" | "cannot_refund";

/** One refund due: made (or found made) and recorded. Throws when it should be tried again. */
export async function makeRefund(env: Env, message: RefundQueueMessage, now: Date): Promise<RefundOutcome> {
  const ledger = sessionLedger(env, message.sessionId);
  const found = await ledger.refundOrder(message.registrationId);
  if (!found.ok) return "nothing_due";
  const order = found.value as RefundOrder;
  if (order.refundDueAt === null || order.refundedAt !== null) return "nothing_due";
  if (order.paymentId === null) {
    // A Stripe checkout whose payment we never heard of: nothing to refund it against.
    if (order.checkoutId !== null) {
      console.error(`refund of ${order.registrationId}: checkout ${order.checkoutId} has no known payment`);
      return "cannot_refund";
    }
    // Paid at the dev checkout: nothing was charged, so the refund is only recorded.
    await ledger.recordRefund(order.registrationId, { amount: order.amount, at: now.toISOString() });
    return "recorded";
  }
  const settings = stripeSettings(env);
  if (settings.kind !== "complete") throw new Error(`refund of ${order.registrationId}: Stripe is not configured`);
  const refund = await stripeClient(settings.config).refunds.create(
    { payment_intent: order.paymentId, metadata: { registrationId: order.registrationId, sessionId: order.sessionId } },
    { idempotencyKey: `refund:${order.registrationId}` },
  );
  await ledger.recordRefund(order.registrationId, { amount: refund.amount, at: new Date(refund.created * 1000).toISOString() });
  return "refunded";
}

export async function handleRefundQueue(
  batch: MessageBatch<RefundQueueMessage>,
  env: Env,
  now: () => Date = () => new Date(),
): Promise<void> {
  for (const message of batch.messages) {
    try {
      await makeRefund(env, message.body, now());
      message.ack();
    } catch (error) {
      console.error(`refund of ${message.body.registrationId} failed:`, error instanceof Error ? error.message : error);
      message.retry({ delaySeconds: refundRetryDelay(message.attempts) });
    }
  }
}
