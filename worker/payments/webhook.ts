// Stripe's events (POST /v1/webhooks/stripe), verified with STRIPE_WEBHOOK_SECRET over the raw
// body (Stripe-Signature, Web Crypto). Each event id is handled once (the D1 table of handled
// webhook events, shared with Resend's, its ids prefixed "stripe:"), and forgotten again when
// handling fails, so that Stripe's retry is handled. What an event does is the ledger's to decide
// from the registration's state (payments/decide.ts), so events out of order are safe:
// - checkout.session.completed (paid): "paid" — confirms, or records a refund due when the seat
//   is gone; the PaymentIntent id is kept for the refund.
// - checkout.session.expired: "abandoned" — frees the seat (nothing once paid).
// - charge.refunded: the refund as Stripe has it (made by us or in Stripe's dashboard) is
//   recorded on the registration its PaymentIntent's metadata names.

import { fail, type Outcome, ok } from "../errors/problem";
import { handleOnce } from "../http/handled-once";
import { sessionOfChild } from "../ids/ids";
import { ledgerFor } from "../sessions/ledger-client";
import type { CheckoutOutcome } from "./decide";
import { type Stripe, StripeSdk, stripeClient, stripeSettings, subtleCrypto } from "./stripe";

export const STRIPE_WEBHOOK_EVENTS = ["checkout.session.completed", "checkout.session.expired", "charge.refunded"] as const;

export type StripeWebhookResult = "applied" | "replayed" | "ignored" | "unknown_registration";

type Metadata = Record<string, string> | null | undefined;

/** The registration a checkout or a payment was made for, from the metadata we gave it. */
function registrationOf(metadata: Metadata, fallbackId?: string | null): { registrationId: string; sessionId: string } | null {
  const registrationId = metadata?.registrationId ?? fallbackId ?? null;
  const sessionId = registrationId ? sessionOfChild("reg", registrationId) : null;
  return registrationId && sessionId ? { registrationId, sessionId } : null;
}

export async function handleStripeWebhook(
  env: Env,
  rawBody: string,
  signature: string | null,
  now: Date,
): Promise<Outcome<{ result: StripeWebhookResult }>> {
  const settings = stripeSettings(env);
  const secret = env.STRIPE_WEBHOOK_SECRET?.trim();
  if (!secret) return fail("unavailable", "STRIPE_WEBHOOK_SECRET is not configured; Stripe will retry.");
  if (!signature) return fail("stripe_signature_invalid", "The Stripe-Signature header is missing.");
  let event: Stripe.Event;
  try {
    event = await StripeSdk.webhooks.constructEventAsync(rawBody, signature, secret, undefined, subtleCrypto());
  } catch {
    return fail(
      "stripe_signature_invalid",
      "The Stripe-Signature header does not match this body and STRIPE_WEBHOOK_SECRET (or is older than 5 minutes).",
    );
  }
  if (!(STRIPE_WEBHOOK_EVENTS as readonly string[]).includes(event.type)) return ok({ result: "ignored" });

  const stripe = settings.kind === "complete" ? stripeClient(settings.config) : null;
  const handled = await handleOnce(env.DB, { id: `stripe:${event.id}`, type: event.type }, now, () => applyEvent(env, event, stripe));
  return ok({ result: handled.replayed ? "replayed" : handled.value });
}

async function applyEvent(env: Env, event: Stripe.Event, stripe: Stripe | null): Promise<StripeWebhookResult> {
  if (event.type === "checkout.session.completed" || event.type === "checkout.session.expired") {
    const checkout = event.data.object;
    // A completed checkout whose payment is still on its way (delayed methods) is not paid yet.
    if (event.type === "checkout.session.completed" && checkout.payment_status !== "paid") return "ignored";
    const target = registrationOf(checkout.metadata, checkout.client_reference_id);
    if (!target) return "unknown_registration";
    const ledger = ledgerFor(env, target.sessionId);
    if (!ledger.ok) return "unknown_registration";
    const outcome: CheckoutOutcome = event.type === "checkout.session.completed" ? "paid" : "abandoned";
    const paymentId = typeof checkout.payment_intent === "string" ? checkout.payment_intent : (checkout.payment_intent?.id ?? null);
    const settled = await ledger.value.settlePayment(target.registrationId, outcome, { checkoutId: checkout.id, paymentId });
    return settled.ok ? "applied" : "unknown_registration";
  }
  if (event.type === "charge.refunded") {
    const charge = event.data.object;
    let metadata: Metadata = charge.metadata;
    // The registration is named on the PaymentIntent (payment_intent_data.metadata at checkout).
    if (!registrationOf(metadata) && typeof charge.payment_intent === "string" && stripe)
      metadata = (await stripe.paymentIntents.retrieve(charge.payment_intent)).metadata;
    const target = registrationOf(metadata);
    if (!target) return "unknown_registration";
    const ledger = ledgerFor(env, target.sessionId);
    if (!ledger.ok) return "unknown_registration";
    const at = new Date((charge.refunds?.data?.[0]?.created ?? event.created) * 1000).toISOString();
    const recorded = await ledger.value.recordRefund(target.registrationId, { amount: charge.amount_refunded, at });
    return recorded.ok ? "applied" : "unknown_registration";
  }
  return "ignored";
}
