// How an instant is written wherever a provider reads one: the hosted admin's pages and the roster
// and invite elements. The whole date, the time, and the zone it is told in, named ("Saturday
// 5 July 2031 at 09:00 (Europe/Paris)"), so the admin and the elements never write one moment two
// ways. `locale` is a BCP 47 tag: the admin's language, or an element's page.

export function formatInstant(instant: string | number | Date, timeZone: string, locale: string): string {
  const text = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short", timeZone }).format(new Date(instant));
  return `${text} (${timeZone})`;
}

/**
 * When a session runs, start to end in its own zone, the zone named ("Saturday, July 5, 2031,
 * 9:00 AM – 12:00 PM (Europe/Paris)"), for a page outside the admin that must say what it is about.
 */
export function formatSpan(startsAt: string, durationMinutes: number, timeZone: string, locale: string): string {
  const start = new Date(startsAt);
  const end = new Date(start.getTime() + durationMinutes * 60_000);
  const format = new Intl.DateTimeFormat(locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  });
  return `${format.formatRange(start, end)} (${timeZone})`;
}
