// When a session runs and single instants, as emails and hosted pages write them: always in the
// session's own time zone, with that zone named, so a participant abroad reads the organiser's
// local time and knows it is not theirs.

import type { Locale } from "../i18n/locales";
import { firstOfMonth, sessionDateTime } from "./date-words";

const intlLocale: Record<Locale, string> = { en: "en-US", fr: "fr-FR" };

/** "Europe/Paris, GMT+2": the zone's name and its offset at that instant. */
export function zoneLabel(timeZone: string, at: Date, locale: Locale): string {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return "UTC";
  const offset = new Intl.DateTimeFormat(intlLocale[locale], { timeZone, timeZoneName: "shortOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  return offset ? `${timeZone}, ${offset.replace(/^UTC/, "GMT")}` : timeZone;
}

/** "Monday, June 1, 2026, 9:00 – 12:00 PM (Europe/Paris, GMT+2)". */
export function sessionTime(startsAt: string, durationMinutes: number, timeZone: string, locale: Locale): string {
  const start = new Date(startsAt);
  const end = new Date(start.getTime() + durationMinutes * 60_000);
  const format = new Intl.DateTimeFormat(intlLocale[locale], { ...sessionDateTime(locale), timeZone });
  return `${firstOfMonth(format.formatRange(start, end), locale)} (${zoneLabel(timeZone, start, locale)})`;
}

/** One instant in a zone, the zone named: "Monday, June 15, 2026 at 9:00 AM (Europe/Paris, GMT+2)". */
export function instant(at: string, timeZone: string, locale: Locale): string {
  const date = new Date(at);
  const text = new Intl.DateTimeFormat(intlLocale[locale], { ...sessionDateTime(locale), timeZone }).format(date);
  return `${firstOfMonth(text, locale)} (${zoneLabel(timeZone, date, locale)})`;
}
