// A VTIMEZONE block (RFC 5545 §3.6.5) for any IANA zone, derived from the platform's own time
// zone data through Intl, so no zone database ships with the worker. It lists the zone's actual
// transitions from a year before to a year after the event as one-off observances: every
// calendar can then place the event, whatever rules the zone follows.

import { systemClock } from "../../time/clock";
import { offsetMs, wallClock } from "../../time/zoned";
import { formatOffset } from "./zoned";

const DAY = 86_400_000;
const STEP = 7 * DAY; // no zone changes its offset twice within a week

type Transition = { at: number; from: number; to: number };

/** Every offset change in [from, to), to the second. */
export function transitions(timeZone: string, from: number, to: number): Transition[] {
  const found: Transition[] = [];
  let t = from;
  let offset = offsetMs(t, timeZone);
  while (t < to) {
    const next = Math.min(t + STEP, to);
    const nextOffset = offsetMs(next, timeZone);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next; // offset(lo) = offset, offset(hi) ≠ offset
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (offsetMs(mid, timeZone) === offset) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, from: offset, to: offsetMs(hi, timeZone) });
      offset = offsetMs(hi, timeZone);
    }
    t = next;
  }
  return found;
}

function localStamp(epochMs: number, offset: number): string {
  const shifted = wallClock(epochMs + offset, "UTC");
  const p = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${p(shifted.year, 4)}${p(shifted.month)}${p(shifted.day)}T${p(shifted.hour)}${p(shifted.minute)}${p(shifted.second)}`;
}

function observance(kind: "STANDARD" | "DAYLIGHT", start: string, from: number, to: number): string[] {
  return [
    `BEGIN:${kind}`,
    `DTSTART:${start}`,
    `TZOFFSETFROM:${formatOffset(from, "")}`,
    `TZOFFSETTO:${formatOffset(to, "")}`,
    `END:${kind}`,
  ];
}

/** Zones change their rules rarely: one text per zone and year serves every message of an isolate. */
const made = new Map<string, string>();

/** The VTIMEZONE text for `timeZone` around the instant `around` (CRLF line ends, no trailing one). */
export function vtimezone(timeZone: string, around: number = systemClock.now().getTime()): string {
  const year = new Date(around).getUTCFullYear();
  const key = `${timeZone} ${year}`;
  let text = made.get(key);
  if (text === undefined) {
    text = vtimezoneOfYear(timeZone, year);
    made.set(key, text);
  }
  return text;
}

function vtimezoneOfYear(timeZone: string, year: number): string {
  const from = Date.UTC(year - 1, 0, 1);
  const to = Date.UTC(year + 2, 0, 1);
  const changes = transitions(timeZone, from, to);
  const initial = offsetMs(from, timeZone);
  const offsets = [initial, ...changes.map((c) => c.to)];
  const standard = Math.min(...offsets);
  // The offset in force when the window opens, as a first observance with no change.
  const lines = [
    "BEGIN:VTIMEZONE",
    `TZID:${timeZone}`,
    ...observance(initial > standard ? "DAYLIGHT" : "STANDARD", localStamp(from, initial), initial, initial),
  ];
  for (const c of changes) {
    // DTSTART of an observance is the local time, in the old offset, at which it begins.
    lines.push(...observance(c.to > c.from ? "DAYLIGHT" : "STANDARD", localStamp(c.at, c.from), c.from, c.to));
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}
