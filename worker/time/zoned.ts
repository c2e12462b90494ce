// Wall-clock time in an IANA zone, computed with Intl (workerd has full ICU but no Temporal).
// Pure: no clock, no I/O. The admin's session form and the calendar attached to mail both build
// on it.
//
// A wall-clock time that a daylight-saving change skips (02:30 on the night clocks go forward) is
// moved forward by the length of the gap (03:30), and one that happens twice (02:30 on the night
// clocks go back) is the first of the two: the "compatible" rule of Temporal and of calendars.

const DAY_MS = 86_400_000;

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** A zone a session may be in: an IANA name (any case) the runtime knows, or UTC. */
export function isIanaTimeZone(value: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(value) && value !== "UTC") return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * Zones that ICU (and so Intl, in workerd and in browsers) still calls by an older IANA name, and
 * the name the IANA database gives them now, the one people look for. Both names work with Intl.
 */
export const IANA_RENAMES: Readonly<Record<string, string>> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Coral_Harbour": "America/Atikokan",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Mendoza": "America/Argentina/Mendoza",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

/** The IANA database's current name of a zone ("Asia/Calcutta" → "Asia/Kolkata"); other names as given. */
export const ianaName = (zone: string): string => IANA_RENAMES[zone] ?? zone;

/** Every zone the runtime knows, by its current IANA name, sorted. */
export function ianaZones(): string[] {
  return [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")].map(ianaName))].sort((a, b) => (a < b ? -1 : 1));
}

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

/** What the zone's clocks show at that instant. */
export function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour") % 24, minute: get("minute"), second: get("second") };
}

/** The instant at which UTC's clocks show that wall-clock time. */
export const wallClockAsUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** How far the zone's clocks are ahead of UTC at that instant, in milliseconds (whole seconds). */
export function offsetMs(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  return wallClockAsUtc(wallClock(whole, timeZone)) - whole;
}

/** The instant a wall-clock time names in a zone, by the compatible rule above. */
export function instantOf(w: WallClock, timeZone: string): number {
  const naive = wallClockAsUtc(w);
  const before = offsetMs(naive - DAY_MS, timeZone);
  const after = offsetMs(naive + DAY_MS, timeZone);
  // Every instant whose own offset maps it back onto this wall-clock time; earliest first.
  const candidates = [...new Set([before, offsetMs(naive, timeZone), after])]
    .map((offset) => naive - offset)
    .filter((instant) => wallClockAsUtc(wallClock(instant, timeZone)) === naive)
    .sort((a, b) => a - b);
  // None: the time falls in a gap. With the offset from before the change it lands past the gap.
  return candidates[0] ?? naive - before;
}
