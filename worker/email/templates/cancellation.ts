// Things that are off: an invitation withdrawn by the organiser, a registration the organiser
// cancelled, a whole session cancelled.

import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale } from "./strings";
import { sessionTime } from "./when";

const words = {
  en: {
    invitationSubject: (title: string) => `Invitation withdrawn: ${title}`,
    invitation: (title: string) =>
      `The organiser has withdrawn your invitation to ${title}. The link in the earlier email no longer works.`,
    sessionSubject: (title: string) => `Cancelled: ${title}`,
    session: (title: string) =>
      `${title} has been cancelled by the organiser. Your registration is cancelled with it; there is nothing you need to do.`,
    sorry: "We are sorry for the inconvenience.",
    registrationSubject: (title: string) => `Registration cancelled: ${title}`,
    registration: (title: string) => `The organiser has cancelled your registration for ${title}.`,
    calendar: "The attached calendar file removes the session from your calendar.",
  },
  fr: {
    invitationSubject: (title: string) => `Invitation retirée : ${title}`,
    invitation: (title: string) => `L’organisateur a retiré votre invitation à ${title}. Le lien du précédent e-mail ne fonctionne plus.`,
    sessionSubject: (title: string) => `Annulé : ${title}`,
    session: (title: string) =>
      `${title} a été annulé par l’organisateur. Votre inscription est annulée en conséquence ; vous n’avez rien à faire.`,
    sorry: "Nous sommes désolés pour la gêne occasionnée.",
    registrationSubject: (title: string) => `Inscription annulée : ${title}`,
    registration: (title: string) => `L’organisateur a annulé votre inscription à ${title}.`,
    calendar: "Le fichier de calendrier joint retire la session de votre agenda.",
  },
};

export function invitationCancelled(d: MailData["invitation_cancelled"], locale: Locale): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: w.invitationSubject(d.sessionTitle),
    preheader: w.invitation(d.sessionTitle),
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.invitation(d.sessionTitle) },
      { kind: "details", rows: [[c.when, sessionTime(d.startsAt, d.durationMinutes, d.timeZone, locale)]] },
    ],
    footer: c.footer,
  };
}

export function registrationCancelled(d: MailData["registration_cancelled"], locale: Locale): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: w.registrationSubject(d.sessionTitle),
    preheader: w.registration(d.sessionTitle),
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.registration(d.sessionTitle) },
      { kind: "details", rows: [[c.when, sessionTime(d.startsAt, d.durationMinutes, d.timeZone, locale)]] },
      ...(d.calendar ? [{ kind: "paragraph" as const, text: w.calendar }] : []),
    ],
    footer: c.footer,
  };
}

export function sessionCancelled(d: MailData["session_cancelled"], locale: Locale): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: w.sessionSubject(d.sessionTitle),
    preheader: w.session(d.sessionTitle),
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.session(d.sessionTitle) },
      { kind: "details", rows: [[c.when, sessionTime(d.startsAt, d.durationMinutes, d.timeZone, locale)]] },
      { kind: "paragraph", text: w.sorry },
    ],
    footer: c.footer,
  };
}
