// What a hosted page says when checkout sends the person back to it (`rollcall_checkout=paid|
// cancelled`, payments/checkout.ts): the person's own page and a program's page alike. With a
// real provider the payment is recorded by its event, which may come a moment after the person:
// the seat can still read "held" when they land, so the page says what follows.

import type { Locale } from "../i18n/locales";
import type { CheckoutResult } from "../payments/checkout";

const text = {
  en: {
    paid: "Back from checkout: once the payment is recorded, your seat is confirmed and an email says so. The status is below.",
    cancelled: "Checkout left: nothing was charged. The status is below.",
  },
  fr: {
    paid: "Retour du paiement : une fois le paiement enregistré, votre place est confirmée et un e-mail vous le dit. Le statut figure ci-dessous.",
    cancelled: "Paiement abandonné : rien n’a été débité. Le statut figure ci-dessous.",
  },
} satisfies Record<Locale, Record<CheckoutResult, string>>;

/** The sentence for the page's `rollcall_checkout` parameter; nothing for any other value. */
export function CheckoutReturn({ locale, result }: { locale: Locale; result: string | undefined }) {
  return result === "paid" || result === "cancelled" ? <p role="status">{text[locale][result]}</p> : null;
}
