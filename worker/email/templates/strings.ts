// Words shared by every email, in each language the product speaks, and the session's details as
// every participant email shows them. Template-specific words live beside their template.

import { de } from "../../i18n/grammar";
import type { Locale } from "../../i18n/locales";
import { formatPrice } from "../../sessions/price";
import { sessionTime } from "../../time/when";
import type { SessionMailData } from "../message";

export type { Locale };

/**
 * Who a message is sent for: the org's name (null only when no org is known, e.g. a sign-in link)
 * and where answers go (its reply-to or its owner's address; null when neither is known).
 */
export type MailContext = { org: string | null; replyTo: string | null };

export const common = {
  en: {
    hello: (name: string | null) => (name ? `Hello ${name},` : "Hello,"),
    session: "Session",
    when: "When",
    where: "Where",
    price: "Price",
    organiser: "Organiser",
    orOpen: "If the button does not work, open this link:",
    calendar: "The attached calendar file adds the session to your calendar.",
    calendarCancel: "The attached calendar file removes the session from your calendar.",
    questions: (org: string) => `Questions? Reply to this email: it goes to ${org}.`,
    footer: (org: string | null) => (org ? `Sent by Rollcall on behalf of ${org}.` : "Sent by Rollcall."),
    yourPage: (org: string | null) =>
      org ? `All your sessions with ${org}, your answers and your details:` : "All your sessions, your answers and your details:",
  },
  fr: {
    hello: (name: string | null) => (name ? `Bonjour ${name},` : "Bonjour,"),
    session: "Séance",
    when: "Quand",
    where: "Où",
    price: "Prix",
    organiser: "Organisateur",
    orOpen: "Si le bouton ne fonctionne pas, ouvrez ce lien :",
    calendar: "Le fichier de calendrier joint ajoute la séance à votre agenda.",
    calendarCancel: "Le fichier de calendrier joint retire la séance de votre agenda.",
    questions: (org: string) => `Une question ? Répondez à cet e-mail : il arrive chez ${org}.`,
    footer: (org: string | null) => (org ? `Envoyé par Rollcall pour le compte ${de(org)}.` : "Envoyé par Rollcall."),
    yourPage: (org: string | null) =>
      org ? `Toutes vos séances avec ${org}, vos réponses et vos coordonnées :` : "Toutes vos séances, vos réponses et vos coordonnées :",
  },
} satisfies Record<Locale, Record<string, unknown>>;

/** The session as every participant email shows it: what, when (in its zone, named), where, and who organises it. */
export function sessionRows(d: SessionMailData, locale: Locale, ctx: MailContext): [string, string][] {
  const c = common[locale];
  const rows: [string, string][] = [
    [c.session, d.sessionTitle],
    [c.when, sessionTime(d.startsAt, d.durationMinutes, d.timeZone, locale)],
  ];
  if (d.location?.trim()) rows.push([c.where, d.location.trim()]);
  if (d.price) rows.push([c.price, formatPrice(d.price, locale)]);
  if (ctx.org) rows.push([c.organiser, ctx.org]);
  return rows;
}

/** The last line of the message before the footer: answers reach the org, when it has an address. */
export function questionsNote(locale: Locale, ctx: MailContext): { kind: "note"; text: string }[] {
  return ctx.org && ctx.replyTo ? [{ kind: "note", text: common[locale].questions(ctx.org) }] : [];
}

/** Texts from people (subjects, names) must stay on one line in a header. */
export function oneLine(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
}

/**
 * The participant's own page for an org (/p/{org id}): it asks for the person's address and mails
 * a one-time link, so the URL itself opens nothing and a forwarded email gives nobody more than
 * the email already said. Null when the message's origin or org is unknown.
 */
export function participantPageUrl(baseUrl: string | undefined, orgId: string | undefined): string | null {
  if (!baseUrl || !orgId) return null;
  try {
    return `${new URL(baseUrl).origin}/p/${encodeURIComponent(orgId)}`;
  } catch {
    return null;
  }
}
