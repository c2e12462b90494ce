// The session as an iCalendar (RFC 5545) event, in the session's own zone: DTSTART;TZID=… with the
// zone's VTIMEZONE, so calendars show the organiser's local time and convert it correctly. The
// same UID carries the event (METHOD:PUBLISH, when a seat is confirmed) and its withdrawal
// (METHOD:CANCEL, STATUS:CANCELLED, when the seat is lost), with a SEQUENCE that grows with time so
// the later of the two wins in the calendar that holds both.

import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { vtimezone } from "./vtimezone";
import { ZonedTime } from "./zoned";

export type CalendarMethod = "PUBLISH" | "CANCEL";

export type SessionEvent = {
  method?: CalendarMethod;
  /** Stable per session, so importing a second confirmation updates the same event. */
  uid: string;
  title: string;
  description: string;
  startsAt: string;
  durationMinutes: number;
  timeZone: string;
  location?: string;
  url?: string;
  /** Who organises it (RFC 5546 asks for ORGANIZER in a CANCEL). */
  organizer?: { name: string; email: string };
  /** DTSTAMP: when this calendar object was made. */
  stamp: Date;
};

/** 2024-01-01T00:00:00Z: SEQUENCE counts half-seconds from here, so it stays a 32-bit integer until 2058. */
const SEQUENCE_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * The revision number of a calendar object made at `stamp`: one made in a later second always has a
 * higher one, and within one second a cancellation outranks the event (a seat booked and removed
 * in the same second ends cancelled).
 */
export const sequenceAt = (stamp: Date, method: CalendarMethod = "PUBLISH") =>
  Math.max(0, Math.floor((stamp.getTime() - SEQUENCE_EPOCH_MS) / 1000)) * 2 + (method === "CANCEL" ? 1 : 0);

export function sessionCalendar(e: SessionEvent): string {
  const start = Date.parse(e.startsAt);
  const cancel = e.method === "CANCEL";
  const calendar = ical({
    prodId: { company: "Rollcall", product: "Rollcall", language: "EN" },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
    // No calendar-wide zone (name: null): DTSTAMP must stay in UTC, and only the event's own
    // zone gets its VTIMEZONE from the generator.
    timezone: { name: null, generator: (tz) => vtimezone(tz, start) },
  });
  calendar.createEvent({
    id: e.uid,
    sequence: sequenceAt(e.stamp, e.method),
    timezone: e.timeZone,
    start: new ZonedTime(start, e.timeZone),
    end: new ZonedTime(start + e.durationMinutes * 60_000, e.timeZone),
    stamp: e.stamp,
    summary: e.title,
    description: e.description,
    location: e.location ?? null,
    url: e.url ?? null,
    organizer: e.organizer ?? null,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
