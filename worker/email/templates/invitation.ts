// The invitation: who invites (the org) to what, the organiser's own subject, message and button
// text when given, the session's details (its time in its own zone), the link, the discount, and
// until when the seat is held.

import { formatPrice } from "../../sessions/price";
import { instant, sessionTime } from "../../time/when";
import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale, type MailContext, oneLine, questionsNote, sessionRows } from "./strings";

const words = {
  en: {
    subject: (title: string) => `You're invited: ${title}`,
    invited: (title: string, org: string | null) => (org ? `${org} invites you to ${title}.` : `You are invited to ${title}.`),
    button: "Accept or decline",
    discount: "Discount code",
    toPay: "You pay",
    free: "Nothing: the code covers it",
    seatHeld: (until: string) => `A seat is reserved for you until ${until}.`,
    validUntil: (until: string) => `This invitation is valid until ${until}.`,
    answerNote: "The link shows the invitation: accept it or decline it there. It is also where you come back if you change your mind.",
    personal: "This link is personal: whoever holds it can answer the invitation for you, so keep it to yourself.",
    addressOnly: "Only this email address can accept the invitation: we will send a code to it to check.",
  },
  fr: {
    subject: (title: string) => `Invitation : ${title}`,
    invited: (title: string, org: string | null) => (org ? `${org} vous invite à ${title}.` : `Vous êtes invité·e à ${title}.`),
    button: "Accepter ou refuser",
    discount: "Code de réduction",
    toPay: "Vous payez",
    free: "Rien : le code couvre tout",
    seatHeld: (until: string) => `Une place vous est réservée jusqu’au ${until}.`,
    validUntil: (until: string) => `Cette invitation est valable jusqu’au ${until}.`,
    answerNote:
      "Le lien affiche l’invitation : acceptez-la ou refusez-la depuis cette page. C’est aussi là que vous revenez si vous changez d’avis.",
    personal: "Ce lien est personnel : la personne qui le détient peut répondre à l’invitation à votre place, gardez-le pour vous.",
    addressOnly: "Seule cette adresse e-mail peut accepter l’invitation : nous y enverrons un code pour le vérifier.",
  },
};

/** The email's own subject and button words, which the organiser's replace (the admin shows them as placeholders). */
export function invitationEmailDefaults(sessionTitle: string, locale: Locale): { subject: string; buttonText: string } {
  return { subject: oneLine(words[locale].subject(sessionTitle)), buttonText: words[locale].button };
}

export function invitation(d: MailData["invitation"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  const when = sessionTime(d.startsAt, d.durationMinutes, d.timeZone, locale);
  const subject = oneLine(d.subject?.trim() || w.subject(d.sessionTitle));
  const details = sessionRows(d, locale, ctx);
  if (d.discountCode) details.push([w.discount, d.discountCode]);
  // What the code leaves to pay, when it takes something off (seed 000: "including any discount").
  if (d.discountCode && d.price && d.toPay && d.toPay.amount < d.price.amount)
    details.push([w.toPay, d.toPay.amount === 0 ? w.free : formatPrice(d.toPay, locale)]);
  const until = d.expiresAt ? instant(d.expiresAt, d.timeZone, locale) : null;
  return {
    lang: locale,
    subject,
    heading: ctx.org,
    preheader: `${w.invited(d.sessionTitle, ctx.org)} ${when}`,
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.invited(d.sessionTitle, ctx.org) },
      ...(d.message?.trim() ? [{ kind: "quote" as const, text: d.message.trim() }] : []),
      { kind: "details", rows: details },
      ...(until ? [{ kind: "paragraph" as const, text: d.holdSeat ? w.seatHeld(until) : w.validUntil(until) }] : []),
      { kind: "button", label: oneLine(d.buttonText?.trim() || w.button), url: d.link },
      { kind: "note", text: w.answerNote },
      { kind: "note", text: d.requireEmailMatch ? w.addressOnly : w.personal },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}
