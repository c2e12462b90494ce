// The dev checkout page as a person reads it: in English or French (their browser's language, else
// the one they registered in), naming the org, the session and when it runs, the amount with its
// discount, and where the payment stands (awaiting, paid, refund due, refunded, released), saying
// it is a local stand-in that charges nothing. Pay and Abandon only while the seat is held.
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { checkoutStage } from "../../worker/payments/decide";
import { PAYMENT_HOLD_MS } from "../../worker/registrations/decide";
import { devCheckout } from "./dev-checkout-helpers";
import { api, DEV_BASE, ledger, ledgerClock, newOrg, newSession, person } from "./helpers";
import { captureRefunds, runRefunds } from "./stripe-helpers";

const PRICE = { amount: 2500, currency: "EUR" };

async function pricedSession(overrides: Record<string, unknown> = {}) {
  const { key } = await newOrg("Forest Camp");
  const s = await newSession(key, { price: PRICE, ...overrides });
  return { key, s };
}

async function registerAt(sessionId: string, body: Record<string, unknown>) {
  const res = await api("POST", `/v1/public/sessions/${sessionId}/registrations`, { body, base: DEV_BASE });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { registration: { id: string }; checkoutUrl: string };
}

async function checkoutPage(checkoutUrl: string, headers: Record<string, string> = {}) {
  const res = await api("GET", new URL(checkoutUrl).pathname, { base: DEV_BASE, headers });
  expect(res.status).toBe(200);
  return res.body as string;
}

const hasPayButton = (html: string) => html.includes('name="outcome" value="paid"');

describe("checkoutStage", () => {
  const base = { status: "pending_payment", amount: 2500, paidAt: null, refundDueAt: null, refundedAt: null };
  it("tells awaiting, paid, paid then cancelled, refund due, refunded, released and nothing due apart", () => {
    const at = "2031-07-01T10:00:00.000Z";
    expect(checkoutStage(base)).toBe("awaiting");
    expect(checkoutStage({ ...base, status: "confirmed", paidAt: at })).toBe("paid");
    expect(checkoutStage({ ...base, status: "cancelled", paidAt: at })).toBe("paid_cancelled");
    expect(checkoutStage({ ...base, status: "cancelled", paidAt: at, refundDueAt: at })).toBe("refund_due");
    expect(checkoutStage({ ...base, status: "cancelled", paidAt: at, refundDueAt: at, refundedAt: at })).toBe("refunded");
    expect(checkoutStage({ ...base, status: "cancelled" })).toBe("released");
    expect(checkoutStage({ ...base, status: "waitlisted" })).toBe("closed");
  });
});

