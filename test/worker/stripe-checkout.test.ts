// Stripe Checkout for priced sessions: with Stripe configured, registering creates one Checkout
// Session per registration (the amount after discount, the hold's end as expires_at, the
// registration in its metadata) and answers its url; retries make no second one, after a failed
// create too (the seat stays held for a retry with the same Idempotency-Key); where Stripe is
// half configured nothing is held; the page to come back to is taken only from the org's own
// origins (no open redirect), at Stripe and at the dev checkout page alike.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { PAYMENT_HOLD_MS } from "../../worker/registrations/decide";
import { api, BASE, DEV_BASE, expectProblem, ledger, ledgerClock, newOrg, newSession, person, readSession } from "./helpers";
import { stripeAccount } from "./stripe-helpers";

const PRICE = { amount: 2500, currency: "EUR" };

async function pricedSession(overrides: Record<string, unknown> = {}, embedOrigins?: string[]) {
  const { key } = await newOrg("Forest Camp");
  if (embedOrigins) expect((await api("PATCH", "/v1/org", { key, body: { settings: { embedOrigins } } })).status).toBe(200);
  const s = await newSession(key, { price: PRICE, ...overrides });
  return { key, s };
}

const registerWith = (
  bindings: Partial<Env>,
  sessionId: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  base = BASE,
) => api("POST", `/v1/public/sessions/${sessionId}/registrations`, { body, bindings, headers, base });

async function checkoutColumns(sessionId: string) {
  return runInDurableObject(ledger(sessionId), (_i: SessionLedger, state) =>
    state.storage.sql
      .exec<{ id: string; status: string; checkout_id: string | null }>(
        "select id, status, checkout_id from registrations order by created_at",
      )
      .toArray(),
  );
}

