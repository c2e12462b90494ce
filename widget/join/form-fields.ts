// What <rollcall-join> needs only once its form opens: labelled fields, the address rule it shares
// with the server and its messages, and idempotency keys. A chunk of its own, so a page that only
// shows a session does not fetch it.

import type { Locale } from "../../worker/i18n/locales";
import type { AddressProblem } from "../../worker/recipients/address";

export { addressProblem } from "../../worker/recipients/address";
export { field } from "../shared/field";

/** Why an address is refused, in every language. */
export const addressMessages: Record<Locale, Record<AddressProblem, string>> = {
  en: {
    empty: "Required.",
    too_long: "This address is too long.",
    no_at: "An email address needs an @.",
    several_at: "An email address has only one @.",
    bad_local: "The part before the @ is not valid.",
    bad_domain: "The part after the @ is not a valid domain.",
  },
  fr: {
    empty: "Obligatoire.",
    too_long: "Cette adresse est trop longue.",
    no_at: "Une adresse e-mail contient un @.",
    several_at: "Une adresse e-mail ne contient qu’un seul @.",
    bad_local: "La partie avant le @ n’est pas valide.",
    bad_domain: "La partie après le @ n’est pas un domaine valide.",
  },
};

/** A fresh idempotency key (crypto.randomUUID needs a secure context; fall back otherwise). */
export const newKey = (): string =>
  crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/** The session's registration form (questions.ts), a chunk loaded only for a session that has one. */
export const loadQuestions = async (s: { form?: unknown } | undefined) => (s?.form ? await import("./questions") : undefined);
