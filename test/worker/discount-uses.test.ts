// A typed discount code's uses are counted at registration (issue 16 item 2): the public
// registration claims a use before the ledger holds its seat, so a code used up answers 422
// discount_exhausted and holds nothing; a hold that lapses, is abandoned or is cancelled before
// paying gives its use back (through the ledger's projection); a retried registration counts once.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { api, DEV_BASE, expectProblem, ledger, ledgerClock, newOrg, newSession, person, readSession } from "./helpers";

const MINUTE = 60_000;

async function pricedSession(maxUses: number, overrides: Record<string, unknown> = {}) {
  const { key } = await newOrg();
  const s = await newSession(key, { price: { amount: 2500, currency: "EUR" }, minParticipants: 1, ...overrides });
  const code = await api("POST", "/v1/discount-codes", { key, body: { code: "ONCE", percentOff: 20, maxUses } });
  expect(code.status, JSON.stringify(code.body)).toBe(201);
  const clock = await ledgerClock(s.id);
  return { key, s, clock, discountId: code.body.id as string };
}

const registerWith = (sessionId: string, i: number, headers: Record<string, string> = {}, base = DEV_BASE) =>
  api("POST", `/v1/public/sessions/${sessionId}/registrations`, { body: { ...person(i), discountCode: "once" }, base, headers });

async function uses(discountId: string) {
  const row = await env.DB.prepare("select count(*) as n from discount_redemptions where discount_id = ?")
    .bind(discountId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** The ledger's projection (and the uses it gives back) written to D1 now. */
const drain = (sessionId: string) => runInDurableObject(ledger(sessionId), (instance: SessionLedger) => instance.drain());

describe("POST /v1/public/sessions/{id}/registrations with a code of maxUses 1", () => {
  it("lets one of two concurrent registrations take the code; the other gets 422 discount_exhausted and holds nothing", async () => {
    const { key, s, discountId } = await pricedSession(1);
    const answers = await Promise.all([registerWith(s.id, 1), registerWith(s.id, 2)]);
    const made = answers.filter((a) => a.status === 201);
    expect(made.map((a) => a.body.registration.status)).toEqual(["pending_payment"]);
    expect(made[0]!.body.payment).toMatchObject({ amount: 2000 });
    expectProblem(answers.find((a) => a.status !== 201)!, "discount_exhausted");
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 1 });
    expect(await uses(discountId)).toBe(1);
  });

  it("gives the use back when the hold lapses unpaid: the code can be used again", async () => {
    const { s, clock, discountId } = await pricedSession(1);
    expect((await registerWith(s.id, 1)).status).toBe(201);
    expectProblem(await registerWith(s.id, 2), "discount_exhausted");
    clock.advance(31 * MINUTE);
    await runDurableObjectAlarm(ledger(s.id));
    await drain(s.id);
    expect(await uses(discountId)).toBe(0);
    const again = await registerWith(s.id, 2);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(await uses(discountId)).toBe(1);
  });

  it("gives the use back when the provider cancels the registration before it is paid", async () => {
    const { key, s, discountId } = await pricedSession(1);
    const first = await registerWith(s.id, 1);
    expect((await api("POST", `/v1/registrations/${first.body.registration.id}/cancel`, { key })).status).toBe(200);
    await drain(s.id);
    expect(await uses(discountId)).toBe(0);
    expect((await registerWith(s.id, 2)).status).toBe(201);
  });

  it("counts a retried registration once: the same Idempotency-Key answers the same registration, not 422", async () => {
    const { s, discountId } = await pricedSession(1);
    const headers = { "idempotency-key": "retry-me-0001" };
    const first = await registerWith(s.id, 1, headers);
    expect(first.status).toBe(201);
    const retry = await registerWith(s.id, 1, headers);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body.registration.id).toBe(first.body.registration.id);
    expect(await uses(discountId)).toBe(1);
    // Someone else with the same key and another body is still refused, and counts nothing.
    expectProblem(await registerWith(s.id, 2, headers), "idempotency_conflict");
    expect(await uses(discountId)).toBe(1);
  });

  it("counts a retry once with uses to spare, and gives back the use of a registration the ledger refused", async () => {
    const { s, discountId } = await pricedSession(3);
    const headers = { "idempotency-key": "retry-me-0002" };
    const first = await registerWith(s.id, 1, headers);
    const retry = await registerWith(s.id, 1, headers);
    expect(retry.body.registration.id).toBe(first.body.registration.id);
    expect(await uses(discountId)).toBe(1);
    // Already registered: refused by the ledger, so the use claimed for it goes back.
    expectProblem(await registerWith(s.id, 1), "already_registered");
    // No checkout here: refused with nothing held, and nothing counted.
    expectProblem(await registerWith(s.id, 2, {}, "https://rollcall.test"), "payments_unavailable");
    expect(await uses(discountId)).toBe(1);
  });
});

describe("a discount of the whole price", () => {
  it("confirms at once: no pending_payment, no checkoutUrl, the cancel link given, paid 0 with the code applied", async () => {
    const { key, s } = await pricedSession(5);
    expect((await api("POST", "/v1/discount-codes", { key, body: { code: "GRATIS", percentOff: 100 } })).status).toBe(201);
    const res = await api("POST", `/v1/public/sessions/${s.id}/registrations`, {
      body: { ...person(1), discountCode: "gratis" },
      base: DEV_BASE,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.status).toBe("confirmed");
    expect(res.body.checkoutUrl).toBeUndefined();
    expect(res.body.payment).toBeUndefined();
    expect(res.body.manageToken).toEqual(expect.any(String));
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0 });
    const roster = await api("GET", `/v1/sessions/${s.id}/roster`, { key });
    const row = roster.body.rows.find((r: { id: string }) => r.id === res.body.registration.id);
    expect(row).toMatchObject({ discountCode: "GRATIS", payment: { amountDue: 0, currency: "EUR", status: "paid", refundDueAt: null } });
  });

  it("confirms at once with a fixed amount off equal to the price, even where no checkout is set up", async () => {
    const { key, s } = await pricedSession(5);
    const body = { code: "FULL25", amountOff: 2500, currency: "EUR" };
    expect((await api("POST", "/v1/discount-codes", { key, body })).status).toBe(201);
    const res = await api("POST", `/v1/public/sessions/${s.id}/registrations`, {
      body: { ...person(1), discountCode: "full25" },
      base: "https://rollcall.test",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.status).toBe("confirmed");
  });
});
