// The text of each message that can go by SMS, in English and French: who it is from (the org's
// name), what happened, when, and the link where there is one. Pure. A text stays within two
// segments (segments.ts): the exact text when it fits, else folded to GSM-7, else with the
// session's title shortened (the link and the code are never cut).

import type { MailData, MailMessage, MailTemplate } from "../email/message";
import { de } from "../i18n/grammar";
import type { Locale } from "../i18n/locales";
import { countSegments, foldToGsm7 } from "./segments";

/** The most segments a text may take. */
export const MAX_SEGMENTS = 2;

/** The messages that go by SMS to a contact who chose it; every other one stays an email. */
export const SMS_TEMPLATES = [
  "invitation",
  "one_time_code",
  "registration_confirmed",
  "promoted",
  "registration_cancelled",
  "session_cancelled",
  "invitation_cancelled",
  "invitation_session_cancelled",
  "program_invitation",
] as const satisfies readonly MailTemplate[];
export type SmsTemplate = (typeof SMS_TEMPLATES)[number];

export const isSmsTemplate = (template: string): template is SmsTemplate => (SMS_TEMPLATES as readonly string[]).includes(template);

/** The parts of a text: `title` may be shortened, the rest is kept whole. */
type Parts = { org: string; title: string; when: string };

// Plain ASCII apostrophes and no ê/â/ô/ç in the fixed words: they would make every text UCS-2.
const words: Record<Locale, { [K in SessionSmsTemplate]: (p: Parts, d: MailData[K]) => string }> = {
  en: {
    invitation: (p, d) => `${p.org}: you are invited to ${p.title}, ${p.when}. Answer here: ${d.link}`,
    one_time_code: (p, d) => `${d.code} is your code to answer ${p.org}'s invitation to ${p.title}. Do not share it.`,
    registration_confirmed: (p, d) =>
      `${p.org}: your seat at ${p.title}, ${p.when}, is confirmed. To cancel: ${d.baseUrl}/m/${d.manageToken}`,
    promoted: (p, d) =>
      `${p.org}: a seat opened up. You now have a seat at ${p.title}, ${p.when}. To cancel: ${d.baseUrl}/m/${d.manageToken}`,
    registration_cancelled: (p) => `${p.org}: your registration for ${p.title}, ${p.when}, is cancelled.`,
    session_cancelled: (p) => `${p.org}: ${p.title}, ${p.when}, is cancelled. Your registration is cancelled with it.`,
    invitation_cancelled: (p) => `${p.org}: your invitation to ${p.title}, ${p.when}, was withdrawn.`,
    invitation_session_cancelled: (p) => `${p.org}: ${p.title}, ${p.when}, to which you were invited, is cancelled.`,
  },
  fr: {
    invitation: (p, d) => `${p.org} vous invite à ${p.title}, ${p.when}. Répondez ici : ${d.link}`,
    one_time_code: (p, d) => `${d.code} est votre code pour répondre à l'invitation ${de(p.org, "'")} à ${p.title}. Ne le partagez pas.`,
    registration_confirmed: (p, d) =>
      `${p.org} : votre place à ${p.title}, ${p.when}, est confirmée. Pour annuler : ${d.baseUrl}/m/${d.manageToken}`,
    promoted: (p, d) =>
      `${p.org} : une place s'est libérée. Vous avez une place à ${p.title}, ${p.when}. Pour annuler : ${d.baseUrl}/m/${d.manageToken}`,
    registration_cancelled: (p) => `${p.org} : votre inscription à ${p.title}, ${p.when}, est annulée.`,
    session_cancelled: (p) => `${p.org} : ${p.title}, ${p.when}, est annulé. Votre inscription est annulée.`,
    invitation_cancelled: (p) => `${p.org} : votre invitation à ${p.title}, ${p.when}, est retirée.`,
    invitation_session_cancelled: (p) => `${p.org} : ${p.title}, ${p.when}, où vous étiez invité, est annulé.`,
  },
};

/** The link to the person's own page, after every text (plain ASCII, so the text stays GSM-7). */
const yourPage: Record<Locale, (url: string) => string> = { en: (url) => ` Your page: ${url}`, fr: (url) => ` Votre page : ${url}` };

const intlLocale: Record<Locale, string> = { en: "en-GB", fr: "fr-FR" };

/**
 * "Mon 1 Jun 09:00 (Europe/Paris)", "lun. 01/06 09:00 (Europe/Paris)": short, in the session's
 * zone and naming it. The English month is named, since "01/06" reads as January 6 to half of
 * English readers; the French is numeric, which French readers read one way, and French month
 * names such as "août" are not GSM-7. Every kind of space Intl writes becomes a plain one.
 */
