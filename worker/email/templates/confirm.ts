// The request to confirm an address, for a public registration in a session that confirms by email.
// Whoever typed the address may not own it: the email greets no one by name, carries no text the
// registrant chose, keeps the code out of its subject, and says that doing nothing is harmless.

import { de } from "../../i18n/grammar";
import { instant } from "../../time/when";
import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale, type MailContext, questionsNote, sessionRows } from "./strings";

const words = {
  en: {
    subject: (title: string) => `Confirm your registration: ${title}`,
    seat: (title: string) => `Someone, probably you, asked to register this address for ${title}. A seat is held for you for 15 minutes.`,
    waitlist: (title: string) =>
      `Someone, probably you, asked to put this address on the waitlist of ${title}. Your place in line is held for 15 minutes.`,
    until: (at: string) => `Confirm before ${at}:`,
    button: "Confirm my registration",
    code: "Or enter this code where you registered:",
    ignore: "If you did not ask for this, ignore this email: nothing is booked, and the seat goes back to others.",
  },
  fr: {
    subject: (title: string) => `Confirmez votre inscription : ${title}`,
    seat: (title: string) =>
      `Quelqu’un, sans doute vous, a demandé à inscrire cette adresse à ${title}. Une place vous est réservée pendant 15 minutes.`,
    waitlist: (title: string) =>
      `Quelqu’un, sans doute vous, a demandé à inscrire cette adresse sur la liste d’attente ${de(title)}. Votre place dans la file est réservée pendant 15 minutes.`,
    until: (at: string) => `Confirmez avant le ${at} :`,
    button: "Confirmer mon inscription",
    code: "Ou saisissez ce code là où vous vous êtes inscrit·e :",
    ignore: "Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : rien n’est réservé et la place revient aux autres.",
  },
};

export function confirmRegistration(d: MailData["confirm_registration"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  const asked = d.waitlist ? w.waitlist(d.sessionTitle) : w.seat(d.sessionTitle);
  return {
    lang: locale,
    heading: ctx.org,
    subject: w.subject(d.sessionTitle),
    preheader: asked,
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: asked },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      { kind: "paragraph", text: w.until(instant(d.expiresAt, d.timeZone, locale)) },
      { kind: "button", label: w.button, url: d.link },
      { kind: "paragraph", text: w.code },
      { kind: "code", code: d.code },
      { kind: "note", text: w.ignore },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}
