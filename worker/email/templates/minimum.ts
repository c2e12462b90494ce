// The minimum number of participants, decided at the session's decisionAt (sessions/minimum.ts):
// the participants hear that it is on; when it is not met and the session asks, each owner and
// admin of the org gets the choice, run anyway or cancel, as two one-click links (each opens a
// page with a button: a mail scanner following the links decides nothing).

import { instant } from "../../time/when";
import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale, type MailContext, oneLine, questionsNote, sessionRows } from "./strings";

const words = {
  en: {
    onSubject: (title: string) => `It's on: ${title}`,
    on: (title: string, org: string | null) =>
      `Enough people have registered: ${title}${org ? `, organised by ${org},` : ""} will take place as planned. See you there!`,
    askSubject: (title: string) => `Run or cancel? ${title} has not reached its minimum`,
    ask: (title: string, counted: number, minimum: number) =>
      `${title} needs at least ${minimum} ${minimum === 1 ? "participant" : "participants"} and has ${counted}. Should it run anyway, or be cancelled?`,
    cancelNote:
      "Cancelling tells every participant by email and removes the session from their calendars. The first answer from any owner or admin decides; the link works once.",
    unanswered: (startsAt: string) => `If nobody answers before the session starts (${startsAt}), it runs as planned.`,
    run: "Run anyway",
    cancel: "Cancel the session",
  },
  fr: {
    onSubject: (title: string) => `C’est confirmé : ${title}`,
    on: (title: string, org: string | null) =>
      `Il y a assez d’inscrits : ${title}${org ? ` (${org})` : ""} aura bien lieu comme prévu. À bientôt !`,
    askSubject: (title: string) => `Maintenir ou annuler ? ${title} n’a pas atteint son minimum`,
    ask: (title: string, counted: number, minimum: number) =>
      `${title} demande au moins ${minimum} participant${minimum > 1 ? "s" : ""} et en compte ${counted}. Faut-il la maintenir quand même, ou l’annuler ?`,
    cancelNote:
      "Annuler prévient chaque participant par e-mail et retire la séance de son agenda. La première réponse d’un propriétaire ou d’un administrateur décide ; le lien ne sert qu’une fois.",
    unanswered: (startsAt: string) => `Si personne ne répond avant le début de la séance (${startsAt}), elle a lieu comme prévu.`,
    run: "Maintenir quand même",
    cancel: "Annuler la séance",
  },
} satisfies Record<Locale, Record<string, unknown>>;

/** "It's on": the minimum was met at decisionAt, or a member chose to run anyway. */
export function minimumMet(d: MailData["minimum_met"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: oneLine(w.onSubject(d.sessionTitle)),
    heading: ctx.org,
    preheader: w.on(d.sessionTitle, ctx.org),
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.on(d.sessionTitle, ctx.org) },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}

/** To an owner or admin: the minimum is not met; run anyway, or cancel? */
export function minimumAsk(d: MailData["minimum_ask"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  return {
    lang: locale,
    subject: oneLine(w.askSubject(d.sessionTitle)),
    heading: ctx.org,
    preheader: w.ask(d.sessionTitle, d.counted, d.minimum),
    greeting: c.hello(null),
    blocks: [
      { kind: "paragraph", text: w.ask(d.sessionTitle, d.counted, d.minimum) },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      { kind: "button", label: w.run, url: d.runLink },
      { kind: "button", label: w.cancel, url: d.cancelLink },
      { kind: "paragraph", text: w.cancelNote },
      { kind: "note", text: w.unanswered(instant(d.startsAt, d.timeZone, locale)) },
    ],
    footer: c.footer(ctx.org),
  };
}