describe("GET /dev/checkout/{registrationId}", () => {
  it("names the org, the session, when it runs and the amount, says nothing is charged, and offers Pay and Abandon while held", async () => {
    const { s } = await pricedSession({ startsAt: "2031-07-05T07:00:00.000Z", timeZone: "Europe/Paris", durationMinutes: 180 });
    const html = await checkoutPage((await registerAt(s.id, person(1))).checkoutUrl);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<h1>Forest camp — week 1</h1>");
    expect(html).toContain("Forest Camp · ");
    expect(html).toContain("July 5, 2031");
    expect(html).toMatch(/9:00\sAM\s–\s12:00\sPM \(Europe\/Paris, GMT\+2\)/); // as the emails write it
    expect(html).toContain("€25.00");
    expect(html).toContain("Nothing is charged.");
    expect(html).toContain("Awaiting payment");
    expect(html).toMatch(/Your seat is held until [^<]*\d{4} at [^<]*\(Europe\/Paris\)\./);
    expect(html).toContain("Pay €25.00");
    expect(html).toContain("Abandon");
    expect(hasPayButton(html)).toBe(true);
  });

  it("speaks French when the browser asks for it, and in the registration's own language when the browser names none", async () => {
    const { s } = await pricedSession({ startsAt: "2031-07-05T07:00:00.000Z", timeZone: "Europe/Paris" });
    const english = await registerAt(s.id, person(1));
    const asked = await checkoutPage(english.checkoutUrl, { "accept-language": "fr-CA,fr;q=0.9,en;q=0.5" });
    expect(asked).toContain('<html lang="fr">');
    expect(asked).toContain("25,00\u00a0€");
    expect(asked).toContain("Payer 25,00\u00a0€");
    expect(asked).toContain("Abandonner");
    expect(asked).toContain("Rien n’est débité.");
    expect(asked).toContain("Votre place est réservée jusqu’au");
    expect(asked).toContain("juillet 2031");
    expect(asked).not.toContain("Awaiting payment");
    // The same registration, no language asked: English, the language it registered in.
    expect(await checkoutPage(english.checkoutUrl)).toContain('<html lang="en">');

    const french = await registerAt(s.id, { ...person(2), locale: "fr" });
    const fallback = await checkoutPage(french.checkoutUrl);
    expect(fallback).toContain('<html lang="fr">');
    expect(fallback).toContain("Paiement attendu");
    // The browser's choice still wins over the registration's.
    expect(await checkoutPage(french.checkoutUrl, { "accept-language": "en" })).toContain("Awaiting payment");
  });

  it("shows the discount code and the price before it", async () => {
    const { key, s } = await pricedSession();
    expect((await api("POST", "/v1/discount-codes", { key, body: { code: "EARLY10", percentOff: 10 } })).status).toBe(201);
    const { checkoutUrl } = await registerAt(s.id, { ...person(1), discountCode: "early10" });
    const html = await checkoutPage(checkoutUrl);
    expect(html).toContain("<del>€25.00</del>");
    expect(html).toContain("EARLY10");
    expect(html).toContain("Pay €22.50");
    const fr = await checkoutPage(checkoutUrl, { "accept-language": "fr" });
    expect(fr).toContain("<del>25,00\u00a0€</del>");
    expect(fr).toContain("Code de réduction");
    // Without a discount, no price struck.
    expect(await checkoutPage((await registerAt(s.id, person(2))).checkoutUrl)).not.toContain("<del>");
  });

  it("once paid says when and that the seat is confirmed, with no Pay button", async () => {
    const { s } = await pricedSession();
    const { checkoutUrl } = await registerAt(s.id, person(1));
    await devCheckout(checkoutUrl);
    const html = await checkoutPage(checkoutUrl);
    expect(html).toMatch(/Paid on [^<]+\. Your seat is confirmed\./);
    expect(hasPayButton(html)).toBe(false);
    expect(html).not.toContain("Abandon");
    expect(await checkoutPage(checkoutUrl, { "accept-language": "fr" })).toMatch(/Payé le [^<]+\. Votre place est confirmée\./);
  });

  it("after the provider cancels a paid registration says the refund is due, then how much was refunded and when", async () => {
    const { key, s } = await pricedSession({ startsAt: "2031-07-05T07:00:00.000Z" });
    const refunds = await captureRefunds(s.id);
    const { registration, checkoutUrl } = await registerAt(s.id, person(1));
    await devCheckout(checkoutUrl);
    expect((await api("POST", `/v1/registrations/${registration.id}/cancel`, { key })).status).toBe(200);
    const due = await checkoutPage(checkoutUrl);
    expect(due).toContain("Refund due");
    expect(due).toContain("€25.00 is to be refunded in full.");
    expect(hasPayButton(due)).toBe(false);

    // The ledger's refund outbox drains after the change; the refunds consumer then records it.
    await vi.waitFor(() => expect(refunds.map((m) => m.registrationId)).toEqual([registration.id]));
    await runRefunds(env, refunds);
    const refunded = await checkoutPage(checkoutUrl);
    expect(refunded).toContain('<h2 id="stage">Refunded</h2>');
    expect(refunded).toMatch(/€25\.00 was refunded on [^<]*\d{4}/);
    expect(hasPayButton(refunded)).toBe(false);
    const fr = await checkoutPage(checkoutUrl, { "accept-language": "fr" });
    expect(fr).toContain("Remboursé");
    expect(fr).toMatch(/25,00\u00a0€ remboursé le /);
  });

  it("once the hold lapsed unpaid says the seat was released, with no Pay button", async () => {
    const { s } = await pricedSession();
    const clock = await ledgerClock(s.id);
    const { checkoutUrl } = await registerAt(s.id, person(1));
    clock.advance(PAYMENT_HOLD_MS + 60_000);
    expect(await runDurableObjectAlarm(ledger(s.id))).toBe(true);
    const html = await checkoutPage(checkoutUrl);
    expect(html).toContain("Seat released");
    expect(html).toContain("the seat was released for others. Nothing was charged.");
    expect(hasPayButton(html)).toBe(false);
    expect(await checkoutPage(checkoutUrl, { "accept-language": "fr" })).toContain("la place a été libérée pour d’autres");
  });

  it("says an abandoned checkout released the seat", async () => {
    const { s } = await pricedSession();
    const { checkoutUrl } = await registerAt(s.id, person(1));
    await devCheckout(checkoutUrl, "abandoned");
    const html = await checkoutPage(checkoutUrl);
    expect(html).toContain("Seat released");
    expect(hasPayButton(html)).toBe(false);
  });

  it("escapes the session's title and the org's name", async () => {
    const { key } = await newOrg("<b>Camp</b>");
    const s = await newSession(key, { price: PRICE, title: "<script>alert(1)</script> & co" });
    const html = await checkoutPage((await registerAt(s.id, person(1))).checkoutUrl);
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("<b>Camp</b>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
    expect(html).toContain("&lt;b&gt;Camp&lt;/b&gt;");
  });

  it("answers 404 in the visitor's language for an unknown checkout", async () => {
    const { s } = await pricedSession();
    const { registration } = await registerAt(s.id, person(1));
    const res = await api("GET", `/dev/checkout/${registration.id.slice(0, -2)}zz`, {
      base: DEV_BASE,
      headers: { "accept-language": "fr" },
    });
    expect(res.status).toBe(404);
    expect(res.body).toContain("Ce paiement n’existe pas.");
  });
});
