// Making the refunds that are due: a registration whose refundDueAt is set (by a late payment,
// or by the refund policy on a cancellation, through store.updateRegistration) is queued once; the
// consumer refunds its payment at Stripe once (idempotency key refund:{registrationId}), retries
// when Stripe fails, and records refundedAt and refundedAmount; a payment taken at the dev
// checkout was never charged, so its refund is only recorded.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import type { LedgerStore } from "../../worker/ledger/store";
import { api, BASE, DEV_BASE, ledger, newOrg, newSession, person } from "./helpers";
import { captureRefunds, postEvent, runRefunds, signedEvent, stripeAccount } from "./stripe-helpers";

const PRICE = { amount: 4000, currency: "CHF" };

async function pricedSession() {
  const { key } = await newOrg("Lake Club");
  const s = await newSession(key, { price: PRICE });
  const refunds = await captureRefunds(s.id);
  return { key, s, refunds };
}

async function refundColumns(sessionId: string, registrationId: string) {
  return runInDurableObject(ledger(sessionId), (_i: SessionLedger, state) =>
    state.storage.sql
      .exec<{ refund_due_at: string | null; refunded_at: string | null; refunded_amount: number | null }>(
        "select refund_due_at, refunded_at, refunded_amount from registrations where id = ?",
        registrationId,
      )
      .one(),
  );
}

/** What the refund policy does on a cancellation it refunds: sets refundDueAt through the store, nothing else. */
async function setRefundDue(sessionId: string, registrationId: string) {
  await runInDurableObject(ledger(sessionId), (instance: SessionLedger) => {
    const store = (instance as unknown as { store: LedgerStore }).store;
    store.transaction(() => {
      const r = store.registration(registrationId)!;
      store.updateRegistration(r, { ...r, refundDueAt: new Date().toISOString() });
    });
    // As after any change of the ledger: its outboxes drain.
    (instance as unknown as { drainer: { soon(): void } }).drainer.soon();
  });
}

describe("refunds due", () => {
  it("refunds a Stripe payment once when refundDueAt is set, retrying after Stripe fails, however often the message comes", async () => {
    const stripe = stripeAccount();
    const { s, refunds } = await pricedSession();
    const res = await api("POST", `/v1/public/sessions/${s.id}/registrations`, { body: person(1), bindings: stripe.bindings, base: BASE });
    const registrationId = res.body.registration.id as string;
    const checkout = (await stripe.state()).checkouts[0]!.checkout;
    await postEvent(stripe.bindings, await signedEvent("checkout.session.completed", await stripe.complete(checkout.id)));
    expect(refunds).toEqual([]);

    await setRefundDue(s.id, registrationId);
    // Setting it again (another write of the row) queues nothing more.
    await setRefundDue(s.id, registrationId);
    await vi.waitFor(() => expect(refunds).toEqual([{ sessionId: s.id, registrationId }]));

    // Stripe fails: the message is retried, nothing is recorded.
    await fetch(`${stripe.bindings.STRIPE_API_BASE}/_control/fail`, {
      method: "POST",
      headers: { authorization: `Bearer ${stripe.bindings.STRIPE_SECRET_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ status: 500, times: 2 }),
    });
    const failed = await runRefunds(stripe.env, [refunds[0]!]);
    expect(failed.retryMessages).toHaveLength(1);
    expect((await refundColumns(s.id, registrationId)).refunded_at).toBeNull();

    const first = await runRefunds(stripe.env, [refunds[0]!, refunds[0]!]);
    expect(first.explicitAcks).toHaveLength(2);
    await runRefunds(stripe.env, [refunds[0]!]);
    const { refunds: made, requests } = await stripe.state();
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ amount: 4000, metadata: { registrationId, sessionId: s.id } });
    expect(new Set(requests.filter((r) => r.path === "/v1/refunds").map((r) => r.idempotencyKey))).toEqual(
      new Set([`refund:${registrationId}`]),
    );
    const recorded = await refundColumns(s.id, registrationId);
    expect(recorded.refunded_amount).toBe(4000);
    expect(recorded.refunded_at).not.toBeNull();
  });

  it("records the refund of a payment taken at the dev checkout without calling Stripe (nothing was charged)", async () => {
    const stripe = stripeAccount();
    const { s, refunds } = await pricedSession();
    const res = await api("POST", `/v1/public/sessions/${s.id}/registrations`, { body: person(1), base: DEV_BASE });
    const registrationId = res.body.registration.id as string;
    const page = await api("GET", new URL(res.body.checkoutUrl).pathname, { base: DEV_BASE });
    const token = /name="token" value="([^"]+)"/.exec(page.body as string)![1]!;
    await api("POST", new URL(res.body.checkoutUrl).pathname, {
      base: DEV_BASE,
      raw: new URLSearchParams({ token, outcome: "paid" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    await setRefundDue(s.id, registrationId);
    await vi.waitFor(() => expect(refunds).toHaveLength(1));
    await runRefunds(stripe.env, refunds);
    expect(await refundColumns(s.id, registrationId)).toMatchObject({ refunded_amount: 4000 });
    expect((await stripe.state()).requests).toEqual([]);
  });
});
