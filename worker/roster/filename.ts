// The name a roster's CSV file gets, on the API's download and in the roster element's: the
// session's title and the date it takes place on in its own zone ("forest-camp-week-1-2031-07-05.csv"),
// so a provider's downloads folder tells sessions apart. Pure, and free of the CSV library, so the
// widget bundles only this.

import { wallClock } from "../time/zoned";

const MAX_TITLE = 60;

/** ASCII letters and digits of the title, lowercase, words joined by "-". */
function slug(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_TITLE)
    .replace(/-+$/, "");
}

export function rosterFilename(session: { id: string; title: string; startsAt: string; timeZone: string }): string {
  const day = wallClock(Date.parse(session.startsAt), session.timeZone);
  const date = `${day.year}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}`;
  return `${slug(session.title) || session.id}-${date}.csv`;
}
