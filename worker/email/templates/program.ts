// The program invitation: one email per person for a program's sessions (the org invites them to
// the program, names it, lists each session with its time in its own zone and its place when
// set), the organiser's own subject, message and button words when given, until when they may
// answer, and one link to the program page, where they accept all or choose.

import { instant, sessionTime } from "../../time/when";
import type { MailData } from "../message";
import type { MailContent } from "./layout";
import { common, type Locale, type MailContext, oneLine, questionsNote } from "./strings";

const words = {
  en: {
    subject: (program: string) => `You're invited: ${program}`,
    subjectMore: (program: string) => `New sessions: ${program}`,
    invited: (program: string, org: string | null, count: number) =>
      `${org ? `${org} invites you` : "You are invited"} to ${program}: ${count === 1 ? "one session" : `${count} sessions`}.`,
    more: (program: string, org: string | null, count: number) =>
      `${count === 1 ? "A new session was" : `${count} new sessions were`} added to ${program}${org ? ` by ${org}` : ""}, and you are invited.`,
    button: "See the sessions and answer",
    seatsHeld: (until: string) => `A seat is reserved for you in each session until ${until}.`,
    validUntil: (until: string) => `These invitations are valid until ${until}.`,
    answerNote:
      "The link lists the sessions: accept them all at once, or accept or decline each one. Come back to it if you change your mind.",
    personal: "This link is personal: whoever holds it can answer for you.",
  },
  fr: {
    subject: (program: string) => `Invitation : ${program}`,
    subjectMore: (program: string) => `Nouvelles séances : ${program}`,
    invited: (program: string, org: string | null, count: number) =>
      `${org ? `${org} vous invite` : "Vous êtes invité·e"} à ${program} : ${count === 1 ? "une séance" : `${count} séances`}.`,
    more: (program: string, org: string | null, count: number) =>
      `${count === 1 ? "Une nouvelle séance a été ajoutée" : `${count} nouvelles séances ont été ajoutées`} à ${program}${org ? ` par ${org}` : ""}, et vous y êtes invité·e.`,
    button: "Voir les séances et répondre",
    seatsHeld: (until: string) => `Une place vous est réservée dans chaque séance jusqu’au ${until}.`,
    validUntil: (until: string) => `Ces invitations sont valables jusqu’au ${until}.`,
    answerNote:
      "Le lien liste les séances : acceptez-les toutes d’un coup, ou acceptez ou refusez chacune. Revenez-y si vous changez d’avis.",
    personal: "Ce lien est personnel : la personne qui le détient peut répondre à votre place.",
  },
};

/** The email's own subject and button words, which the organiser's replace (the admin shows them as placeholders). */
export function programEmailDefaults(programName: string, locale: Locale): { subject: string; buttonText: string } {
  return { subject: words[locale].subject(oneLine(programName)), buttonText: words[locale].button };
}

export function programInvitation(d: MailData["program_invitation"], locale: Locale, ctx: MailContext): MailContent {
  const w = words[locale];
  const c = common[locale];
  const program = oneLine(d.programName);
  const lead = (d.more ? w.more : w.invited)(program, ctx.org, d.sessions.length);
  const rows: [string, string][] = d.sessions.flatMap((s): [string, string][] => {
    const when = sessionTime(s.startsAt, s.durationMinutes, s.timeZone, locale);
    return [[c.session, s.title], [c.when, when], ...(s.location?.trim() ? [[c.where, s.location.trim()] as [string, string]] : [])];
  });
  // In the zone of the first session named: the one a reader reads the dates above in.
  const until = d.expiresAt ? instant(d.expiresAt, d.sessions[0]?.timeZone ?? "UTC", locale) : null;
  return {
    lang: locale,
    subject: oneLine(d.subject?.trim() || (d.more ? w.subjectMore : w.subject)(program)),
    heading: ctx.org,
    preheader: lead,
    greeting: c.hello(d.name),
    blocks: [
      { kind: "paragraph", text: lead },
      ...(d.message?.trim() ? [{ kind: "quote" as const, text: d.message.trim() }] : []),
      { kind: "details", rows },
      ...(until ? [{ kind: "paragraph" as const, text: d.holdSeat ? w.seatsHeld(until) : w.validUntil(until) }] : []),
      { kind: "button", label: oneLine(d.buttonText?.trim() || w.button), url: d.link },
      { kind: "note", text: w.answerNote },
      { kind: "note", text: w.personal },
      ...questionsNote(locale, ctx),
    ],
    footer: c.footer(ctx.org),
  };
}
