// Moved up from the waitlist of a priced session (issue 16): the seat is held while the person
// pays (a day, never past the start), with an email carrying the link to pay, in their language;
// unpaid, the hold lapses and the next in line moves up the same way. Paying confirms the seat.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { renderMail } from "../../worker/email/render";
import { payLink } from "../../worker/email/templates/registration";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { decidePromotion } from "../../worker/registrations/decide";
import { devCheckout } from "./dev-checkout-helpers";
import { api, DEV_BASE, ledger, ledgerClock, newOrg, newSession, person, readSession } from "./helpers";
import { captureMail } from "./invitation-helpers";

const HOUR = 3_600_000;

describe("decidePromotion", () => {
  const now = new Date("2027-07-01T09:00:00.000Z");
  it("confirms a free seat, a seat whose discount covered it all, and a paid one", () => {
    expect(decidePromotion({ amountDue: null, paidAt: null }, "2027-07-10T09:00:00.000Z", now)).toEqual({ status: "confirmed" });
    expect(decidePromotion({ amountDue: 0, paidAt: null }, "2027-07-10T09:00:00.000Z", now)).toEqual({ status: "confirmed" });
    expect(decidePromotion({ amountDue: 2500, paidAt: now.toISOString() }, "2027-07-10T09:00:00.000Z", now)).toEqual({
      status: "confirmed",
    });
  });
  it("holds a seat owing money for a day, never past the start, never shorter than a checkout's hold (31 minutes)", () => {
    const owing = { amountDue: 2500, paidAt: null };
    expect(decidePromotion(owing, "2027-07-10T09:00:00.000Z", now)).toEqual({
      status: "pending_payment",
      holdUntil: "2027-07-02T09:00:00.000Z",
    });
    expect(decidePromotion(owing, "2027-07-01T15:00:00.000Z", now)).toMatchObject({ holdUntil: "2027-07-01T15:00:00.000Z" });
    expect(decidePromotion(owing, "2027-07-01T09:10:00.000Z", now)).toMatchObject({ holdUntil: "2027-07-01T09:31:00.000Z" });
  });
});

const registerAt = (sessionId: string, body: Record<string, unknown>) =>
  api("POST", `/v1/public/sessions/${sessionId}/registrations`, { body, base: DEV_BASE });

async function statuses(sessionId: string) {
  return runInDurableObject(ledger(sessionId), (_i: SessionLedger, state) =>
    state.storage.sql
      .exec<{ email: string; status: string; confirm_expires_at: string | null }>(
        "select email, status, confirm_expires_at from registrations order by email",
      )
      .toArray(),
  );
}

describe("a priced session's waitlist moving up", () => {
  it("holds the freed seat a day for the first in line, emails the link to pay (en/fr); unpaid, the next moves up; paid, confirmed", async () => {
    const { key } = await newOrg("Forest Camp");
    const s = await newSession(key, { price: { amount: 2500, currency: "EUR" }, maxParticipants: 1, minParticipants: 1 });
    const captured = await captureMail(s.id);
    const clock = await ledgerClock(s.id);
    const first = await registerAt(s.id, person(1));
    await devCheckout(first.body.checkoutUrl);
    const second = await registerAt(s.id, { ...person(2), locale: "fr" });
    const third = await registerAt(s.id, person(3));
    expect([second.body.registration.status, third.body.registration.status]).toEqual(["waitlisted", "waitlisted"]);

    expect((await api("POST", `/v1/registrations/${first.body.registration.id}/cancel`, { key })).status).toBe(200);
    const holdUntil = new Date(clock.now().getTime() + 24 * HOUR).toISOString();
    expect(await statuses(s.id)).toEqual([
      { email: person(1).email, status: "cancelled", confirm_expires_at: null },
      { email: person(2).email, status: "pending_payment", confirm_expires_at: holdUntil },
      { email: person(3).email, status: "waitlisted", confirm_expires_at: null },
    ]);
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 0, held: 1, waitlisted: 1 });
    // Handed to the queue, with the manage token (and so the pay link) derived on the way.
    await vi.waitFor(() => expect(captured.filter((m) => m.template === "promoted_to_pay")).toHaveLength(1));
    const mail = captured.filter((m) => m.template === "promoted_to_pay");
    expect(mail.map((m) => m.to)).toEqual([person(2).email]);
    expect(mail[0].data).toMatchObject({ amount: 2500, currency: "EUR", holdUntil });
    const link = payLink(mail[0].data);
    expect(link).toMatch(new RegExp(`/m/${s.id}\\.[^/]+/pay$`));
    const french = renderMail(mail[0]);
    expect(french.subject).toContain("Une place s’est libérée");
    expect(french.text).toContain("Payer 25,00");
    expect(french.html).toContain(link.replaceAll("&", "&amp;"));
    expect(renderMail({ ...mail[0], locale: "en" }).text).toContain("pay €25.00 to take it");

    // Unpaid for a day: the hold lapses and the next in line is asked to pay in turn.
    clock.advance(24 * HOUR + 1_000);
    expect(await runDurableObjectAlarm(ledger(s.id))).toBe(true);
    expect((await statuses(s.id)).map((r) => r.status)).toEqual(["cancelled", "cancelled", "pending_payment"]);
    await vi.waitFor(() => expect(captured.filter((m) => m.template === "promoted_to_pay")).toHaveLength(2));
    const next = captured.filter((m) => m.template === "promoted_to_pay");
    expect(next.map((m) => m.to)).toEqual([person(2).email, person(3).email]);

    // Paying from the emailed link confirms the seat.
    // The emailed link starts the checkout (the dev page here) and sends the browser there.
    const started = await api("GET", new URL(payLink(next[1].data)).pathname, { base: DEV_BASE });
    expect(started.status).toBe(303);
    expect(started.headers.get("location")).toMatch(new RegExp(`/dev/checkout/${third.body.registration.id}$`));
    await devCheckout(started.headers.get("location")!);
    expect((await statuses(s.id))[2]).toMatchObject({ status: "confirmed" });
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0, waitlisted: 0 });
  });
});
