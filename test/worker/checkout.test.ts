// Paid sessions: registering for a priced session holds the seat for 31 minutes as
// `pending_payment` and answers a checkoutUrl; locally that is the dev checkout page, whose Pay and
// Abandon run the ledger's transitions (confirm, or free the seat and move the waitlist up). A
// hold nobody paid lapses by the alarm; a payment after the hold lapsed confirms when a seat is
// free, and is recorded as owed back when the seat is gone.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { renderMail } from "../../worker/email/render";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { PAYMENT_HOLD_MS } from "../../worker/registrations/decide";
import { api, DEV_BASE, expectProblem, ledger, ledgerClock, newOrg, newSession, person, readSession } from "./helpers";
import { captureMail, mailSoFar } from "./invitation-helpers";

const MINUTE = 60_000;
const PRICE = { amount: 2500, currency: "EUR" };

async function pricedSession(overrides: Record<string, unknown> = {}) {
  const { key } = await newOrg("Forest Camp");
  const s = await newSession(key, { price: PRICE, ...overrides });
  const captured = await captureMail(s.id);
  const clock = await ledgerClock(s.id);
  return { key, s, captured, clock };
}

const registerAt = (base: string, sessionId: string, body: Record<string, unknown>) =>
  api("POST", `/v1/public/sessions/${sessionId}/registrations`, { body, base });

/** The dev checkout page's form token, read from the page as a person's browser would. */
async function checkoutForm(url: string) {
  const res = await api("GET", new URL(url).pathname, { base: DEV_BASE });
  expect(res.status).toBe(200);
  const token = /name="token" value="([^"]+)"/.exec(res.body as string)?.[1];
  return { html: res.body as string, token: token ?? "" };
}

const post = (url: string, form: Record<string, string>) =>
  api("POST", new URL(url).pathname, {
    base: DEV_BASE,
    raw: new URLSearchParams(form).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

async function rows(sessionId: string) {
  return runInDurableObject(ledger(sessionId), (_i: SessionLedger, state) =>
    state.storage.sql
      .exec<{ email: string; status: string; cancelled_by: string | null; paid_at: string | null; refund_due_at: string | null }>(
        "select email, status, cancelled_by, paid_at, refund_due_at from registrations order by email",
      )
      .toArray(),
  );
}

describe("POST /v1/public/sessions/{id}/registrations (priced session)", () => {
  it("holds the seat for 31 minutes as pending_payment and answers what is owed and where to pay; no email yet", async () => {
    const { key, s, captured, clock } = await pricedSession({ maxParticipants: 3 });
    const res = await registerAt(DEV_BASE, s.id, person(1));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.status).toBe("pending_payment");
    expect(res.body.payment).toEqual({ ...PRICE, holdUntil: new Date(clock.now().getTime() + PAYMENT_HOLD_MS).toISOString() });
    expect(res.body.checkoutUrl).toBe(`${DEV_BASE}/dev/checkout/${res.body.registration.id}`);
    expect(res.body.manageToken).toMatch(new RegExp(`^${s.id}\\.`));
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 0, held: 1, available: 2 });
    expect(await mailSoFar(s.id, captured)).toEqual([]);
  });

  it("owes the price less a typed discount code, as the catalogue quotes it, and shows that amount on the checkout page", async () => {
    const { key, s } = await pricedSession();
    expect((await api("POST", "/v1/discount-codes", { key, body: { code: "EARLY10", percentOff: 10 } })).status).toBe(201);
    const res = await registerAt(DEV_BASE, s.id, { ...person(1), discountCode: "early10" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.discountCode).toBe("EARLY10");
    expect(res.body.payment).toMatchObject({ amount: 2250, currency: "EUR" });
    expect((await checkoutForm(res.body.checkoutUrl)).html).toContain("22.50");
  });

  it("refuses with 503 payments_unavailable where no checkout is set up, and holds nothing", async () => {
    const { key, s } = await pricedSession();
    expectProblem(await registerAt("https://rollcall.test", s.id, person(1)), "payments_unavailable");
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 0, held: 0, available: 10 });
    expect(await rows(s.id)).toEqual([]);
  });

  it("never oversells the last seat to concurrent checkouts: one holds it, the others are refused", async () => {
    const { key, s } = await pricedSession({ maxParticipants: 1, minParticipants: 1, waitlist: false });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => registerAt(DEV_BASE, s.id, person(i))));
    expect(answers.filter((r) => r.status === 201).map((r) => r.body.registration.status)).toEqual(["pending_payment"]);
    for (const r of answers.filter((a) => a.status !== 201)) expectProblem(r, "capacity_full");
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 1, available: 0 });
  });

  it("lets an unpaid hold lapse after 31 minutes by the alarm: the seat goes to the first on the waitlist", async () => {
    const { key, s, clock } = await pricedSession({ maxParticipants: 1, minParticipants: 1 });
    expect((await registerAt(DEV_BASE, s.id, person(1))).body.registration.status).toBe("pending_payment");
    expect((await registerAt(DEV_BASE, s.id, person(2))).body.registration.status).toBe("waitlisted");
    clock.advance(PAYMENT_HOLD_MS - 1_000);
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 1, waitlisted: 1 });
    clock.advance(2_000);
    expect(await runDurableObjectAlarm(ledger(s.id))).toBe(true);
    expect((await rows(s.id)).map(({ email, status, cancelled_by }) => ({ email, status, cancelled_by }))).toEqual([
      { email: "person1@example.org", status: "cancelled", cancelled_by: "system" },
      // Moved up into a seat that is paid for: held while they pay (waitlist-payment.test.ts).
      { email: "person2@example.org", status: "pending_payment", cancelled_by: null },
    ]);
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 0, held: 1, waitlisted: 0 });
  });
});

