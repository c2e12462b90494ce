// Things that are off: an invitation withdrawn by the org, a whole session cancelled, one
// registration cancelled (by its participant, by the org, or by the system). Where the person had
// a seat, the email carries the calendar cancellation (render.ts attaches it).

import { de } from "../../i18n/grammar";
import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale, type MailContext, questionsNote, sessionRows } from "./strings";

const by = { en: (org: string | null) => org ?? "The organiser", fr: (org: string | null) => org ?? "L’organisateur" };

const words = {
  en: {
    invitationSubject: (title: string) => `Invitation withdrawn: ${title}`,
    invitation: (title: string, org: string | null) =>
      `${by.en(org)} has withdrawn your invitation to ${title}. The link in the earlier email no longer works.`,
    sessionSubject: (title: string) => `Cancelled: ${title}`,
    session: (title: string, org: string | null) =>
      `${by.en(org)} has cancelled ${title}. Your registration is cancelled with it; there is nothing you need to do.`,
    sorry: "We are sorry for the inconvenience.",
    minimumNotMet: "Too few people had registered for it to run.",
    registrationSubject: (title: string) => `Registration cancelled: ${title}`,
    waitlistSubject: (title: string) => `You left the waitlist: ${title}`,
    participant: (title: string, hadSeat: boolean) =>
      hadSeat
        ? `Your registration for ${title} is cancelled, as you asked. Your seat is free for someone else.`
        : `You have left the waitlist for ${title}, as you asked.`,
    provider: (title: string, org: string | null, hadSeat: boolean) =>
      hadSeat
        ? `${by.en(org)} has cancelled your registration for ${title}.`
        : `${by.en(org)} has taken you off the waitlist for ${title}.`,
    system: (title: string, hadSeat: boolean) =>
      hadSeat ? `Your registration for ${title} is cancelled.` : `You are no longer on the waitlist for ${title}.`,
    refundFull: "Your payment will be refunded in full.",
    refundNone: "Under this session's refund policy, your payment is not refunded.",
  },
  fr: {
    invitationSubject: (title: string) => `Invitation retirée : ${title}`,
    invitation: (title: string, org: string | null) =>
      `${by.fr(org)} a retiré votre invitation à ${title}. Le lien du précédent e-mail ne fonctionne plus.`,
    sessionSubject: (title: string) => `Séance annulée : ${title}`,
    session: (title: string, org: string | null) =>
      `${by.fr(org)} a annulé ${title}. Votre inscription est annulée en conséquence ; vous n’avez rien à faire.`,
    sorry: "Nous sommes désolés pour la gêne occasionnée.",
    minimumNotMet: "Il n’y avait pas assez d’inscrits pour qu’elle ait lieu.",
    registrationSubject: (title: string) => `Inscription annulée : ${title}`,
    waitlistSubject: (title: string) => `Vous avez quitté la liste d’attente : ${title}`,
    participant: (title: string, hadSeat: boolean) =>
      hadSeat
        ? `Votre inscription à ${title} est annulée, comme vous l’avez demandé. Votre place est libre pour quelqu’un d’autre.`
        : `Vous avez quitté la liste d’attente ${de(title)}, comme vous l’avez demandé.`,
    provider: (title: string, org: string | null, hadSeat: boolean) =>
      hadSeat
        ? `${by.fr(org)} a annulé votre inscription à ${title}.`
        : `${by.fr(org)} vous a retiré·e de la liste d’attente ${de(title)}.`,
    system: (title: string, hadSeat: boolean) =>
      hadSeat ? `Votre inscription à ${title} est annulée.` : `Vous n’êtes plus sur la liste d’attente ${de(title)}.`,
    refundFull: "Votre paiement vous sera remboursé intégralement.",
    refundNone: "Selon les conditions de remboursement de cette séance, votre paiement n’est pas remboursé.",
  },
};

/** The sentence on the money, for a paid registration. */
function refundBlocks(refund: "full" | "none" | undefined, locale: Locale) {
  if (!refund) return [];
  return [{ kind: "paragraph" as const, text: refund === "full" ? words[locale].refundFull : words[locale].refundNone }];
}

export function invitationCancelled(d: MailData["invitation_cancelled"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: w.invitationSubject(d.sessionTitle),
    heading: ctx.org,
    preheader: w.invitation(d.sessionTitle, ctx.org),
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.invitation(d.sessionTitle, ctx.org) },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}

export function sessionCancelled(d: MailData["session_cancelled"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: w.sessionSubject(d.sessionTitle),
    heading: ctx.org,
    preheader: w.session(d.sessionTitle, ctx.org),
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.session(d.sessionTitle, ctx.org) },
      ...(d.reason === "minimum_not_met" ? [{ kind: "paragraph" as const, text: w.minimumNotMet }] : []),
      ...refundBlocks(d.refund, locale),
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      ...(d.hadSeat ? [{ kind: "paragraph" as const, text: c.calendarCancel }] : []),
      { kind: "paragraph", text: w.sorry },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}

export function registrationCancelled(d: MailData["registration_cancelled"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  const text =
    d.cancelledBy === "participant"
      ? w.participant(d.sessionTitle, d.hadSeat)
      : d.cancelledBy === "provider"
        ? w.provider(d.sessionTitle, ctx.org, d.hadSeat)
        : w.system(d.sessionTitle, d.hadSeat);
  return {
    lang: locale,
    subject: d.hadSeat ? w.registrationSubject(d.sessionTitle) : w.waitlistSubject(d.sessionTitle),
    heading: ctx.org,
    preheader: text,
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text },
      ...refundBlocks(d.refund, locale),
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      ...(d.hadSeat ? [{ kind: "paragraph" as const, text: c.calendarCancel }] : []),
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}
