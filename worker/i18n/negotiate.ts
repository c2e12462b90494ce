// The one language negotiation of the admin, the hosted pages and the emails they send: the
// best supported locale in the visitor's Accept-Language (by quality, then order; "fr-CA" counts
// as "fr"), else the caller's fallback (an org's default language), else English.

import type { Context } from "hono";
import { accepts } from "hono/accepts";
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from "./locales";

type Ranked = { type: string; q: number }[];

/** Matches on the primary subtag, which is all Rollcall's locales name. */
const firstSupported = (ranked: Ranked): string =>
  ranked
    .filter((entry) => entry.q > 0)
    .map((entry) => entry.type.toLowerCase().split("-")[0])
    .find(isLocale) ?? "";

/** The visitor's own choice among the supported locales, or null when their browser names none. */
export function preferredLocale(c: Context): Locale | null {
  const chosen = accepts(c, { header: "Accept-Language", supports: [...LOCALES], default: "", match: firstSupported });
  return isLocale(chosen) ? chosen : null;
}

/** The locale to speak: the visitor's preference, else the fallback given, else the default. */
export function negotiateLocale(c: Context, fallback?: Locale | null): Locale {
  return preferredLocale(c) ?? fallback ?? DEFAULT_LOCALE;
}
