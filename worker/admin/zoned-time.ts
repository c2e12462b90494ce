// Wall-clock times in an IANA zone, as the session form shows them (an `<input type=datetime-local>`
// beside a zone select), and the instants the API stores. Pure: the zone arithmetic is
// ../time/zoned; this file reads and writes the input's text.

import { instantOf, isIanaTimeZone, type WallClock, wallClock } from "../time/zoned";

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

function parseLocal(local: string): WallClock | null {
  const m = LOCAL_INPUT.exec(local.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null; // 31 February
  return { year, month, day, hour, minute, second };
}

/**
 * The instant a wall-clock time ("2027-07-05T09:00") names in a zone ("Europe/Paris"), as an ISO
 * string in UTC ("2027-07-05T07:00:00.000Z"); null when either is not valid. A skipped time moves
 * past the gap, a repeated one is the first (../time/zoned).
 */
export function zonedToInstant(local: string, timeZone: string): string | null {
  const wall = parseLocal(local);
  if (!wall || !isIanaTimeZone(timeZone)) return null;
  return new Date(instantOf(wall, timeZone)).toISOString();
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The value of a datetime-local input ("2027-07-05T09:00") showing an instant in a zone. */
export function instantToZoned(instant: string, timeZone: string): string {
  const w = wallClock(Date.parse(instant), timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}
