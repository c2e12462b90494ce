// The roster shows the money of a priced session (issue 16): per registration what it owes, its
// discount code, what it paid and where its payment stands, in the JSON and in the CSV (amounts in
// the currency's major unit, nothing a spreadsheet would run as a formula).

import { env } from "cloudflare:test";
import Papa from "papaparse";
import { describe, expect, it, vi } from "vitest";
import { ROSTER_COLUMNS } from "../../worker/roster/csv";
import { rosterPayments } from "../../worker/roster/roster";
import { devCheckout } from "./dev-checkout-helpers";
import { api, DEV_BASE, newOrg, newSession } from "./helpers";
import { captureRefunds, runRefunds } from "./stripe-helpers";

const registerAt = (sessionId: string, body: Record<string, unknown>) =>
  api("POST", `/v1/public/sessions/${sessionId}/registrations`, { body, base: DEV_BASE });

describe("the roster of a priced session", () => {
  it("shows per registration what it owes, its code, what it paid and its payment status, in JSON and CSV", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { price: { amount: 2500, currency: "EUR" }, minParticipants: 1, refundUntilDays: 7 });
    expect((await api("POST", "/v1/discount-codes", { key, body: { code: "EARLY20", percentOff: 20 } })).status).toBe(201);
    const paid = await registerAt(s.id, { name: "Ada Paid", email: "ada@example.org", discountCode: "early20" });
    await devCheckout(paid.body.checkoutUrl);
    const refunded = await registerAt(s.id, { name: "=HYPERLINK(1)", email: "bob@example.org" });
    await devCheckout(refunded.body.checkoutUrl);
    expect((await api("POST", `/v1/registrations/${refunded.body.registration.id}/cancel`, { key })).status).toBe(200);
    const pending = await registerAt(s.id, { name: "Cy Pending", email: "cy@example.org" });
    expect(pending.body.registration.status).toBe("pending_payment");
    expect(
      (await api("POST", `/v1/sessions/${s.id}/registrations`, { key, body: { name: "Di Free", email: "di@example.org" } })).status,
    ).toBe(201);

    const roster = await api("GET", `/v1/sessions/${s.id}/roster`, { key });
    const byEmail = new Map(roster.body.rows.map((r: { email: string }) => [r.email, r]));
    expect(byEmail.get("ada@example.org")).toMatchObject({
      discountCode: "EARLY20",
      payment: { amountDue: 2000, currency: "EUR", status: "paid", refundDueAt: null, refundedAt: null },
    });
    expect(byEmail.get("bob@example.org")).toMatchObject({ payment: { amountDue: 2500, status: "refund_due" } });
    expect(byEmail.get("cy@example.org")).toMatchObject({ payment: { amountDue: 2500, status: "pending", paidAt: null } });
    expect(byEmail.get("di@example.org")).toMatchObject({ payment: null });

    const csv = await api("GET", `/v1/sessions/${s.id}/roster.csv`, { key });
    const [header, ...lines] = Papa.parse<string[]>((csv.body as string).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    const records = lines.map((l) => Object.fromEntries(l.map((v, i) => [header![i], v])));
    const record = (email: string) => records.find((r) => r.email === email)!;
    expect(record("ada@example.org")).toMatchObject({
      discount_code: "EARLY20",
      amount_due: "20.00",
      amount_paid: "20.00",
      currency: "EUR",
      payment_status: "paid",
      price: "25.00",
    });
    expect(record("bob@example.org")).toMatchObject({ name: "'=HYPERLINK(1)", amount_paid: "25.00", payment_status: "refund_due" });
    expect(record("cy@example.org")).toMatchObject({ amount_due: "25.00", amount_paid: "", payment_status: "pending" });
    expect(record("di@example.org")).toMatchObject({ amount_due: "", amount_paid: "", currency: "", payment_status: "", price: "" });
  });

  it("keeps the price each registration was asked when the session's price changes after it, in JSON, CSV and at checkout", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { price: { amount: 2500, currency: "EUR" }, minParticipants: 1 });
    expect((await api("POST", "/v1/discount-codes", { key, body: { code: "EARLY20", percentOff: 20 } })).status).toBe(201);
    const before = await registerAt(s.id, { name: "Ada Before", email: "ada.before@example.org", discountCode: "early20" });
    expect(before.body.registration.status).toBe("pending_payment");
    expect((await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { price: { amount: 3000, currency: "EUR" } } })).status).toBe(200);
    await registerAt(s.id, { name: "Bo After", email: "bo.after@example.org" });

    const roster = await api("GET", `/v1/sessions/${s.id}/roster`, { key });
    const byEmail = new Map(roster.body.rows.map((r: { email: string }) => [r.email, r]));
    expect(byEmail.get("ada.before@example.org")).toMatchObject({ payment: { amountDue: 2000, price: 2500 } });
    expect(byEmail.get("bo.after@example.org")).toMatchObject({ payment: { amountDue: 3000, price: 3000 } });
    const csv = await api("GET", `/v1/sessions/${s.id}/roster.csv`, { key });
    const [header, ...lines] = Papa.parse<string[]>((csv.body as string).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    const records = lines.map((l) => Object.fromEntries(l.map((v, i) => [header![i], v])));
    expect(records.find((r) => r.email === "ada.before@example.org")).toMatchObject({ price: "25.00", amount_due: "20.00" });
    expect(records.find((r) => r.email === "bo.after@example.org")).toMatchObject({ price: "30.00", amount_due: "30.00" });
    // The dev checkout strikes the price she was asked, not today's.
    const page = (await api("GET", new URL(before.body.checkoutUrl).pathname, { base: DEV_BASE })).body as string;
    expect(page).toContain("<del>€25.00</del>");
    expect(page).not.toContain("€30.00");
  });

  it("answers what was paid so far: every payment taken less what went back, per currency", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { price: { amount: 2500, currency: "EUR" }, minParticipants: 1 });
    const refunds = await captureRefunds(s.id);
    expect((await api("POST", "/v1/discount-codes", { key, body: { code: "EARLY10", percentOff: 10 } })).status).toBe(201);
    const payments = async () => (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.payments;
    expect(await payments()).toEqual([]);

    const ada = await registerAt(s.id, { name: "Ada", email: "ada@example.org", discountCode: "early10" });
    await devCheckout(ada.body.checkoutUrl);
    const bob = await registerAt(s.id, { name: "Bob", email: "bob@example.org" });
    await devCheckout(bob.body.checkoutUrl);
    // Awaiting payment: nothing paid yet.
    expect((await registerAt(s.id, { name: "Cy", email: "cy@example.org" })).body.registration.status).toBe("pending_payment");
    expect(await payments()).toEqual([{ currency: "EUR", paid: 4750, refunded: 0, net: 4750 }]);

    // The provider cancels Bob: owed back, still paid until the refund is made.
    expect((await api("POST", `/v1/registrations/${bob.body.registration.id}/cancel`, { key })).status).toBe(200);
    expect(await payments()).toEqual([{ currency: "EUR", paid: 4750, refunded: 0, net: 4750 }]);
    await vi.waitFor(() => expect(refunds).toHaveLength(1));
    await runRefunds(env, refunds);
    expect(await payments()).toEqual([{ currency: "EUR", paid: 4750, refunded: 2500, net: 2250 }]);

    const csv = await api("GET", `/v1/sessions/${s.id}/roster.csv`, { key });
    const [header, ...lines] = Papa.parse<string[]>((csv.body as string).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    const records = lines.map((l) => Object.fromEntries(l.map((v, i) => [header![i], v])));
    expect(records.find((r) => r.email === "bob@example.org")).toMatchObject({
      price: "25.00",
      amount_due: "25.00",
      amount_paid: "25.00",
      refunded_amount: "25.00",
      payment_status: "refunded",
    });
    expect(records.find((r) => r.email === "ada@example.org")).toMatchObject({
      price: "25.00",
      discount_code: "EARLY10",
      amount_due: "22.50",
    });
  });

  it("keeps the CSV's money columns: price, discount code, amount due, amount paid, refunded amount", () => {
    expect(ROSTER_COLUMNS).toEqual(
      expect.arrayContaining(["price", "discount_code", "amount_due", "amount_paid", "currency", "payment_status", "refunded_amount"]),
    );
  });

  it("adds up each currency apart (a price that changed currency), and nothing for free rows", () => {
    const pay = (amountDue: number, currency: string, paid: boolean, refundedAmount: number | null = null) => ({
      payment: {
        amountDue,
        currency,
        status: "paid" as const,
        paidAt: paid ? "2031-01-01T00:00:00.000Z" : null,
        refundDueAt: null,
        refundedAt: refundedAmount === null ? null : "2031-01-02T00:00:00.000Z",
        refundedAmount,
      },
    });
    const rows = [pay(2500, "EUR", true), pay(2500, "EUR", false), pay(1000, "CHF", true, 400), { payment: null }, pay(0, "EUR", false)];
    expect(rosterPayments(rows as never)).toEqual([
      { currency: "EUR", paid: 2500, refunded: 0, net: 2500 },
      { currency: "CHF", paid: 1000, refunded: 400, net: 600 },
    ]);
  });
});
