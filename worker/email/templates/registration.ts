// What a participant hears about their own seat: confirmed, waitlisted, promoted from the waitlist.

import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale } from "./strings";
import { sessionTime } from "./when";

const words = {
  en: {
    confirmedSubject: (title: string) => `You're registered: ${title}`,
    confirmed: (title: string) => `Your seat at ${title} is confirmed.`,
    calendar: "The attached calendar file adds the session to your calendar.",
    cancelIntro: "Can't make it? Cancel your registration so someone else can have the seat.",
    cancel: "Cancel my registration",
    waitlistedSubject: (title: string) => `You're on the waitlist: ${title}`,
    waitlisted: (title: string) => `${title} is full, so you are on the waitlist. If a seat frees up, it is yours and we will email you.`,
    leave: "Leave the waitlist",
    leaveIntro: "Changed your mind? You can leave the waitlist at any time.",
    promotedSubject: (title: string) => `A seat opened up: ${title}`,
    promoted: (title: string) => `Good news: a seat opened up and you are now registered for ${title}.`,
  },
  fr: {
    confirmedSubject: (title: string) => `Inscription confirmée : ${title}`,
    confirmed: (title: string) => `Votre place pour ${title} est confirmée.`,
    calendar: "Le fichier de calendrier joint ajoute la session à votre agenda.",
    cancelIntro: "Vous ne pourrez pas venir ? Annulez votre inscription pour libérer la place.",
    cancel: "Annuler mon inscription",
    waitlistedSubject: (title: string) => `Liste d’attente : ${title}`,
    waitlisted: (title: string) =>
      `${title} est complet : vous êtes sur la liste d’attente. Si une place se libère, elle est pour vous et nous vous écrirons.`,
    leave: "Quitter la liste d’attente",
    leaveIntro: "Vous avez changé d’avis ? Vous pouvez quitter la liste d’attente à tout moment.",
    promotedSubject: (title: string) => `Une place s’est libérée : ${title}`,
    promoted: (title: string) => `Bonne nouvelle : une place s’est libérée et vous êtes inscrit·e à ${title}.`,
  },
};

const manageLink = (d: { baseUrl: string; manageToken: string }) => `${d.baseUrl}/m/${encodeURIComponent(d.manageToken)}`;

export function registrationConfirmed(d: MailData["registration_confirmed"], locale: Locale): MailContent {
  const w = words[locale];
  const c = common[locale];
  const when = sessionTime(d.startsAt, d.durationMinutes, d.timeZone, locale);
  const link = manageLink(d);
  return {
    lang: locale,
    subject: w.confirmedSubject(d.sessionTitle),
    preheader: `${w.confirmed(d.sessionTitle)} ${when}`,
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.confirmed(d.sessionTitle) },
      { kind: "details", rows: [[c.when, when]] },
      { kind: "paragraph", text: w.calendar },
      { kind: "paragraph", text: w.cancelIntro },
      { kind: "button", label: w.cancel, url: link },
    ],
    footer: c.footer,
  };
}

export function waitlisted(d: MailData["waitlisted"], locale: Locale): MailContent {
  const w = words[locale];
  const c = common[locale];
  const when = sessionTime(d.startsAt, d.durationMinutes, d.timeZone, locale);
  const link = manageLink(d);
  return {
    lang: locale,
    subject: w.waitlistedSubject(d.sessionTitle),
    preheader: w.waitlisted(d.sessionTitle),
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.waitlisted(d.sessionTitle) },
      { kind: "details", rows: [[c.when, when]] },
      { kind: "paragraph", text: w.leaveIntro },
      { kind: "button", label: w.leave, url: link },
    ],
    footer: c.footer,
  };
}

export function promoted(d: MailData["promoted"], locale: Locale): MailContent {
  const w = words[locale];
  const c = common[locale];
  const when = sessionTime(d.startsAt, d.durationMinutes, d.timeZone, locale);
  return {
    lang: locale,
    subject: w.promotedSubject(d.sessionTitle),
    preheader: `${w.promoted(d.sessionTitle)} ${when}`,
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.promoted(d.sessionTitle) },
      { kind: "details", rows: [[c.when, when]] },
      { kind: "paragraph", text: w.calendar },
    ],
    footer: c.footer,
  };
}
