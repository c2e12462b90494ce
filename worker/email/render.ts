// MailMessage → the email itself (subject, HTML, text, attachments). Pure: no I/O, and the clock
// only stamps the calendar file.

import { DEFAULT_LOCALE, isLocale } from "../i18n/locales";
import { base64 } from "../ids/ids";
import { systemClock } from "../time/clock";
import { type CalendarMethod, sessionCalendar } from "./calendar/event";
import type { MailData, MailMessage, MailTemplate, SessionMailData } from "./message";
import { replyToOf, type SenderSettings } from "./sender";
import { oneTimeCode, signIn } from "./templates/access";
import { mailBudgetAlert } from "./templates/budget";
import { invitationCancelled, registrationCancelled, sessionCancelled } from "./templates/cancellation";
import { confirmRegistration } from "./templates/confirm";
import { invitation } from "./templates/invitation";
import { layoutHtml, layoutText, type MailContent } from "./templates/layout";
import { minimumAsk, minimumMet } from "./templates/minimum";
import { programInvitation } from "./templates/program";
import { manageLinkMail, promoted, registrationConfirmed, waitlisted } from "./templates/registration";
import { invitationSessionCancelled } from "./templates/session-cancelled";
import { common, type Locale, type MailContext, participantPageUrl } from "./templates/strings";

export type MailAttachment = { filename: string; contentType: string /** base64 */; content: string };

export type RenderedMail = { subject: string; html: string; text: string; attachments?: MailAttachment[] };

const templates: { [K in MailTemplate]: (data: MailData[K], locale: Locale, ctx: MailContext) => MailContent } = {
  invitation,
  registration_confirmed: registrationConfirmed,
  waitlisted,
  promoted,
  manage_link: manageLinkMail,
  invitation_cancelled: invitationCancelled,
  session_cancelled: sessionCancelled,
  registration_cancelled: registrationCancelled,
  one_time_code: oneTimeCode,
  sign_in: signIn,
  invitation_session_cancelled: invitationSessionCancelled,
  mail_budget_alert: mailBudgetAlert,
  confirm_registration: confirmRegistration,
  program_invitation: programInvitation,
  minimum_met: minimumMet,
  minimum_ask: minimumAsk,
};

/**
 * The calendar file a message carries, if any (an email with one cannot go in a batch): the event
 * when a seat is confirmed, its cancellation when a seat is lost. A waitlist place never had one.
 */
export function calendarMethodOf(message: MailMessage): CalendarMethod | null {
  switch (message.template) {
    case "registration_confirmed":
    case "promoted":
      return "PUBLISH";
    case "registration_cancelled":
    case "session_cancelled":
      return message.data.hadSeat ? "CANCEL" : null;
    default:
      return null;
  }
}

/** The org a message speaks for, from its settings (none for sign-in links: they name their org themselves). */
export function mailContextOf(settings: SenderSettings | undefined): MailContext {
  return { org: settings?.orgName?.trim() || settings?.senderName?.trim() || null, replyTo: replyToOf(settings) ?? null };
}

export function renderMail(message: MailMessage, now: Date = systemClock.now(), settings?: SenderSettings): RenderedMail {
  const locale: Locale = isLocale(message.locale) ? message.locale : DEFAULT_LOCALE;
  const ctx = mailContextOf(settings);
  const content = (templates[message.template] as (data: MailData[MailTemplate], locale: Locale, ctx: MailContext) => MailContent)(
    message.data,
    locale,
    ctx,
  );
  const page = participantPage(message, settings);
  if (page) content.blocks.push({ kind: "link", text: common[locale].yourPage(ctx.org), url: page });
  const rendered: RenderedMail = { subject: content.subject, html: layoutHtml(content), text: layoutText(content) };
  const method = calendarMethodOf(message);
  if (method) rendered.attachments = [calendarAttachment(message, method, ctx, now)];
  return rendered;
}

/** Messages to the org's members (sign-in links, budget alerts) are not a participant's. */
const NOT_TO_PARTICIPANTS: readonly MailTemplate[] = ["sign_in", "mail_budget_alert"];

/** Where a participant's message links to their own page: the org's, on the origin of the message's links. */
export function participantPage(message: MailMessage, settings: SenderSettings | undefined): string | null {
  if (NOT_TO_PARTICIPANTS.includes(message.template)) return null;
  const d = message.data as { baseUrl?: string; link?: string };
  return participantPageUrl(d.baseUrl ?? d.link, settings?.orgId);
}

function calendarAttachment(message: MailMessage, method: CalendarMethod, ctx: MailContext, now: Date): MailAttachment {
  const d = message.data as SessionMailData & { manageToken?: string };
  const manage = method === "PUBLISH" && d.manageToken ? `${d.baseUrl}/m/${encodeURIComponent(d.manageToken)}` : undefined;
  const host = safeHost(d.baseUrl);
  const ics = sessionCalendar({
    method,
    uid: `${message.sessionId ?? message.id}@${host}`,
    title: d.sessionTitle,
    description: manage
      ? `${d.sessionTitle}\n\n${message.locale === "fr" ? "Gérer ou annuler" : "Manage or cancel"}: ${manage}`
      : d.sessionTitle,
    startsAt: d.startsAt,
    durationMinutes: d.durationMinutes,
    timeZone: d.timeZone,
    location: d.location?.trim() || undefined,
    url: manage,
    organizer: ctx.org && ctx.replyTo ? { name: ctx.org, email: ctx.replyTo } : undefined,
    stamp: now,
  });
  return {
    filename: method === "CANCEL" ? "cancelled.ics" : "session.ics",
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: base64Utf8(ics),
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname || "rollcall";
  } catch {
    return "rollcall";
  }
}

export const base64Utf8 = (text: string) => base64(new TextEncoder().encode(text));
