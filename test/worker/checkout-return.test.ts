// Coming back from checkout: <rollcall-join> keeps the manage token a priced registration's answer
// gives, and asks GET /v1/manage/{token} on the page checkout sends the registrant back to
// (`returnUrl`, the page's own address): pending_payment while the seat is held, confirmed once
// paid, cancelled once abandoned or lapsed. The token is the one the confirmation email carries.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PAYMENT_HOLD_MS } from "../../worker/registrations/decide";
import { devCheckout } from "./dev-checkout-helpers";
import { api, DEV_BASE, expectProblem, ledger, ledgerClock, newOrg, newSession, person } from "./helpers";

async function pricedSession() {
  const { key } = await newOrg("Forest Camp");
  const s = await newSession(key, { price: { amount: 2500, currency: "EUR" } });
  const clock = await ledgerClock(s.id);
  return { s, clock };
}

const register = (sessionId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api("POST", `/v1/public/sessions/${sessionId}/registrations`, { body, base: DEV_BASE, headers });
const statusOf = async (token: string) => (await api("GET", `/v1/manage/${encodeURIComponent(token)}`, { base: DEV_BASE })).body.status;

describe("a priced registration's manage token", () => {
  it("is in the first answer, reads pending_payment while the seat is held and confirmed once paid", async () => {
    const { s } = await pricedSession();
    const res = await register(s.id, person(1));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.status).toBe("pending_payment");
    const token = res.body.manageToken;
    expect(token).toMatch(new RegExp(`^${s.id}\\.`));
    expect(await statusOf(token)).toBe("pending_payment");
    await devCheckout(res.body.checkoutUrl, "paid");
    expect(await statusOf(token)).toBe("confirmed");
  });

  it("opens the cancel page, which shows the seat held while paying (not the waitlist) and asks before freeing it", async () => {
    const { s } = await pricedSession();
    const res = await register(s.id, person(1));
    const page = await api("GET", `/m/${encodeURIComponent(res.body.manageToken)}`, { base: DEV_BASE });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Seat held while you pay");
    expect(page.body).not.toContain("waitlist");
    expect(page.body).toContain("Yes, cancel my registration");
    // Its pay link starts the checkout; once paid, it leads to the page saying where the registration stands.
    const token = encodeURIComponent(res.body.manageToken);
    expect(page.body).toContain(`href="/m/${token}/pay"`);
    const pay = await api("GET", `/m/${token}/pay`, { base: DEV_BASE });
    expect(pay.status).toBe(303);
    expect(new URL(pay.headers.get("location")!).pathname).toBe(`/dev/checkout/${res.body.registration.id}`);
    await devCheckout(res.body.checkoutUrl, "paid");
    const after = await api("GET", `/m/${token}/pay`, { base: DEV_BASE });
    expect([after.status, after.headers.get("location")]).toEqual([303, `/m/${token}`]);
    expect((await api("GET", "/m/not-a-token/pay", { base: DEV_BASE })).status).toBe(404);
  });

  it("reads cancelled once the checkout is abandoned, or the hold lapsed unpaid", async () => {
    const { s, clock } = await pricedSession();
    const abandoned = await register(s.id, person(1));
    await devCheckout(abandoned.body.checkoutUrl, "abandoned");
    expect(await statusOf(abandoned.body.manageToken)).toBe("cancelled");
    const lapsed = await register(s.id, person(2));
    clock.advance(PAYMENT_HOLD_MS + 1_000);
    await runDurableObjectAlarm(ledger(s.id));
    expect(await statusOf(lapsed.body.manageToken)).toBe("cancelled");
  });

  it("is not in a replayed answer (same Idempotency-Key and body)", async () => {
    const { s } = await pricedSession();
    const headers = { "idempotency-key": "checkout-return-replay-1" };
    const first = await register(s.id, person(1), headers);
    const again = await register(s.id, person(1), headers);
    expect(first.body.manageToken).toBeTypeOf("string");
    expect(again.status).toBe(201);
    expect(again.body.registration.id).toBe(first.body.registration.id);
    expect(again.body.manageToken).toBeUndefined();
  });
});

describe("returnUrl in the public registration body", () => {
  it("is accepted as an absolute http(s) address of up to 2000 characters", async () => {
    const { s } = await pricedSession();
    const url = `https://camp.example/swim?lang=en#${"x".repeat(1950)}`;
    expect(url.length).toBeLessThanOrEqual(2000);
    const res = await register(s.id, { ...person(1), returnUrl: url });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await register(s.id, { ...person(2), returnUrl: "http://127.0.0.1:5173/" })).status).toBe(201);
  });

  for (const [what, returnUrl] of [
    ["a script URL", "javascript:alert(1)"],
    ["a relative path", "/swim"],
    ["another scheme", "ftp://camp.example/"],
    ["an address past 2000 characters", `https://camp.example/${"x".repeat(2000)}`],
  ] as const)
    it(`refuses ${what} with 422 validation_failed naming the field, and holds nothing`, async () => {
      const { s } = await pricedSession();
      const res = await register(s.id, { ...person(1), returnUrl });
      expectProblem(res, "validation_failed");
      expect(JSON.stringify(res.body.errors)).toContain("returnUrl");
      expect((await register(s.id, person(1))).status).toBe(201);
    });
});
