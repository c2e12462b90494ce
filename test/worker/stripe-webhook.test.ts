// POST /v1/webhooks/stripe: Stripe's signed events settle the registration the checkout was made
// for (paid confirms, expired frees the seat), in whatever order they come; a forged one changes
// nothing; a replay is handled once; a refund Stripe reports is recorded; a payment that found
// its seat gone is refunded once, however often the refund message comes.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { api, BASE, expectProblem, ledger, newOrg, newSession, person, readSession } from "./helpers";
import { captureEvents, captureMail, mailSoFar } from "./invitation-helpers";
import { captureRefunds, postEvent, runRefunds, signedEvent, stripeAccount } from "./stripe-helpers";

const PRICE = { amount: 2500, currency: "EUR" };

async function pricedSession(overrides: Record<string, unknown> = {}) {
  const { key } = await newOrg("Forest Camp");
  const s = await newSession(key, { price: PRICE, ...overrides });
  const refunds = await captureRefunds(s.id);
  const captured = await captureMail(s.id);
  const events = await captureEvents(s.id);
  return { key, s, refunds, captured, events };
}

async function registerAndCheckout(stripe: ReturnType<typeof stripeAccount>, sessionId: string, i: number) {
  const res = await api("POST", `/v1/public/sessions/${sessionId}/registrations`, {
    body: person(i),
    bindings: stripe.bindings,
    base: BASE,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const checkout = (await stripe.state()).checkouts.find((c) => c.params.client_reference_id === res.body.registration.id)!.checkout;
  return { registrationId: res.body.registration.id as string, checkoutId: checkout.id as string };
}

async function row(sessionId: string, registrationId: string) {
  return runInDurableObject(ledger(sessionId), (_i: SessionLedger, state) =>
    state.storage.sql
      .exec<{
        status: string;
        paid_at: string | null;
        payment_id: string | null;
        refund_due_at: string | null;
        refunded_at: string | null;
        refunded_amount: number | null;
      }>("select status, paid_at, payment_id, refund_due_at, refunded_at, refunded_amount from registrations where id = ?", registrationId)
      .one(),
  );
}

const completed = async (stripe: ReturnType<typeof stripeAccount>, checkoutId: string) =>
  signedEvent("checkout.session.completed", await stripe.complete(checkoutId));
const expired = async (stripe: ReturnType<typeof stripeAccount>, checkoutId: string) =>
  signedEvent("checkout.session.expired", await stripe.expire(checkoutId));

describe("POST /v1/webhooks/stripe", () => {
  it("confirms the registration on checkout.session.completed, keeps its PaymentIntent, and a replay is handled once", async () => {
    const stripe = stripeAccount();
    const { key, s, captured } = await pricedSession();
    const { registrationId, checkoutId } = await registerAndCheckout(stripe, s.id, 1);
    const event = await completed(stripe, checkoutId);
    const res = await postEvent(stripe.bindings, event);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ result: "applied" });
    const paid = await row(s.id, registrationId);
    expect(paid).toMatchObject({ status: "confirmed", refund_due_at: null });
    expect(paid.payment_id).toMatch(/^pi_test_/);
    expect((await postEvent(stripe.bindings, event)).body).toEqual({ result: "replayed" });
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0 });
    await vi.waitFor(async () => expect((await mailSoFar(s.id, captured)).map((m) => m.template)).toEqual(["registration_confirmed"]));
    const roster = await api("GET", `/v1/sessions/${s.id}/roster`, { key });
    expect(roster.body.rows.find((r: { id: string }) => r.id === registrationId).payment).toMatchObject({
      status: "paid",
      paidAt: paid.paid_at,
      refundedAt: null,
      refundedAmount: null,
    });
  });

  it("refuses a forged or missing signature with 400 stripe_signature_invalid and changes nothing; 503 without a secret", async () => {
    const stripe = stripeAccount();
    const { s } = await pricedSession();
    const { registrationId, checkoutId } = await registerAndCheckout(stripe, s.id, 1);
    const object = await stripe.complete(checkoutId);
    const forged = await signedEvent("checkout.session.completed", object, "whsec_not-the-secret-of-this-worker-000");
    expectProblem(await postEvent(stripe.bindings, forged), "stripe_signature_invalid");
    expect((await postEvent(stripe.bindings, forged)).status).toBe(400);
    const genuine = await signedEvent("checkout.session.completed", object);
    expectProblem(await postEvent(stripe.bindings, { body: genuine.body, signature: null }), "stripe_signature_invalid");
    // The body changed after signing (the amount, the registration): the signature no longer matches.
    expectProblem(
      await postEvent(stripe.bindings, { body: genuine.body.replace(registrationId, "reg_other"), signature: genuine.signature }),
      "stripe_signature_invalid",
    );
    expectProblem(await postEvent({ ...stripe.bindings, STRIPE_WEBHOOK_SECRET: "" }, genuine), "unavailable");
    expect(await row(s.id, registrationId)).toMatchObject({ status: "pending_payment", paid_at: null, payment_id: null });
    // The genuine event, once the worker has its secret, still applies: nothing above remembered its id.
    expect((await postEvent(stripe.bindings, genuine)).body).toEqual({ result: "applied" });
  });

  it("frees the seat on checkout.session.expired; a completion after that confirms while a seat is free", async () => {
    const stripe = stripeAccount();
    const { key, s, refunds } = await pricedSession({ maxParticipants: 2, minParticipants: 1 });
    const { registrationId, checkoutId } = await registerAndCheckout(stripe, s.id, 1);
    expect((await postEvent(stripe.bindings, await expired(stripe, checkoutId))).body).toEqual({ result: "applied" });
    expect(await row(s.id, registrationId)).toMatchObject({ status: "cancelled" });
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 0, available: 2 });
    expect((await postEvent(stripe.bindings, await completed(stripe, checkoutId))).body).toEqual({ result: "applied" });
    expect(await row(s.id, registrationId)).toMatchObject({ status: "confirmed", refund_due_at: null });
    expect(refunds).toEqual([]);
  });

  it("expired, then completed with the seat gone: the payment is refunded once, even when the refund message comes twice", async () => {
    const stripe = stripeAccount();
    const { key, s, refunds, events } = await pricedSession({ maxParticipants: 1, minParticipants: 1 });
    const { registrationId, checkoutId } = await registerAndCheckout(stripe, s.id, 1);
    // The held seat is taken: the next one waits, and moves up when the checkout expires.
    const next = await api("POST", `/v1/public/sessions/${s.id}/registrations`, { body: person(2), bindings: stripe.bindings, base: BASE });
    expect(next.body.registration.status).toBe("waitlisted");
    await postEvent(stripe.bindings, await expired(stripe, checkoutId));
    const late = await completed(stripe, checkoutId);
    expect((await postEvent(stripe.bindings, late)).body).toEqual({ result: "applied" });
    const due = await row(s.id, registrationId);
    expect(due).toMatchObject({ status: "cancelled", refunded_at: null });
    expect(due.refund_due_at).not.toBeNull();
    await vi.waitFor(() => expect(refunds).toEqual([{ sessionId: s.id, registrationId }]));

    // The queue may deliver a message twice, and a consumer may run again after a lost answer.
    await runRefunds(stripe.env, [refunds[0]!, refunds[0]!]);
    await runRefunds(stripe.env, [refunds[0]!]);
    const state = await stripe.state();
    expect(state.refunds).toHaveLength(1);
    expect(state.refunds[0]).toMatchObject({ amount: 2500, payment_intent: due.payment_id });
    expect(state.requests.filter((r) => r.path === "/v1/refunds").every((r) => r.idempotencyKey === `refund:${registrationId}`)).toBe(true);
    const refunded = await row(s.id, registrationId);
    expect(refunded).toMatchObject({ refunded_amount: 2500 });
    expect(refunded.refunded_at).not.toBeNull();
    // Stripe then reports the refund it made: the same record, announced once.
    const charge = await stripe.charge(due.payment_id!);
    expect((await postEvent(stripe.bindings, await signedEvent("charge.refunded", charge))).body).toEqual({ result: "applied" });
    expect(await row(s.id, registrationId)).toMatchObject({ refunded_amount: 2500, refunded_at: refunded.refunded_at });
    await vi.waitFor(() => expect(events.filter((e) => e.type === "payment.refunded")).toHaveLength(1));
    expect(events.find((e) => e.type === "payment.refunded")!.data).toMatchObject({
      registrationId,
      amount: 2500,
      currency: "EUR",
      refundedAmount: 2500,
    });
    // The one seat stays with the person who moved up from the waitlist, held while they pay.
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 1, confirmed: 0, waitlisted: 0 });
  });

  it("completed, then expired: stays confirmed", async () => {
    const stripe = stripeAccount();
    const { s } = await pricedSession();
    const { registrationId, checkoutId } = await registerAndCheckout(stripe, s.id, 1);
    await postEvent(stripe.bindings, await completed(stripe, checkoutId));
    expect(
      (
        await postEvent(
          stripe.bindings,
          await signedEvent("checkout.session.expired", { ...(await stripe.expire(checkoutId)), status: "expired" }),
        )
      ).status,
    ).toBe(200);
    expect(await row(s.id, registrationId)).toMatchObject({ status: "confirmed" });
  });

  it("records a refund made in Stripe's dashboard (charge.refunded), found through the PaymentIntent, and announces payment.refunded", async () => {
    const stripe = stripeAccount();
    const { s, events } = await pricedSession();
    const { registrationId, checkoutId } = await registerAndCheckout(stripe, s.id, 1);
    await postEvent(stripe.bindings, await completed(stripe, checkoutId));
    const { payment_id } = await row(s.id, registrationId);
    await stripe.refund(payment_id!);
    const charge = await stripe.charge(payment_id!);
    expect(charge.metadata).toEqual({});
    expect((await postEvent(stripe.bindings, await signedEvent("charge.refunded", charge))).body).toEqual({ result: "applied" });
    const refunded = await row(s.id, registrationId);
    expect(refunded).toMatchObject({ status: "confirmed", refunded_amount: 2500 });
    expect(refunded.refunded_at).not.toBeNull();
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain("payment.refunded"));
  });

  it("ignores events it does not handle, and a checkout of a registration it does not know", async () => {
    const stripe = stripeAccount();
    expect((await postEvent(stripe.bindings, await signedEvent("customer.created", { id: "cus_1" }))).body).toEqual({ result: "ignored" });
    const stranger = await signedEvent("checkout.session.completed", {
      id: "cs_test_x",
      object: "checkout.session",
      payment_status: "paid",
      client_reference_id: null,
      metadata: {},
      payment_intent: "pi_test_x",
    });
    expect((await postEvent(stripe.bindings, stranger)).body).toEqual({ result: "unknown_registration" });
  });
});
