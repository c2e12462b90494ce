// Refunds by policy (issue 16 item 4): cancelling a paid registration marks it owed back
// (refundDueAt) when the session's policy says so. The provider's cancellations (one person, the
// whole session, the minimum not met) always refund in full; the participant's own only until
// refundUntilDays days before the start. Unpaid registrations owe nothing back.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { renderMail } from "../../worker/email/render";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { decideRefund } from "../../worker/payments/decide";
import { browse } from "./admin-helpers";
import { devCheckout } from "./dev-checkout-helpers";
import { api, DEV_BASE, ledger, ledgerClock, newOrg, newSession, person } from "./helpers";
import { captureMail, mailSoFar } from "./invitation-helpers";

const DAY = 86_400_000;
const PRICE = { amount: 2500, currency: "EUR" };

describe("decideRefund", () => {
  const startsAt = "2027-07-10T09:00:00.000Z";
  const policy = { refundUntilDays: 7, startsAt };
  const paid = { paidAt: "2027-06-01T00:00:00.000Z", refundDueAt: null };

  it("refunds the participant's own cancellation exactly N days before the start, not one second after", () => {
    expect(decideRefund(paid, "participant", policy, new Date("2027-07-03T09:00:00.000Z"))).toBe(true);
    expect(decideRefund(paid, "participant", policy, new Date("2027-07-03T09:00:01.000Z"))).toBe(false);
  });

  it("never refunds the participant's own cancellation when the session sets no refund window", () => {
    expect(decideRefund(paid, "participant", { refundUntilDays: null, startsAt }, new Date("2027-01-01T00:00:00.000Z"))).toBe(false);
  });

  it("always refunds a cancellation by the provider or the system (the session cancelled, the minimum not met)", () => {
    const late = new Date("2027-07-10T08:59:00.000Z");
    expect(decideRefund(paid, "provider", { refundUntilDays: null, startsAt }, late)).toBe(true);
    expect(decideRefund(paid, "system", policy, late)).toBe(true);
  });

  it("owes nothing back for an unpaid registration, nor twice for one already owed back", () => {
    const early = new Date("2027-01-01T00:00:00.000Z");
    expect(decideRefund({ paidAt: null, refundDueAt: null }, "provider", policy, early)).toBe(false);
    expect(decideRefund({ ...paid, refundDueAt: "2027-06-02T00:00:00.000Z" }, "provider", policy, early)).toBe(false);
  });
});

/** A priced session starting in 30 days, refundable until 7 days before, with its ledger on a test clock. */
async function pricedSession(overrides: Record<string, unknown> = {}) {
  const { key } = await newOrg("Forest Camp");
  const startsAt = new Date(Date.now() + 30 * DAY).toISOString();
  const s = await newSession(key, { price: PRICE, refundUntilDays: 7, startsAt, minParticipants: 1, ...overrides });
  const captured = await captureMail(s.id);
  const clock = await ledgerClock(s.id);
  return { key, s, captured, clock, startsAt: Date.parse(s.startsAt) };
}

/** Registers person `i` and pays on the dev checkout page; answers the registration id and its cancel link's token. */
async function paidRegistration(sessionId: string, captured: any[], i: number) {
  const res = await api("POST", `/v1/public/sessions/${sessionId}/registrations`, { body: person(i), base: DEV_BASE });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await devCheckout(res.body.checkoutUrl);
  const mail = await mailSoFar(sessionId, captured);
  const confirmation = mail.find((m) => m.template === "registration_confirmed" && m.to === person(i).email);
  return { id: res.body.registration.id as string, manageToken: confirmation.data.manageToken as string };
}

async function refundRow(sessionId: string, id: string) {
  return runInDurableObject(ledger(sessionId), (_i: SessionLedger, state) =>
    state.storage.sql
      .exec<{ status: string; paid_at: string | null; refund_due_at: string | null }>(
        "select status, paid_at, refund_due_at from registrations where id = ?",
        id,
      )
      .one(),
  );
}

const cancelMail = async (sessionId: string, captured: any[], template: string, i: number) =>
  (await mailSoFar(sessionId, captured)).find((m) => m.template === template && m.to === person(i).email);

describe("the confirmation of a paid seat", () => {
  it("says what was paid and until when the participant's own cancellation refunds it", async () => {
    const { s, captured, startsAt } = await pricedSession();
    await paidRegistration(s.id, captured, 1);
    const mail = (await mailSoFar(s.id, captured)).find((m) => m.template === "registration_confirmed");
    expect(mail.data.paid).toEqual({ amount: 2500, currency: "EUR", refundUntil: new Date(startsAt - 7 * DAY).toISOString() });
    expect(renderMail(mail).text).toMatch(/You paid €25\.00\. If you cancel by .+, your payment will be refunded in full/);
  });

  it("says that cancelling refunds nothing when the session has no refund window", async () => {
    const { s, captured } = await pricedSession({ refundUntilDays: null });
    await paidRegistration(s.id, captured, 1);
    const mail = (await mailSoFar(s.id, captured)).find((m) => m.template === "registration_confirmed");
    expect(mail.data.paid).toEqual({ amount: 2500, currency: "EUR", refundUntil: null });
    expect(renderMail(mail).text).toContain("Under this session's refund policy, your payment is not refunded if you cancel.");
  });

  it("is said again, in the same words, on the cancel page: refunded until the deadline, not after", async () => {
    const { s, captured, clock, startsAt } = await pricedSession();
    const { manageToken } = await paidRegistration(s.id, captured, 1);
    const page = async () => (await browse("GET", `/m/${manageToken}`)).text;
    expect(await page()).toMatch(/You paid €25\.00\. If you cancel by .+, your payment will be refunded in full/);
    clock.set(new Date(startsAt - 7 * DAY + 60_000));
    const late = await page();
    expect(late).toContain("You paid €25.00. Under this session&#39;s refund policy, your payment is not refunded if you cancel.");
    // A free seat says nothing of payment.
    const { key } = await newOrg("Free Camp");
    const free = await newSession(key);
    const freeCaptured = await captureMail(free.id);
    await api("POST", `/v1/public/sessions/${free.id}/registrations`, { body: person(2) });
    const confirmation = (await mailSoFar(free.id, freeCaptured)).find((m) => m.template === "registration_confirmed");
    expect((await browse("GET", `/m/${confirmation.data.manageToken}`)).text).not.toContain("You paid");
  });
});

