// The session an invitation was for is cancelled: the invitation closes with it. Names the
// organisation and the session, since the person never registered and may not remember either.

import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale, type MailContext, oneLine, questionsNote, sessionRows } from "./strings";

const words = {
  en: {
    subject: (title: string, org: string) => (org ? `Cancelled: ${title} (${org})` : `Cancelled: ${title}`),
    cancelled: (title: string, org: string) =>
      `${org || "The organiser"} has cancelled ${title}. The invitation you received no longer works; there is nothing you need to do.`,
    sorry: "We are sorry for the inconvenience.",
  },
  fr: {
    subject: (title: string, org: string) => (org ? `Séance annulée : ${title} (${org})` : `Séance annulée : ${title}`),
    cancelled: (title: string, org: string) =>
      `${org || "L’organisateur"} a annulé ${title}. L’invitation que vous avez reçue ne fonctionne plus ; vous n’avez rien à faire.`,
    sorry: "Nous sommes désolés pour la gêne occasionnée.",
  },
} satisfies Record<Locale, Record<string, unknown>>;

export function invitationSessionCancelled(d: MailData["invitation_session_cancelled"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  const org = oneLine(d.orgName);
  return {
    lang: locale,
    heading: ctx.org,
    subject: oneLine(w.subject(d.sessionTitle, org)),
    preheader: w.cancelled(d.sessionTitle, org),
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: w.cancelled(d.sessionTitle, org) },
      { kind: "details", rows: sessionRows(d, locale, ctx) },
      { kind: "paragraph", text: w.sorry },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}
