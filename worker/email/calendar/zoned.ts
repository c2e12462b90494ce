// Instants seen on a wall clock in an IANA zone, computed with Intl (workerd has full ICU but no
// Temporal). `ZonedTime` has the shape ical-generator accepts for a Temporal.ZonedDateTime, which
// is the one input it formats in the event's own zone without consulting the host's zone (with a
// Date and a zone it would use the host's, UTC in workerd, and land hours off).

import type { ICalTemporalInstantStub, ICalTemporalPlainDateStub, ICalTemporalPlainDateTimeStub, ICalTemporalZonedDateTimeStub } from "ical-generator";

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour") % 24, minute: get("minute"), second: get("second") };
}

const wallAsUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at that instant, in milliseconds (whole seconds). */
export function offsetMs(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  return wallAsUtc(wallClock(whole, timeZone)) - whole;
}

/** The instant a wall-clock time names in a zone (the earlier one when a fall-back repeats it). */
export function instantOf(w: WallClock, timeZone: string): number {
  const guess = wallAsUtc(w);
  const first = guess - offsetMs(guess, timeZone);
  return guess - offsetMs(first, timeZone);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const isoDate = (w: WallClock) => `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
const isoDateTime = (w: WallClock) => `${isoDate(w)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;

export function formatOffset(ms: number, separator = ":"): string {
  const sign = ms < 0 ? "-" : "+";
  const total = Math.abs(Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${pad(h)}${separator}${pad(m)}${s ? `${separator}${pad(s)}` : ""}`;
}

class PlainTime implements ICalTemporalPlainDateTimeStub {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;

  constructor(w: WallClock) {
    ({ year: this.year, month: this.month, day: this.day, hour: this.hour, minute: this.minute, second: this.second } = w);
  }

  toPlainDate(): ICalTemporalPlainDateStub {
    const date = isoDate(this);
    return { year: this.year, month: this.month, day: this.day, toJSON: () => date, toString: () => date };
  }

  toZonedDateTime(timeZone: string): ZonedTime {
    return new ZonedTime(instantOf(this, timeZone), timeZone);
  }

  toJSON(): string {
    return isoDateTime(this);
  }

  toString(): string {
    return this.toJSON();
  }
}

export class ZonedTime implements ICalTemporalZonedDateTimeStub {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;

  constructor(
    readonly epochMilliseconds: number,
    readonly timeZoneId: string,
  ) {
    ({ year: this.year, month: this.month, day: this.day, hour: this.hour, minute: this.minute, second: this.second } = wallClock(
      epochMilliseconds,
      timeZoneId,
    ));
  }

  static of(iso: string, timeZone: string): ZonedTime {
    return new ZonedTime(Date.parse(iso), timeZone);
  }

  withTimeZone(timeZone: string): ZonedTime {
    return new ZonedTime(this.epochMilliseconds, timeZone);
  }

  toPlainDateTime(): PlainTime {
    return new PlainTime(this);
  }

  toInstant(): ICalTemporalInstantStub {
    const ms = this.epochMilliseconds;
    const iso = new Date(ms).toISOString();
    return { epochMilliseconds: ms, toJSON: () => iso, toString: () => iso, toZonedDateTimeISO: (tz) => new ZonedTime(ms, tz) };
  }

  /** Temporal's form: 2026-06-01T09:00:00+02:00[Europe/Paris]. */
  toJSON(): string {
    return `${isoDateTime(this)}${formatOffset(offsetMs(this.epochMilliseconds, this.timeZoneId))}[${this.timeZoneId}]`;
  }

  toString(): string {
    return this.toJSON();
  }
}
