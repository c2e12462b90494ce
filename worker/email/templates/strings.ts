// Words shared by every email, in each language the product speaks. Template-specific words live
// beside their template.

import type { Locale } from "../../i18n/locales";

export type { Locale };

export const common = {
  en: {
    hello: (name: string | null) => (name ? `Hello ${name},` : "Hello,"),
    when: "When",
    orOpen: "If the button does not work, open this link:",
    footer: "Sent by Rollcall on behalf of the organiser of this session.",
  },
  fr: {
    hello: (name: string | null) => (name ? `Bonjour ${name},` : "Bonjour,"),
    when: "Quand",
    orOpen: "Si le bouton ne fonctionne pas, ouvrez ce lien :",
    footer: "Envoyé par Rollcall pour le compte de l’organisateur de cette session.",
  },
} satisfies Record<Locale, Record<string, unknown>>;

/** Texts from people (subjects, names) must stay on one line in a header. */
export function oneLine(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
}