export function smsWhen(startsAt: string, timeZone: string, locale: Locale): string {
  const text = new Intl.DateTimeFormat(intlLocale[locale], {
    weekday: "short",
    ...(locale === "en" ? { day: "numeric", month: "short" } : { day: "2-digit", month: "2-digit" }),
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(startsAt));
  return `${text.replace(/\s+/gu, " ").replace(/,/g, "")} (${timeZone})`;
}

/** Names are one line of plain text in a text message. */
const oneLine = (text: string) => text.replace(/[\p{Cc}\s]+/gu, " ").trim();

/** At most `max` characters, cut with "..." (GSM-7) when longer. */
function shortened(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, Math.max(1, max - 3))
        .join("")
        .trimEnd()}...`;
}

/** The SMS text of an SMS-able message, within MAX_SEGMENTS; `page`, the person's own page, ends it (never cut). */
export function smsText(message: MailMessage & { template: SmsTemplate }, orgName: string, page?: string | null): string {
  const tail = page ? yourPage[message.locale](page) : "";
  if (message.template === "program_invitation") return programText(message as MailMessage<"program_invitation">, orgName, tail);
  const d = message.data as MailData[SessionSmsTemplate];
  const compose = words[message.locale][message.template] as (p: Parts, d: MailData[SessionSmsTemplate]) => string;
  const parts: Parts = {
    org: shortened(oneLine(orgName) || "Rollcall", 40),
    title: oneLine(d.sessionTitle),
    when: smsWhen(d.startsAt, d.timeZone, message.locale),
  };
  return withinSegments(parts, (p) => compose(p, d) + tail);
}

/** The exact text when it fits, else folded to GSM-7, else with the title shortened until it fits. */
function withinSegments(parts: Parts, compose: (p: Parts) => string): string {
  const fits = (text: string) => countSegments(text).segments <= MAX_SEGMENTS;
  const exact = compose(parts);
  if (fits(exact)) return exact;
  const folded = (p: Parts) => foldToGsm7(compose(p));
  if (fits(folded(parts))) return folded(parts);
  // Shorten the title until the folded text fits (GSM-7: one character, one septet at most two).
  for (let max = [...parts.title].length - 1; max >= 1; max--) {
    const text = folded({ ...parts, title: shortened(parts.title, max) });
    if (fits(text)) return text;
  }
  return folded({ ...parts, title: "" });
}

// ─── program invitations ─────────────────────────────────────────────────────────────────────

/** Every SMS template but the program's, whose text names a program and its sessions, not one session. */
type SessionSmsTemplate = Exclude<SmsTemplate, "program_invitation">;

/** `title` is the program's name; `when` the first session named. */
const programWords: Record<Locale, (p: Parts, d: MailData["program_invitation"]) => string> = {
  en: (p, d) =>
    d.more
      ? `${p.org}: ${count(d, "new session", "new sessions")} in ${p.title}, from ${p.when}. See them and answer here: ${d.link}`
      : `${p.org}: you are invited to ${p.title}, ${count(d, "session", "sessions")} from ${p.when}. See them and answer here: ${d.link}`,
  fr: (p, d) =>
    d.more
      ? `${p.org} : ${count(d, "nouvelle séance", "nouvelles séances")} dans ${p.title}, à partir du ${p.when}. Voyez-les et répondez ici : ${d.link}`
      : `${p.org} vous invite à ${p.title}, ${count(d, "séance", "séances")} à partir du ${p.when}. Voyez-les et répondez ici : ${d.link}`,
};

const count = (d: MailData["program_invitation"], one: string, many: string) =>
  `${d.sessions.length} ${d.sessions.length === 1 ? one : many}`;

/** `tail`: what ends every text (the person's page), never cut. */
function programText(message: MailMessage<"program_invitation">, orgName: string, tail: string): string {
  const d = message.data;
  const first = d.sessions[0];
  const parts: Parts = {
    org: shortened(oneLine(orgName) || "Rollcall", 40),
    title: oneLine(d.programName),
    when: first ? smsWhen(first.startsAt, first.timeZone, message.locale) : "",
  };
  return withinSegments(parts, (p) => programWords[message.locale](p, d) + tail);
}

// ─── the participant's page ──────────────────────────────────────────────────────────────────

/** `title` is unused; `org` names who the page is with. */
const pageLinkWords: Record<Locale, (p: Parts, link: string) => string> = {
  en: (p, link) => `${p.org}: your page, with all your sessions. Open it within 15 minutes: ${link}`,
  fr: (p, link) => `${p.org} : votre page, avec toutes vos séances. Ouvrez-la dans les 15 minutes : ${link}`,
};

/** The text carrying a person's one-time link to their page (asked for by phone), within MAX_SEGMENTS; the link is never cut. */
export function pageLinkText(message: MailMessage<"page_link">): string {
  const parts: Parts = { org: shortened(oneLine(message.data.orgName) || "Rollcall", 40), title: "", when: "" };
  return withinSegments(parts, (p) => pageLinkWords[message.locale](p, message.data.link));
}