describe("POST /v1/public/sessions/{id}/registrations with Stripe", () => {
  it("creates a Checkout Session for the amount after discount, ending with the hold, and answers its url", async () => {
    const stripe = stripeAccount();
    const { key, s } = await pricedSession();
    expect((await api("POST", "/v1/discount-codes", { key, body: { code: "EARLY10", percentOff: 10 } })).status).toBe(201);
    const res = await registerWith(stripe.bindings, s.id, { ...person(1), locale: "fr", discountCode: "early10" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.status).toBe("pending_payment");
    expect(res.body.payment).toMatchObject({ amount: 2250, currency: "EUR" });

    const { checkouts, requests } = await stripe.state();
    expect(checkouts).toHaveLength(1);
    const { checkout, params } = checkouts[0]!;
    expect(res.body.checkoutUrl).toBe(checkout.url);
    const registrationId = res.body.registration.id;
    expect(params).toMatchObject({
      mode: "payment",
      line_items: [
        { quantity: "1", price_data: { currency: "eur", unit_amount: "2250", product_data: { name: `${s.title} — Forest Camp` } } },
      ],
      client_reference_id: registrationId,
      metadata: { registrationId, sessionId: s.id },
      payment_intent_data: { metadata: { registrationId, sessionId: s.id } },
      customer_email: "person1@example.org",
      locale: "fr",
      expires_at: String(Math.floor(Date.parse(res.body.payment.holdUntil) / 1000)),
      success_url: `${BASE}/s/${s.id}?rollcall_checkout=paid`,
      cancel_url: `${BASE}/s/${s.id}?rollcall_checkout=cancelled`,
    });
    expect(requests).toEqual([{ method: "POST", path: "/v1/checkout/sessions", idempotencyKey: `checkout:${registrationId}` }]);
    expect(await checkoutColumns(s.id)).toEqual([{ id: registrationId, status: "pending_payment", checkout_id: checkout.id }]);
  });

  it("answers a retried registration (same Idempotency-Key) with the same checkoutUrl and creates no second Checkout Session", async () => {
    const stripe = stripeAccount();
    const { s } = await pricedSession();
    const headers = { "idempotency-key": "retry-once-0001" };
    const first = await registerWith(stripe.bindings, s.id, person(1), headers);
    const again = await registerWith(stripe.bindings, s.id, person(1), headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.checkoutUrl).toBe(first.body.checkoutUrl);
    expect((await stripe.state()).checkouts).toHaveLength(1);
    expect(await checkoutColumns(s.id)).toHaveLength(1);
  });

  it("refuses with 503 payments_unavailable when STRIPE_WEBHOOK_SECRET is missing, even locally, and holds nothing", async () => {
    const stripe = stripeAccount();
    const { key, s } = await pricedSession();
    const halfway = { ...stripe.bindings, STRIPE_WEBHOOK_SECRET: "" };
    expectProblem(await registerWith(halfway, s.id, person(1)), "payments_unavailable");
    expectProblem(await registerWith(halfway, s.id, person(2), {}, DEV_BASE), "payments_unavailable");
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 0, available: 10 });
    expect(await checkoutColumns(s.id)).toEqual([]);
    expect((await stripe.state()).requests).toEqual([]);
  });

  it("frees the held seat and answers payments_unavailable when Stripe refuses to create the checkout (4xx)", async () => {
    const stripe = stripeAccount();
    const { key, s } = await pricedSession({ maxParticipants: 1, minParticipants: 1 });
    await fetch(`${stripe.bindings.STRIPE_API_BASE}/_control/fail`, {
      method: "POST",
      headers: { authorization: `Bearer ${stripe.bindings.STRIPE_SECRET_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ status: 400, times: 5 }),
    });
    expectProblem(await registerWith(stripe.bindings, s.id, person(1)), "payments_unavailable");
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 0, available: 1 });
  });
});

describe("POST /v1/public/sessions/{id}/registrations when creating the Stripe checkout fails for a moment", () => {
  async function uses(discountId: string) {
    const row = await env.DB.prepare("select count(*) as n from discount_redemptions where discount_id = ?")
      .bind(discountId)
      .first<{ n: number }>();
    return row?.n ?? 0;
  }

  // How the first request's checkout fails, its own retry by the Stripe client included: Stripe
  // keeps a 500's answer under its Idempotency-Key and replays it; a 500 before anything ran keeps
  // nothing; a network failure reaches nothing. Answers the bindings the first request is sent with.
  const failures: [string, (stripe: ReturnType<typeof stripeAccount>) => Promise<Partial<Env>>, string][] = [
    ["Stripe answers 500 and replays it under the same key", (stripe) => stripe.failNext(500, 2, true), ":2"],
    ["Stripe answers 503 and keeps nothing", (stripe) => stripe.failNext(503, 2), ""],
    ["Stripe cannot be reached", async (stripe) => ({ ...stripe.bindings, STRIPE_API_BASE: "http://127.0.0.1:9" }), ""],
  ];
  for (const [cause, failFirst, keySuffix] of failures)
    it(`answers the retry with the same Idempotency-Key with the same registration and one checkoutUrl when ${cause}`, async () => {
      const stripe = stripeAccount();
      const { key, s } = await pricedSession({ maxParticipants: 2, minParticipants: 1 });
      const code = await api("POST", "/v1/discount-codes", { key, body: { code: "EARLY10", percentOff: 10 } });
      expect(code.status).toBe(201);
      const headers = { "idempotency-key": "stripe-down-0001" };
      const body = { ...person(1), discountCode: "early10" };
      const first = await registerWith(await failFirst(stripe), s.id, body, headers);
      // Its own code, not payments_unavailable (no checkout set up): when to try again, and until when the seat is held.
      expectProblem(first, "checkout_failed");
      expect(first.status).toBe(503);
      expect(first.headers.get("retry-after")).toBe("10");
      expect(first.body.detail).toContain("same Idempotency-Key");
      expect((await readSession(key, s.id)).seats).toMatchObject({ held: 1, available: 1 });

      const again = await registerWith(stripe.bindings, s.id, body, headers);
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(first.body.heldUntil).toBe(again.body.payment.holdUntil);
      expect(first.body.detail).toContain(first.body.heldUntil);
      const { checkouts, requests } = await stripe.state();
      expect(checkouts).toHaveLength(1);
      expect(again.body.checkoutUrl).toBe(checkouts[0]!.checkout.url);
      expect(again.body.payment).toMatchObject({ amount: 2250 });
      const registrationId = again.body.registration.id;
      expect(await checkoutColumns(s.id)).toEqual([
        { id: registrationId, status: "pending_payment", checkout_id: checkouts[0]!.checkout.id },
      ]);
      // The key whose create failed is spent when Stripe replays its failure; the next one made the checkout.
      expect(requests.at(-1)!.idempotencyKey).toBe(`checkout:${registrationId}${keySuffix}`);

      // Once more: the same checkout, still one seat and one use of the code.
      const third = await registerWith(stripe.bindings, s.id, body, headers);
      expect(third.status).toBe(201);
      expect(third.body.checkoutUrl).toBe(again.body.checkoutUrl);
      expect((await stripe.state()).checkouts).toHaveLength(1);
      expect((await readSession(key, s.id)).seats).toMatchObject({ held: 1, available: 1 });
      expect(await uses(code.body.id)).toBe(1);
    });

  it("frees the seat when the request has no Idempotency-Key (nothing could answer its retry with this registration)", async () => {
    const stripe = stripeAccount();
    const { key, s } = await pricedSession({ maxParticipants: 2, minParticipants: 1 });
    await stripe.failNext(500, 2, true);
    const first = await registerWith(stripe.bindings, s.id, person(1));
    expectProblem(first, "checkout_failed");
    expect(first.headers.get("retry-after")).toBe("10");
    expect(first.body.detail).not.toContain("Idempotency-Key");
    expect(first.body).not.toHaveProperty("heldUntil");
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 0, available: 2 });
    expect((await registerWith(stripe.bindings, s.id, person(1))).status).toBe(201);
  });

  it("makes no checkout for a registration whose seat went back when Stripe refused it (4xx), however often it is retried", async () => {
    const stripe = stripeAccount();
    const { key, s } = await pricedSession({ maxParticipants: 2, minParticipants: 1 });
    const headers = { "idempotency-key": "stripe-refused-0001" };
    await stripe.failNext(400, 1);
    expectProblem(await registerWith(stripe.bindings, s.id, person(1), headers), "payments_unavailable");
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 0, available: 2 });
    // A 4xx, so that a client drops the key and registers anew.
    const again = await registerWith(stripe.bindings, s.id, person(1), headers);
    expectProblem(again, "hold_released");
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("Register again");
    expect((await stripe.state()).checkouts).toEqual([]);
  });

  it("answers 409 hold_released to the retry with the same Idempotency-Key once the held seat lapsed, and registers anew with a new key", async () => {
    const stripe = stripeAccount();
    const { key, s } = await pricedSession({ maxParticipants: 2, minParticipants: 1 });
    const clock = await ledgerClock(s.id);
    const headers = { "idempotency-key": "stripe-lapsed-0001" };
    expectProblem(await registerWith(await stripe.failNext(503, 2), s.id, person(1), headers), "checkout_failed");
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 1, available: 1 });
    clock.advance(PAYMENT_HOLD_MS + 1_000);
    expect(await runDurableObjectAlarm(ledger(s.id))).toBe(true);
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 0, available: 2 });

    const again = await registerWith(stripe.bindings, s.id, person(1), headers);
    expectProblem(again, "hold_released");
    expect(again.headers.get("retry-after")).toBeNull();
    expect((await stripe.state()).checkouts).toEqual([]);
    const anew = await registerWith(stripe.bindings, s.id, person(1), { "idempotency-key": "stripe-lapsed-0002" });
    expect(anew.status, JSON.stringify(anew.body)).toBe(201);
    expect(anew.body.checkoutUrl).toBe((await stripe.state()).checkouts[0]!.checkout.url);
  });
});

describe("returnUrl: where the person comes back after checkout", () => {
  it("goes back to the embedding page when its origin is one the org lists, with rollcall_checkout appended", async () => {
    const stripe = stripeAccount();
    const { s } = await pricedSession({}, ["https://camp.example"]);
    const res = await registerWith(stripe.bindings, s.id, { ...person(1), returnUrl: "https://camp.example/classes/pottery?week=3#join" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { params } = (await stripe.state()).checkouts[0]!;
    expect(params.success_url).toBe("https://camp.example/classes/pottery?week=3&rollcall_checkout=paid#join");
    expect(params.cancel_url).toBe("https://camp.example/classes/pottery?week=3&rollcall_checkout=cancelled#join");
  });

  it("never goes to another origin: an unlisted one, or any when the org lists none, is replaced by the hosted page", async () => {
    const stripe = stripeAccount();
    const listed = await pricedSession({}, ["https://camp.example"]);
    const open = await pricedSession();
    let i = 0;
    for (const [s, returnUrl] of [
      [listed.s, "https://evil.example/phish"],
      [listed.s, "https://camp.example.evil.example/"],
      [listed.s, "http://camp.example/"],
      [open.s, "https://evil.example/phish"],
    ] as const)
      expect((await registerWith(stripe.bindings, s.id, { ...person(++i), returnUrl })).status).toBe(201);
    const urls = (await stripe.state()).checkouts.map((c) => c.params.success_url);
    expect(urls).toEqual([
      `${BASE}/s/${listed.s.id}?rollcall_checkout=paid`,
      `${BASE}/s/${listed.s.id}?rollcall_checkout=paid`,
      `${BASE}/s/${listed.s.id}?rollcall_checkout=paid`,
      `${BASE}/s/${open.s.id}?rollcall_checkout=paid`,
    ]);
  });

  it("refuses a returnUrl that is not an absolute http(s) URL, or too long, with 422", async () => {
    const stripe = stripeAccount();
    const { s } = await pricedSession();
    for (const returnUrl of ["javascript:alert(1)", "/relative", `https://camp.example/${"a".repeat(2000)}`])
      expectProblem(await registerWith(stripe.bindings, s.id, { ...person(1), returnUrl }), "validation_failed");
  });

  it("at the dev checkout page: Pay goes back to the allowed page, and a tampered return URL is not followed", async () => {
    const { s } = await pricedSession({}, ["https://camp.example"]);
    const res = await registerWith({}, s.id, { ...person(1), returnUrl: "https://camp.example/join" }, {}, DEV_BASE);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const checkoutUrl = new URL(res.body.checkoutUrl);
    expect(checkoutUrl.searchParams.get("return")).toBe("https://camp.example/join");
    const page = await api("GET", `${checkoutUrl.pathname}${checkoutUrl.search}`, { base: DEV_BASE });
    expect(page.headers.get("content-security-policy")).toContain("form-action 'self' https://camp.example;");
    const token = /name="token" value="([^"]+)"/.exec(page.body as string)![1]!;
    const sig = /name="sig" value="([^"]+)"/.exec(page.body as string)![1]!;
    const post = (form: Record<string, string>) =>
      api("POST", checkoutUrl.pathname, {
        base: DEV_BASE,
        raw: new URLSearchParams(form).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    const tampered = await post({ token, outcome: "abandoned", return: "https://evil.example/", sig });
    expect(tampered.status).toBe(303);
    expect(tampered.headers.get("location")).toBe(`${checkoutUrl.pathname}?result=cancel`);
    // Abandoned already: the seat is free, and Pay afterwards still goes back to the page it came from.
    const paid = await post({ token, outcome: "paid", return: "https://camp.example/join", sig });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe("https://camp.example/join?rollcall_checkout=paid");
  });
});
