// Stripe Checkout for priced sessions: with Stripe configured, registering creates one Checkout
// Session per registration (the amount after discount, the hold's end as expires_at, the
// registration in its metadata) and answers its url; retries make no second one; where Stripe is
// half configured nothing is held; the page to come back to is taken only from the org's own
// origins (no open redirect), at Stripe and at the dev checkout page alike.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { api, BASE, DEV_BASE, expectProblem, ledger, newOrg, newSession, person, readSession } from "./helpers";
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

  it("frees the held seat and answers payments_unavailable when Stripe refuses to create the checkout", async () => {
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
