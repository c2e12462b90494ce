// French writes the first of a month "1er", which Intl does not. A module of its own: the public
// join element needs it, and nothing else of the formatting the admin and the provider elements share.

/** A 1 not part of a larger number, then a space and a word: in a date Intl wrote, a month's name. */
export const FRENCH_FIRST = /(^|\D)1(?=\s\p{Ll})/gu;

/**
 * French writes the first of a month as an ordinal, "mardi 1er juillet", which Intl does not: a
 * date Intl wrote in French, with that mended. Other languages' text comes back as it was.
 */
export function firstOfMonth(text: string, locale: string): string {
  return locale.startsWith("fr") ? text.replace(FRENCH_FIRST, "$11er") : text;
}
