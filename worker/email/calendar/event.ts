// The session as an iCalendar (RFC 5545) event, in the session's own zone: DTSTART;TZID=… with the
// zone's VTIMEZONE, so calendars show the organiser's local time and convert it correctly. The
// same UID carries the event (METHOD:PUBLISH, when a seat is confirmed), its new version
// (METHOD:REQUEST, when the session's time or place changes) and its withdrawal (METHOD:CANCEL,
// STATUS:CANCELLED, when the seat is lost), each with a higher SEQUENCE (sequence.ts) so the latest wins.

import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { type CalendarMethod, sequenceAt } from "./sequence";
import { vtimezone } from "./vtimezone";
import { ZonedTime } from "./zoned";

export type { CalendarMethod };

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
  /** Who organises it (RFC 5546 asks for ORGANIZER in a REQUEST and a CANCEL). */
  organizer?: { name: string; email: string };
  /** The participant the file is for (RFC 5546 asks for ATTENDEE in a REQUEST and a CANCEL). */
  attendee?: { name: string | null; email: string };
  /** This file's SEQUENCE (sequence.ts); without one, the clock's numbering at `stamp`. */
  sequence?: number;
  /** DTSTAMP: when this calendar object was made. */
  stamp: Date;
};

export function sessionCalendar(e: SessionEvent): string {
  const start = Date.parse(e.startsAt);
  const cancel = e.method === "CANCEL";
  const calendar = ical({
    prodId: { company: "Rollcall", product: "Rollcall", language: "EN" },
    method: ICalCalendarMethod[e.method ?? "PUBLISH"],
    // No calendar-wide zone (name: null): DTSTAMP must stay in UTC, and only the event's own
    // zone gets its VTIMEZONE from the generator.
    timezone: { name: null, generator: (tz) => vtimezone(tz, start) },
  });
  const event = calendar.createEvent({
    id: e.uid,
    sequence: e.sequence ?? sequenceAt(e.stamp, e.method),
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
  if (e.attendee && e.method && e.method !== "PUBLISH")
    event.createAttendee({
      email: e.attendee.email,
      name: e.attendee.name ?? undefined,
      role: ICalAttendeeRole.REQ,
      status: cancel ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
      rsvp: false,
    });
  return calendar.toString();
}
