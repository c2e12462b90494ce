// When a program's invitations may go out and how long its page's links last: plain functions of
// the program's dates (YYYY-MM-DD in its own zone), its sessions and the clock.

import { wallClock } from "../time/zoned";

/** Today's date (YYYY-MM-DD) in a zone. */
export function localDate(now: Date, timeZone: string): string {
  const w = wallClock(now.getTime(), timeZone);
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** A program has started once its first day has come in its own zone: its invitations go out from then. */
export const programStarted = (program: { startsOn: string; timeZone: string }, now: Date) =>
  localDate(now, program.timeZone) >= program.startsOn;

/**
 * A program link lasts as long as the program: through its last day (endsOn, in its zone) when it
 * has one, else until its last session ends.
 */
export function programLinkExpired(
  program: { endsOn: string | null; timeZone: string },
  lastSessionEndsAt: string | null,
  now: Date,
): boolean {
  if (program.endsOn) return localDate(now, program.timeZone) > program.endsOn;
  return lastSessionEndsAt !== null && Date.parse(lastSessionEndsAt) <= now.getTime();
}

/** Pairs by person: each contact with the sessions to name, in the order given. */
export function byContact(pairs: readonly { contactId: string; sessionId: string }[]): Map<string, string[]> {
  const people = new Map<string, string[]>();
  for (const { contactId, sessionId } of pairs) people.set(contactId, [...(people.get(contactId) ?? []), sessionId]);
  return people;
}
