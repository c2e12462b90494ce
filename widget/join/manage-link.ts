// The way out of "already registered" in <rollcall-join>: the offer to email that address the
// link to manage its registration, in every language. A chunk of its own, fetched only by someone
// told they are registered already.

import { html, type TemplateResult } from "lit";
import type { Locale } from "../../worker/i18n/locales";

const words: Record<Locale, { offer: string; send: string; sent: string }> = {
  en: {
    offer: "Lost your confirmation? We can email this address the link to see or cancel the registration.",
    send: "Email me the link",
    sent: "If this address is registered for the session, the link to manage the registration is on its way to it.",
  },
  fr: {
    offer: "Confirmation perdue ? Nous pouvons envoyer à cette adresse le lien pour voir ou annuler l’inscription.",
    send: "M’envoyer le lien",
    sent: "Si cette adresse est inscrite à la séance, le lien pour gérer l’inscription lui a été envoyé.",
  },
};

/**
 * The offer (while `offer` holds the address), then, once asked (`offer` empty), what happens
 * next: the same words whether or not the address is registered, which the page cannot know.
 */
export function manageLinkOffer(locale: Locale, offer: string, busy: boolean, send: () => void): TemplateResult {
  const w = words[locale];
  return offer
    ? html`<p class="muted">${w.offer}</p>
        <div class="actions"><button part="button" type="button" class="secondary" ?disabled=${busy} @click=${send}>${w.send}</button></div>`
    : html`<p part="message" class="message" role="status">${w.sent}</p>`;
}
