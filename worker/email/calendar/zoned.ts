// Instants seen on a wall clock in an IANA zone (the arithmetic is ../../time/zoned). `ZonedTime`
// has the shape ical-generator accepts for a Temporal.ZonedDateTime, which is the one input it
// formats in the event's own zone without consulting the host's zone (with a Date and a zone it
// would use the host's, UTC in workerd, and land hours off).

import type {
  ICalTemporalInstantStub,
  ICalTemporalPlainDateStub,
  ICalTemporalPlainDateTimeStub,
  ICalTemporalZonedDateTimeStub,
} from "ical-generator";
import { instantOf, offsetMs, type WallClock, wallClock } from "../../time/zoned";

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
    ({
      year: this.year,
      month: this.month,
      day: this.day,
      hour: this.hour,
      minute: this.minute,
      second: this.second,
    } = wallClock(epochMilliseconds, timeZoneId));
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
