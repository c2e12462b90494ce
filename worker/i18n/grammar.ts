// The grammar a sentence built around a name or a value needs, where the languages differ.

import type { Locale } from "./locales";

/** A name's first letter is a vowel sound: "Atelier", "École", "Yoga" ("h" is left alone, as "le hockey" shows). */
const VOWEL_START = /^[aeiouyàâäæéèêëîïôöœùûü]/i;

/**
 * "de" before a name, elided before a vowel: "d’Atelier cuisine", "de Stage de natation". Texts
 * pass the straight apostrophe, which keeps an SMS in the GSM alphabet (and in fewer segments).
 */
export const de = (name: string, apostrophe: "’" | "'" = "’"): string => (VOWEL_START.test(name) ? `d${apostrophe}${name}` : `de ${name}`);

/** "que" before a word, elided before a vowel: "en tant qu’adjointe@camp.example", "en tant que direction@…". */
export const que = (word: string): string => (VOWEL_START.test(word) ? `qu’${word}` : `que ${word}`);

/** A sentence or a word that begins a line: "Too long: …" from "too long: …". */
export const capitalised = (text: string): string => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/**
 * The space French puts before a colon: a no-break one, so that a line never begins with the
 * colon when the label is long or the screen narrow.
 */
export const FRENCH_COLON = "\u00a0:";

/** "Label: value" as each language writes it: French puts a space before the colon ("Quand : …"). */
export const labelled = (label: string, value: string, locale: Locale): string =>
  locale === "fr" ? `${label}${FRENCH_COLON} ${value}` : `${label}: ${value}`;