describe("cancelling a paid registration", () => {
  it("refunds the participant's own cancel exactly 7 days before the start, and says so in the answer and the email", async () => {
    const { s, captured, clock, startsAt } = await pricedSession();
    const { id, manageToken } = await paidRegistration(s.id, captured, 1);
    clock.set(new Date(startsAt - 7 * DAY));
    const res = await api("POST", `/v1/manage/${manageToken}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: "cancelled", refund: "full" });
    expect((await refundRow(s.id, id)).refund_due_at).toBe(clock.now().toISOString());
    const mail = await cancelMail(s.id, captured, "registration_cancelled", 1);
    expect(mail.data.refund).toBe("full");
    expect(renderMail(mail).text).toContain("Your payment will be refunded in full.");
  });

  it("does not refund the participant's own cancel one second past the window, and says so (in French too)", async () => {
    const { s, captured, clock, startsAt } = await pricedSession();
    const { id, manageToken } = await paidRegistration(s.id, captured, 1);
    clock.set(new Date(startsAt - 7 * DAY + 1_000));
    const res = await api("POST", `/v1/manage/${manageToken}/cancel`);
    expect(res.body).toMatchObject({ id, status: "cancelled", refund: "none" });
    const row = await refundRow(s.id, id);
    expect(row.paid_at).not.toBeNull();
    expect(row.refund_due_at).toBeNull();
    const mail = await cancelMail(s.id, captured, "registration_cancelled", 1);
    expect(renderMail(mail).text).toContain("Under this session's refund policy, your payment is not refunded.");
    expect(renderMail({ ...mail, locale: "fr" }).text).toContain("votre paiement n’est pas remboursé");
  });

  it("never refunds the participant's own cancel when the session has no refund window", async () => {
    const { s, captured } = await pricedSession({ refundUntilDays: null });
    const { id, manageToken } = await paidRegistration(s.id, captured, 1);
    expect((await api("POST", `/v1/manage/${manageToken}/cancel`)).body).toMatchObject({ refund: "none" });
    expect((await refundRow(s.id, id)).refund_due_at).toBeNull();
  });

  it("refunds in full when the participant cancels from their own page (inside the window)", async () => {
    const { s, captured } = await pricedSession();
    const { id } = await paidRegistration(s.id, captured, 1);
    const result = await runInDurableObject(ledger(s.id), (instance: SessionLedger, state) =>
      instance.cancelForPerson(state.storage.sql.exec<{ org_id: string }>("select org_id from session").one().org_id, person(1).email),
    );
    expect(result.ok).toBe(true);
    expect((await refundRow(s.id, id)).refund_due_at).not.toBeNull();
  });

  it("always refunds when the provider removes the person, even a day before the start with no window", async () => {
    const { key, s, captured, clock, startsAt } = await pricedSession({ refundUntilDays: null });
    const { id } = await paidRegistration(s.id, captured, 1);
    clock.set(new Date(startsAt - DAY));
    const res = await api("POST", `/v1/registrations/${id}/cancel`, { key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.payment).toMatchObject({ status: "refund_due", amountDue: 2500, currency: "EUR" });
    expect((await refundRow(s.id, id)).refund_due_at).toBe(clock.now().toISOString());
    expect((await cancelMail(s.id, captured, "registration_cancelled", 1)).data.refund).toBe("full");
  });

  it("refunds every paid seat when the provider cancels the session, and owes nothing for an unpaid hold", async () => {
    const { key, s, captured } = await pricedSession();
    const { id } = await paidRegistration(s.id, captured, 1);
    const pending = await api("POST", `/v1/public/sessions/${s.id}/registrations`, { body: person(2), base: DEV_BASE });
    expect(pending.body.registration.status).toBe("pending_payment");
    expect((await api("POST", `/v1/sessions/${s.id}/cancel`, { key })).status).toBe(200);
    expect((await refundRow(s.id, id)).refund_due_at).not.toBeNull();
    const unpaid = await refundRow(s.id, pending.body.registration.id);
    expect(unpaid).toMatchObject({ status: "cancelled", paid_at: null, refund_due_at: null });
    const mail = await cancelMail(s.id, captured, "session_cancelled", 1);
    expect(renderMail(mail).text).toContain("Your payment will be refunded in full.");
    expect((await cancelMail(s.id, captured, "session_cancelled", 2)).data.refund).toBeUndefined();
  });

  it("owes nothing back when an unpaid pending registration is cancelled by the provider", async () => {
    const { key, s } = await pricedSession();
    const pending = await api("POST", `/v1/public/sessions/${s.id}/registrations`, { body: person(1), base: DEV_BASE });
    const res = await api("POST", `/v1/registrations/${pending.body.registration.id}/cancel`, { key });
    expect(res.status).toBe(200);
    expect(res.body.payment).toMatchObject({ status: "unpaid" });
    expect(await refundRow(s.id, pending.body.registration.id)).toMatchObject({ paid_at: null, refund_due_at: null });
  });
});
