// Which calendar file a message carries, and its SEQUENCE. Every participant's file for a session
// has the same UID, and a calendar keeps the copy with the highest SEQUENCE, so each file the
// session sends takes a number above every earlier one: the session's ledger keeps the last one
// given (`calendarSequence`), and the next is at least one more. A counter, not the clock: an update
// or a cancellation decided in the same second as the file before it still outranks it, and a
// clock that steps back cannot make a newer file lose. The floor at the clock's old numbering keeps
// the new files above those sent before the counter existed.

import type { MailMessage, MailTemplate } from "../message";

/** PUBLISH: a seat's event; REQUEST: that event changed (time or place); CANCEL: it is withdrawn. */
export type CalendarMethod = "PUBLISH" | "REQUEST" | "CANCEL";

/** 2024-01-01T00:00:00Z: the clock's numbering counts half-seconds from here (a 32-bit integer until 2058). */
const SEQUENCE_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * The clock's numbering, used before sessions kept a counter (and still for a message queued
 * without one): a later second has a higher number, and within one second a cancellation outranks the event.
 */
export const sequenceAt = (stamp: Date, method: CalendarMethod = "PUBLISH") =>
  Math.max(0, Math.floor((stamp.getTime() - SEQUENCE_EPOCH_MS) / 1000)) * 2 + (method === "CANCEL" ? 1 : 0);

/** The SEQUENCE of the session's next calendar file: above the last one, and above any the clock's numbering gave until now. */
export const nextSequence = (last: number, now: Date) => Math.max(last + 1, sequenceAt(now, "CANCEL"));

/**
 * The calendar file a message carries, if any (an email with one cannot go in a batch): the event
 * when a seat is confirmed, its new version when the session's time or place changes, its
 * cancellation when a seat is lost. A waitlist place never had one.
 */
export function calendarMethodOf(message: Pick<MailMessage, "template" | "data">): CalendarMethod | null {
  return calendarMethodFor(message.template, message.data as { hadSeat?: boolean });
}

export function calendarMethodFor(template: MailTemplate, data: { hadSeat?: boolean }): CalendarMethod | null {
  switch (template) {
    case "registration_confirmed":
    case "promoted":
      return "PUBLISH";
    case "session_updated":
      return "REQUEST";
    case "registration_cancelled":
    case "session_cancelled":
      return data.hadSeat ? "CANCEL" : null;
    default:
      return null;
  }
}
