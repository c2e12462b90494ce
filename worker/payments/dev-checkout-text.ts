// The words of the dev checkout page (dev-checkout.tsx), in English and French. Amounts and
// instants come in already formatted in the page's language.

import type { Locale } from "../i18n/locales";
import type { CheckoutStage } from "./decide";

type Words = {
  title: (session: string) => string;
  checkout: string;
  standIn: string;
  summary: string;
  price: string;
  discount: string;
  toPay: string;
  pay: (amount: string) => string;
  abandon: string;
  abandonNote: string;
  heldUntil: (when: string) => string;
  paid: (when: string) => string;
  paidCancelled: (when: string) => string;
  refundDue: (amount: string) => string;
  refunded: (amount: string, when: string) => string;
  released: string;
  closed: string;
  notFound: string;
  expired: string;
  choose: string;
  /** The stage as a short heading over what it says. */
  stage: Record<CheckoutStage, string>;
};

export const devCheckoutText: Record<Locale, Words> = {
  en: {
    title: (session) => `Checkout — ${session}`,
    checkout: "Checkout",
    standIn: "Test checkout: this page stands in locally for the payment provider. Nothing is charged.",
    summary: "What you pay for",
    price: "Price",
    discount: "Discount code",
    toPay: "To pay",
    pay: (amount) => `Pay ${amount}`,
    abandon: "Abandon",
    abandonNote: "Abandoning releases the seat for someone else.",
    heldUntil: (when) => `Your seat is held until ${when}.`,
    paid: (when) => `Paid on ${when}. Your seat is confirmed.`,
    paidCancelled: (when) =>
      `Paid on ${when}. The registration was cancelled since, and under the session's refund policy the payment is not refunded.`,
    refundDue: (amount) => `The seat is not yours: ${amount} is to be refunded in full.`,
    refunded: (amount, when) => `${amount} was refunded on ${when}.`,
    released: "This checkout ended unpaid: the seat was released for others. Nothing was charged.",
    closed: "There is nothing to pay on this checkout now.",
    notFound: "This checkout does not exist.",
    expired: "This form has expired. Open the checkout again.",
    choose: "Choose Pay or Abandon.",
    stage: {
      awaiting: "Awaiting payment",
      paid: "Paid",
      paid_cancelled: "Paid, registration cancelled",
      refund_due: "Refund due",
      refunded: "Refunded",
      released: "Seat released",
      closed: "No payment due",
    },
  },
  fr: {
    title: (session) => `Paiement — ${session}`,
    checkout: "Paiement",
    standIn: "Paiement de test : cette page remplace localement le prestataire de paiement. Rien n’est débité.",
    summary: "Ce que vous payez",
    price: "Prix",
    discount: "Code de réduction",
    toPay: "À payer",
    pay: (amount) => `Payer ${amount}`,
    abandon: "Abandonner",
    abandonNote: "Abandonner libère la place pour quelqu’un d’autre.",
    heldUntil: (when) => `Votre place est réservée jusqu’au ${when}.`,
    paid: (when) => `Payé le ${when}. Votre place est confirmée.`,
    paidCancelled: (when) =>
      `Payé le ${when}. L’inscription a été annulée depuis, et selon la politique de remboursement de la séance le paiement n’est pas remboursé.`,
    refundDue: (amount) => `La place n’est pas à vous : ${amount} vous sera remboursé en totalité.`,
    refunded: (amount, when) => `${amount} remboursé le ${when}.`,
    released: "Ce paiement s’est terminé sans être payé : la place a été libérée pour d’autres. Rien n’a été débité.",
    closed: "Il n’y a rien à payer sur ce paiement pour l’instant.",
    notFound: "Ce paiement n’existe pas.",
    expired: "Ce formulaire a expiré. Rouvrez la page de paiement.",
    choose: "Choisissez Payer ou Abandonner.",
    stage: {
      awaiting: "Paiement attendu",
      paid: "Payé",
      paid_cancelled: "Payé, inscription annulée",
      refund_due: "Remboursement dû",
      refunded: "Remboursé",
      released: "Place libérée",
      closed: "Aucun paiement dû",
    },
  },
};
