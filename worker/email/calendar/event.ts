// The session as an iCalendar (RFC 5545) event, in the session's own zone: DTSTART;TZID=… with the
// zone's VTIMEZONE, so calendars show the organiser's local time and convert it correctly.

import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { vtimezone } from "./vtimezone";
import { ZonedTime } from "./zoned";

export type SessionEvent = {
  /** Stable per session, so importing a second confirmation updates the same event. */
  uid: string;
  title: string;
  description: string;
  startsAt: string;
  durationMinutes: number;
  timeZone: string;
  url?: string;
  /** DTSTAMP: when this calendar object was made. */
  stamp: Date;
  /**
   * The event is off for this person: METHOD:CANCEL, STATUS:CANCELLED, with the same UID and a
   * higher SEQUENCE than the event they were sent, so their calendar removes it.
   */
  cancelled?: boolean;
};

export function sessionCalendar(e: SessionEvent): string {
  const start = Date.parse(e.startsAt);
  const calendar = ical({
    prodId: { company: "Rollcall", product: "Rollcall", language: "EN" },
    method: e.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
    // No calendar-wide zone (name: null): DTSTAMP must stay in UTC, and only the event's own
    // zone gets its VTIMEZONE from the generator.
    timezone: { name: null, generator: (tz) => vtimezone(tz, start) },
  });
  calendar.createEvent({
    id: e.uid,
    timezone: e.timeZone,
    start: new ZonedTime(start, e.timeZone),
    end: new ZonedTime(start + e.durationMinutes * 60_000, e.timeZone),
    stamp: e.stamp,
    summary: e.title,
    description: e.description,
    url: e.url ?? null,
    ...(e.cancelled ? { status: ICalEventStatus.CANCELLED, sequence: 1 } : {}),
  });
  return calendar.toString();
}
