// Steps the Stripe tests share: an account of the Stripe stand-in of this run (its own secret key,
// so parallel tests do not meet), the worker's settings pointing at it, Stripe's events signed as
// Stripe signs them, and the ledger's refund messages captured and handed to the consumer.
import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from "cloudflare:test";
import Stripe from "stripe";
import { inject } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import type { RefundQueueMessage } from "../../worker/payments/decide";
import { handleRefundQueue } from "../../worker/payments/refunds";
import { api } from "./helpers";
import { ledgerStub } from "./invitation-helpers";

declare module "vitest" {
  interface ProvidedContext {
    stripeStandinUrl: string;
  }
}

export const WEBHOOK_SECRET = "whsec_stripe-test-webhook-secret-0123456789";

export function stripeAccount() {
  const url = inject("stripeStandinUrl");
  const secretKey = `sk_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json() as Promise<any>;
  };
  const bindings = { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: url } as Partial<Env>;
  return {
    bindings,
    env: { ...env, ...bindings } as Env,
    /** The person pays at Stripe: the session completes (answers it as checkout.session.completed carries it). */
    complete: (checkout: string) => call("POST", "/_control/complete", { checkout }),
    expire: (checkout: string) => call("POST", "/_control/expire", { checkout }),
    /**
     * The next `times` requests answer `status` (with `remember`, kept under their Idempotency-Key
     * and replayed, as Stripe keeps a 500); answers the bindings that reach the stand-in.
     */
    failNext: async (status: number, times: number, remember = false) => {
      await call("POST", "/_control/fail", { status, times, remember });
      return bindings;
    },
    charge: (paymentIntent: string) => call("GET", `/_control/charge?payment_intent=${encodeURIComponent(paymentIntent)}`),
    state: () =>
      call("GET", "/_control/state") as Promise<{
        checkouts: { checkout: any; params: any }[];
        refunds: any[];
        requests: { method: string; path: string; idempotencyKey: string | null }[];
      }>,
    /** Refunds made at the stand-in and not yet (or already) recorded: a refund payment of the charge. */
    refund: (paymentIntent: string) =>
      fetch(`${url}/v1/refunds`, {
        method: "POST",
        headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ payment_intent: paymentIntent }),
      }).then((r) => r.json() as Promise<any>),
  };
}

let eventCounter = 0;

/** A Stripe event about `object`, signed with `secret` as Stripe signs (t=…,v1=…). */
export async function signedEvent(type: string, object: unknown, secret = WEBHOOK_SECRET, id = `evt_test_${Date.now()}_${eventCounter++}`) {
  const body = JSON.stringify({
    id,
    object: "event",
    type,
    created: Math.floor(Date.now() / 1000),
    api_version: Stripe.API_VERSION,
    data: { object },
  });
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload: body,
    secret,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return { id, body, signature };
}

/** Posts a (signed) event to the worker's Stripe webhook with these settings. */
export function postEvent(bindings: Partial<Env>, event: { body: string; signature: string | null }) {
  return api("POST", "/v1/webhooks/stripe", {
    raw: event.body,
    headers: { "content-type": "application/json", ...(event.signature ? { "stripe-signature": event.signature } : {}) },
    bindings,
  });
}

/** The ledger's refund messages go to this array instead of the queue (from now on). */
export async function captureRefunds(sessionId: string): Promise<RefundQueueMessage[]> {
  const captured: RefundQueueMessage[] = [];
  await runInDurableObject(ledgerStub(sessionId), (instance: SessionLedger) => {
    instance.refundQueue = {
      sendBatch: async (messages: Iterable<MessageSendRequest<RefundQueueMessage>>) => {
        for (const m of messages) captured.push(m.body);
      },
    } as unknown as SessionLedger["refundQueue"];
  });
  return captured;
}

/** Runs the refunds consumer over these messages as the queue would; answers what it acked and retried. */
export async function runRefunds(stripeEnv: Env, messages: RefundQueueMessage[]) {
  const batch = createMessageBatch<RefundQueueMessage>(
    "rollcall-refunds",
    messages.map((body, i) => ({ id: `refund-${Date.now()}-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await handleRefundQueue(batch, stripeEnv);
  return getQueueResult(batch, ctx);
}
