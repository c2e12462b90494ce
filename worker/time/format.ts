// How an instant is written wherever a provider reads one: the hosted admin's pages and the roster
// and invite elements. The whole date, the time, and the zone it is told in, named ("Saturday
// 5 July 2031 at 09:00 (Europe/Paris)"), so the admin and the elements never write one moment two
// ways. `locale` is a BCP 47 tag: the admin's language, or an element's page.

import { firstOfMonth } from "./date-words";

/** How much of an instant is written: the whole date and the time (the admin's script uses it too). */
export const INSTANT_FORMAT = { dateStyle: "full", timeStyle: "short" } as const satisfies Intl.DateTimeFormatOptions;

export function formatInstant(instant: string | number | Date, timeZone: string, locale: string): string {
  const text = new Intl.DateTimeFormat(locale, { ...INSTANT_FORMAT, timeZone }).format(new Date(instant));
  return `${firstOfMonth(text, locale)} (${timeZone})`;
}

/**
 * A calendar day with no time ("2031-07-05", a program's first or last day) written in full
 * ("Saturday, 5 July 2031" in en-GB). The day is the same in every zone, so it is read and written in UTC.
 */
export function formatDay(day: string, locale: string): string {
  return firstOfMonth(new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`)), locale);
}
