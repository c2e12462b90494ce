// MailMessage → the email itself (subject, HTML, text, attachments). Pure: no I/O, and the clock
// only stamps the calendar file.

import { DEFAULT_LOCALE, isLocale } from "../i18n/locales";
import { base64 } from "../ids/ids";
import { systemClock } from "../time/clock";
import { sessionCalendar } from "./calendar/event";
import type { MailData, MailMessage, MailTemplate, SessionMailData } from "./message";
import { oneTimeCode, signIn } from "./templates/access";
import { mailBudgetAlert } from "./templates/budget";
import { invitationCancelled, registrationCancelled, sessionCancelled } from "./templates/cancellation";
import { confirmRegistration } from "./templates/confirm";
import { invitation } from "./templates/invitation";
import { layoutHtml, layoutText, type MailContent } from "./templates/layout";
import { promoted, registrationConfirmed, waitlisted } from "./templates/registration";
import { invitationSessionCancelled } from "./templates/session-cancelled";
import type { Locale } from "./templates/strings";

export type MailAttachment = { filename: string; contentType: string /** base64 */; content: string };

export type RenderedMail = { subject: string; html: string; text: string; attachments?: MailAttachment[] };

const templates: { [K in MailTemplate]: (data: MailData[K], locale: Locale) => MailContent } = {
  invitation,
  registration_confirmed: registrationConfirmed,
  waitlisted,
  promoted,
  invitation_cancelled: invitationCancelled,
  registration_cancelled: registrationCancelled,
  session_cancelled: sessionCancelled,
  one_time_code: oneTimeCode,
  sign_in: signIn,
  invitation_session_cancelled: invitationSessionCancelled,
  mail_budget_alert: mailBudgetAlert,
  confirm_registration: confirmRegistration,
};

/** Templates whose email carries the session as a calendar file (and so cannot go in a batch). */
const withCalendar = new Set<MailTemplate>(["registration_confirmed", "promoted"]);

/** Whether the email carries a calendar file: the event itself, or its cancellation. */
const calendarOf = (message: MailMessage): "event" | "cancel" | null =>
  withCalendar.has(message.template) ? "event" : message.template === "registration_cancelled" && message.data.calendar ? "cancel" : null;

export function renderMail(message: MailMessage, now: Date = systemClock.now()): RenderedMail {
  const locale: Locale = isLocale(message.locale) ? message.locale : DEFAULT_LOCALE;
  const content = (templates[message.template] as (data: MailData[MailTemplate], locale: Locale) => MailContent)(message.data, locale);
  const rendered: RenderedMail = { subject: content.subject, html: layoutHtml(content), text: layoutText(content) };
  const calendar = calendarOf(message);
  if (calendar) rendered.attachments = [calendarAttachment(message as CalendarMessage, now, calendar === "cancel")];
  return rendered;
}

type CalendarMessage = MailMessage<"registration_confirmed" | "promoted" | "registration_cancelled">;

function calendarAttachment(message: CalendarMessage, now: Date, cancelled: boolean): MailAttachment {
  const d: SessionMailData = message.data;
  const manage = "manageToken" in message.data ? `${d.baseUrl}/m/${encodeURIComponent(message.data.manageToken)}` : undefined;
  const host = safeHost(d.baseUrl);
  const ics = sessionCalendar({
    uid: `${message.sessionId ?? message.id}@${host}`,
    title: d.sessionTitle,
    description: manage
      ? `${d.sessionTitle}\n\n${message.locale === "fr" ? "Gérer ou annuler" : "Manage or cancel"}: ${manage}`
      : d.sessionTitle,
    startsAt: d.startsAt,
    durationMinutes: d.durationMinutes,
    timeZone: d.timeZone,
    url: manage,
    stamp: now,
    cancelled,
  });
  const method = cancelled ? "CANCEL" : "PUBLISH";
  return { filename: "session.ics", contentType: `text/calendar; charset=utf-8; method=${method}`, content: base64Utf8(ics) };
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname || "rollcall";
  } catch {
    return "rollcall";
  }
}

export const base64Utf8 = (text: string) => base64(new TextEncoder().encode(text));
