// The session moved (its time, its zone or its place): each confirmed participant hears what it
// was and what it is now, with the calendar event's new version attached (render.ts), the meeting
// link and the cancel link, since a new time may no longer suit them.

import { labelled } from "../../i18n/grammar";
import { sessionTime } from "../../time/when";
import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale, type MailContext, questionsNote, sessionRows } from "./strings";

const by = { en: (org: string | null) => org ?? "The organiser", fr: (org: string | null) => org ?? "L’organisateur" };

const words = {
  en: {
    subject: (title: string) => `Changed: ${title}`,
    changed: (title: string, org: string | null) => `${by.en(org)} has changed ${title}. Your seat is kept.`,
    what: "What changed",
    before: "Before",
    now: "Now",
    online: "Meeting link",
    none: "(none)",
    calendar: "The attached calendar file updates the session in your calendar.",
    join: "Join online",
    cancelIntro: "Can't make it any more? Cancel your registration so someone else can have the seat.",
    cancel: "Cancel my registration",
  },
  fr: {
    subject: (title: string) => `Séance modifiée : ${title}`,
    changed: (title: string, org: string | null) => `${by.fr(org)} a modifié ${title}. Votre place est conservée.`,
    what: "Ce qui change",
    before: "Avant",
    now: "Désormais",
    online: "Lien de la réunion",
    none: "(aucun)",
    calendar: "Le fichier de calendrier joint met à jour la séance dans votre agenda.",
    join: "Rejoindre en ligne",
    cancelIntro: "Vous ne pouvez plus venir ? Annulez votre inscription pour libérer la place.",
    cancel: "Annuler mon inscription",
  },
} satisfies Record<Locale, Record<string, unknown>>;

/** Each changed detail as "label: before → now", in the participant's language. */
export function changes(d: MailData["session_updated"], locale: Locale): [string, string][] {
  const w = words[locale];
  const c = common[locale];
  const rows: [string, string][] = [];
  const was = sessionTime(d.before.startsAt, d.before.durationMinutes, d.before.timeZone, locale);
  const is = sessionTime(d.startsAt, d.durationMinutes, d.timeZone, locale);
  if (was !== is) rows.push([c.when, `${was} → ${is}`]);
  const place = (v: string | null | undefined) => v?.trim() || w.none;
  if (place(d.before.location) !== place(d.location)) rows.push([c.where, `${place(d.before.location)} → ${place(d.location)}`]);
  if (place(d.before.onlineUrl) !== place(d.onlineUrl)) rows.push([w.online, `${place(d.before.onlineUrl)} → ${place(d.onlineUrl)}`]);
  return rows;
}

export function sessionUpdated(d: MailData["session_updated"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  const sentence = w.changed(d.sessionTitle, ctx.org);
  const changed = changes(d, locale);
  return {
    lang: locale,
    subject: w.subject(d.sessionTitle),
    heading: ctx.org,
    preheader: `${sentence} ${changed.map(([label, value]) => labelled(label, value, locale)).join(" · ")}`,
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: sentence },
      { kind: "paragraph", text: w.what },
      { kind: "details", rows: changed },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      ...(d.onlineUrl ? [{ kind: "button" as const, label: w.join, url: d.onlineUrl }] : []),
      { kind: "paragraph", text: w.calendar },
      { kind: "paragraph", text: w.cancelIntro },
      { kind: "button", label: w.cancel, url: `${d.baseUrl}/m/${encodeURIComponent(d.manageToken)}` },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}
