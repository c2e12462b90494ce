// The roster shows the money of a priced session (issue 16): per registration what it owes, its
// discount code, what it paid and where its payment stands, in the JSON and in the CSV (amounts in
// the currency's major unit, nothing a spreadsheet would run as a formula).
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { devCheckout } from "./dev-checkout-helpers";
import { api, DEV_BASE, newOrg, newSession } from "./helpers";

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
    });
    expect(record("bob@example.org")).toMatchObject({ name: "'=HYPERLINK(1)", amount_paid: "25.00", payment_status: "refund_due" });
    expect(record("cy@example.org")).toMatchObject({ amount_due: "25.00", amount_paid: "", payment_status: "pending" });
    expect(record("di@example.org")).toMatchObject({ amount_due: "", amount_paid: "", currency: "", payment_status: "" });
  });
});
