// Wall-clock times in an IANA zone, as the session form shows them (an `<input type=datetime-local>`
// beside a zone select), and the instants the API stores. Pure: Intl only, no clock, no I/O.
//
// A wall-clock time that a daylight-saving change skips (02:30 on the night clocks go forward) is
// moved forward by the length of the gap (03:30), and one that happens twice (02:30 on the night
// clocks go back) is the first of the two: the "compatible" rule of Temporal and of calendars.

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DAY_MS = 86_400_000;

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClockAt(epochMs: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour") % 24, minute: get("minute"), second: get("second") };
}

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** How far the zone's clocks are ahead of UTC at that instant, in milliseconds. */
function offsetAt(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  return asUtc(wallClockAt(whole, timeZone)) - whole;
}

function parseLocal(local: string): WallClock | null {
  const m = LOCAL_INPUT.exec(local.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null; // 31 February
  return { year, month, day, hour, minute, second };
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a wall-clock time ("2027-07-05T09:00") names in a zone ("Europe/Paris"), as an ISO
 * string in UTC ("2027-07-05T07:00:00.000Z"); null when either is not valid.
 */
export function zonedToInstant(local: string, timeZone: string): string | null {
  const wall = parseLocal(local);
  if (!wall || !isTimeZone(timeZone)) return null;
  const naive = asUtc(wall);
  const before = offsetAt(naive - DAY_MS, timeZone);
  const after = offsetAt(naive + DAY_MS, timeZone);
  // Every instant whose own offset maps it back onto this wall-clock time; earliest first.
  const candidates = [...new Set([before, offsetAt(naive, timeZone), after])]
    .map((offset) => naive - offset)
    .filter((instant) => asUtc(wallClockAt(instant, timeZone)) === naive)
    .sort((a, b) => a - b);
  // None: the time falls in a gap. With the offset from before the change it lands past the gap.
  const instant = candidates[0] ?? naive - before;
  return new Date(instant).toISOString();
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The value of a datetime-local input ("2027-07-05T09:00") showing an instant in a zone. */
export function instantToZoned(instant: string, timeZone: string): string {
  const w = wallClockAt(Date.parse(instant), timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}
