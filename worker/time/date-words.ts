// Dates in words, as the worker and the elements alike write them: the options a session's date
// and time are written with (the emails and hosted pages in the session's zone, when.ts;
// `<rollcall-join>`'s heading and the sessions list's rows in the reader's, the zone's short name
// added), and French's "1er", which Intl does not write. A module of its own: the public join
// element needs it, and nothing else of the formatting the admin and the provider elements share.

/**
 * The hour as each language writes it: French in two digits, "09:00" (as its short time style and
 * its ranges write it, where Intl writes a lone French hour "9:00"); English as a clock reads, "9:00 AM".
 */
export const hourOf = (locale: string): "2-digit" | "numeric" => (locale.startsWith("fr") ? "2-digit" : "numeric");

/** "Monday, June 1, 2026, 9:00 AM": the weekday and the month in words, the year, the hour. */
export const sessionDateTime = (locale: string) =>
  ({
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: hourOf(locale),
    minute: "2-digit",
  }) satisfies Intl.DateTimeFormatOptions;

/** A 1 not part of a larger number, then a space and a word: in a date Intl wrote, a month's name. */
export const FRENCH_FIRST = /(^|\D)1(?=\s\p{Ll})/gu;

/**
 * French writes the first of a month as an ordinal, "mardi 1er juillet", which Intl does not: a
 * date Intl wrote in French, with that mended. Other languages' text comes back as it was.
 */
export function firstOfMonth(text: string, locale: string): string {
  return locale.startsWith("fr") ? text.replace(FRENCH_FIRST, "$11er") : text;
}