describe("the dev checkout page", () => {
  it("shows the org, the session and the amount; Pay confirms the seat once, with the confirmation and its price", async () => {
    const { key, s, captured } = await pricedSession();
    const { body } = await registerAt(DEV_BASE, s.id, person(1));
    const { html, token } = await checkoutForm(body.checkoutUrl);
    expect(html).toContain("Forest Camp");
    expect(html).toContain(s.title);
    expect(html).toContain("€25.00");
    const paid = await post(body.checkoutUrl, { token, outcome: "paid" });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toContain("result=success");
    // A second Pay (a replayed event, a double click) changes nothing.
    expect((await post(body.checkoutUrl, { token, outcome: "paid" })).status).toBe(303);
    expect((await post(body.checkoutUrl, { token, outcome: "abandoned" })).status).toBe(303);
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0 });
    const [row] = await rows(s.id);
    expect(row).toMatchObject({ status: "confirmed", refund_due_at: null });
    expect(row!.paid_at).not.toBeNull();
    const mail = await mailSoFar(s.id, captured);
    expect(mail.map((m) => m.template)).toEqual(["registration_confirmed"]);
    expect(renderMail(mail[0]!).text).toMatch(/Price\W+€25\.00/);
    expect((await checkoutForm(body.checkoutUrl)).html).toContain("Your seat is confirmed.");
  });

  it("Abandon frees the seat at once and moves the waitlist up; a later Pay finds the seat gone and is owed back", async () => {
    const { key, s } = await pricedSession({ maxParticipants: 1, minParticipants: 1 });
    const { body } = await registerAt(DEV_BASE, s.id, person(1));
    await registerAt(DEV_BASE, s.id, person(2));
    const { token } = await checkoutForm(body.checkoutUrl);
    expect((await post(body.checkoutUrl, { token, outcome: "abandoned" })).status).toBe(303);
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 0, held: 1, waitlisted: 0 });
    // Abandoned is final here (a cancellation by the person); a payment arriving anyway is owed back.
    await post(body.checkoutUrl, { token, outcome: "paid" });
    const [first, second] = await rows(s.id);
    expect(first).toMatchObject({ status: "cancelled", cancelled_by: "system" });
    expect(first!.refund_due_at).not.toBeNull();
    expect(second).toMatchObject({ status: "pending_payment" });
  });

  it("confirms a payment that completes after the hold lapsed when a seat is still free", async () => {
    const { key, s, clock } = await pricedSession({ maxParticipants: 2 });
    const { body } = await registerAt(DEV_BASE, s.id, person(1));
    const { token } = await checkoutForm(body.checkoutUrl);
    clock.advance(PAYMENT_HOLD_MS + MINUTE);
    await runDurableObjectAlarm(ledger(s.id));
    expect((await rows(s.id))[0]).toMatchObject({ status: "cancelled" });
    await post(body.checkoutUrl, { token, outcome: "paid" });
    expect((await rows(s.id))[0]).toMatchObject({ status: "confirmed", cancelled_by: null, refund_due_at: null });
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0, available: 1 });
  });

  it("refuses a forged token with 403 and changes nothing; answers 404 off this machine and for unknown ids", async () => {
    const { key, s } = await pricedSession();
    const { body } = await registerAt(DEV_BASE, s.id, person(1));
    expect((await post(body.checkoutUrl, { token: "forged", outcome: "paid" })).status).toBe(403);
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 0, held: 1 });
    const path = new URL(body.checkoutUrl).pathname;
    expect((await api("GET", path)).status).toBe(404);
    expect((await api("GET", path, { base: DEV_BASE, bindings: { ROLLCALL_ENV: "production" } })).status).toBe(404);
    expect((await api("GET", `/dev/checkout/${body.registration.id.slice(0, -2)}zz`, { base: DEV_BASE })).status).toBe(404);
  });
});
