// MailMessage → the email itself (subject, HTML, text, attachments). Pure: no I/O, and the clock
// only stamps the calendar file.

import { labelled } from "../i18n/grammar";
import { DEFAULT_LOCALE, isLocale } from "../i18n/locales";
import { base64 } from "../ids/ids";
import { systemClock } from "../time/clock";
import { type CalendarMethod, sessionCalendar } from "./calendar/event";
import { calendarMethodOf } from "./calendar/sequence";
import type { MailData, MailMessage, MailTemplate, SessionMailData } from "./message";
import { replyToOf, type SenderSettings } from "./sender";
import { oneTimeCode, pageLink, signIn } from "./templates/access";
import { mailBudgetAlert } from "./templates/budget";
import { invitationCancelled, registrationCancelled, sessionCancelled } from "./templates/cancellation";
import { confirmRegistration } from "./templates/confirm";
import { invitation } from "./templates/invitation";
import { layoutHtml, layoutText, type MailContent } from "./templates/layout";
import { minimumAsk, minimumMet } from "./templates/minimum";
import { programInvitation } from "./templates/program";
import { manageLinkMail, promoted, promotedToPay, registrationConfirmed, waitlisted } from "./templates/registration";
import { invitationSessionCancelled } from "./templates/session-cancelled";
import { sessionUpdated } from "./templates/session-updated";
import { common, type Locale, type MailContext, participantPageUrl } from "./templates/strings";
import { webhookDisabled } from "./templates/webhook-disabled";

export type MailAttachment = { filename: string; contentType: string /** base64 */; content: string };

export type RenderedMail = { subject: string; html: string; text: string; attachments?: MailAttachment[] };

const templates: { [K in MailTemplate]: (data: MailData[K], locale: Locale, ctx: MailContext) => MailContent } = {
  invitation,
  registration_confirmed: registrationConfirmed,
  waitlisted,
  promoted,
  promoted_to_pay: promotedToPay,
  manage_link: manageLinkMail,
  invitation_cancelled: invitationCancelled,
  session_cancelled: sessionCancelled,
  registration_cancelled: registrationCancelled,
  one_time_code: oneTimeCode,
  sign_in: signIn,
  page_link: pageLink,
  invitation_session_cancelled: invitationSessionCancelled,
  session_updated: sessionUpdated,
  mail_budget_alert: mailBudgetAlert,
  webhook_disabled: webhookDisabled,
  confirm_registration: confirmRegistration,
  program_invitation: programInvitation,
  minimum_met: minimumMet,
  minimum_ask: minimumAsk,
};

export { calendarMethodOf };

/** The org a message speaks for, from its settings (none for sign-in links: they name their org themselves). */
export function mailContextOf(settings: SenderSettings | undefined): MailContext {
  return { org: settings?.orgName?.trim() || settings?.senderName?.trim() || null, replyTo: replyToOf(settings) ?? null };
}

/**
 * `senderAddress`: the address the email is sent from (MAIL_FROM), the calendar's ORGANIZER when
 * the org has no address of its own to answer at.
 */
export function renderMail(
  message: MailMessage,
  now: Date = systemClock.now(),
  settings?: SenderSettings,
  senderAddress?: string,
): RenderedMail {
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
  if (method) rendered.attachments = [calendarAttachment(message, method, ctx, now, senderAddress)];
  return rendered;
}

/** Messages to the org's members (sign-in links, budget alerts) are not a participant's. */
const NOT_TO_PARTICIPANTS: readonly MailTemplate[] = ["sign_in", "mail_budget_alert", "webhook_disabled"];

/** Where a participant's message links to their own page: the org's, on the origin of the message's links. */
export function participantPage(message: MailMessage, settings: SenderSettings | undefined): string | null {
  if (NOT_TO_PARTICIPANTS.includes(message.template)) return null;
  const d = message.data as { baseUrl?: string; link?: string };
  return participantPageUrl(d.baseUrl ?? d.link, settings?.orgId);
}

function calendarAttachment(
  message: MailMessage,
  method: CalendarMethod,
  ctx: MailContext,
  now: Date,
  senderAddress: string | undefined,
): MailAttachment {
  const d = message.data as SessionMailData & { manageToken?: string };
  const manage = method !== "CANCEL" && d.manageToken ? `${d.baseUrl}/m/${encodeURIComponent(d.manageToken)}` : undefined;
  const online = method !== "CANCEL" ? safeHttps(d.onlineUrl) : undefined;
  const fr = message.locale === "fr";
  const host = safeHost(d.baseUrl);
  const lines = [
    d.sessionTitle,
    ...(online ? [labelled(fr ? "Rejoindre en ligne" : "Join online", online, message.locale)] : []),
    ...(manage ? [labelled(fr ? "Gérer ou annuler" : "Manage or cancel", manage, message.locale)] : []),
  ];
  const organizerAddress = ctx.replyTo ?? addressOf(senderAddress);
  const ics = sessionCalendar({
    method,
    uid: `${message.sessionId ?? message.id}@${host}`,
    title: d.sessionTitle,
    description: lines.join("\n\n"),
    startsAt: d.startsAt,
    durationMinutes: d.durationMinutes,
    timeZone: d.timeZone,
    // A session held only online has its link as its place, as calendars show it.
    location: d.location?.trim() || online,
    url: online ?? manage,
    organizer: organizerAddress ? { name: ctx.org ?? "Rollcall", email: organizerAddress } : undefined,
    attendee: { name: d.name, email: message.to },
    sequence: d.calendarSequence,
    stamp: now,
  });
  return {
    filename: method === "CANCEL" ? "cancelled.ics" : "session.ics",
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: base64Utf8(ics),
  };
}

/** The address of a `Name <address>` or bare address (MAIL_FROM), or nothing when it has none. */
function addressOf(from: string | undefined): string | undefined {
  const address = from ? (/<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from)?.[1] ?? from.trim()) : "";
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address : undefined;
}

/** Only an https link goes in a calendar file (the API refuses others; this guards older data). */
function safeHttps(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname || "rollcall";
  } catch {
    return "rollcall";
  }
}

export const base64Utf8 = (text: string) => base64(new TextEncoder().encode(text));
