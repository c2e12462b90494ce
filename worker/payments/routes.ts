// POST /v1/webhooks/stripe: Stripe's events about checkouts and refunds (payments/webhook.ts).

import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../errors/problem";
import { router } from "../http/app";
import { jsonResponse, problems } from "../http/openapi";
import { handleStripeWebhook } from "./webhook";

const StripeWebhookResult = z
  .object({ result: z.enum(["applied", "replayed", "ignored", "unknown_registration"]) })
  .openapi("StripeWebhookResult");

const stripeWebhook = createRoute({
  method: "post",
  path: "/webhooks/stripe",
  operationId: "receiveStripeEvents",
  security: [],
  tags: ["Webhooks"],
  summary: "Checkout and refund events from Stripe",
  description:
    "Signed by Stripe (`Stripe-Signature`) with STRIPE_WEBHOOK_SECRET, verified over the raw body; a signature older than 5 minutes is refused " +
    "and a replayed event id changes nothing. checkout.session.completed (paid) confirms the registration, or records a refund due when its seat is gone; " +
    "checkout.session.expired frees the seat; charge.refunded records the refund (amount, when) on the registration, whoever made it. " +
    "Other events are answered 200 and ignored. Without STRIPE_WEBHOOK_SECRET: 503, and Stripe retries.",
  responses: {
    200: jsonResponse(StripeWebhookResult, "Accepted (also for replays and for events that concern no registration)"),
    ...problems("stripe_signature_invalid", "unavailable"),
  },
});

export const paymentRoutes = router().openapi(stripeWebhook, async (c) => {
  const outcome = await handleStripeWebhook(c.env, await c.req.text(), c.req.header("stripe-signature") ?? null, c.var.clock.now());
  return c.json(unwrap(outcome), 200);
});
