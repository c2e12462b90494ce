// Phone numbers in E.164, as SMS providers want them. Parsing is libphonenumber's (the minimal
// metadata: enough to tell a valid number and format it, without the carrier tables).

import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/min";

export type PhoneResult = { ok: true; e164: string } | { ok: false; problem: "phone_needs_country" | "phone_invalid"; message: string };

export const isCountry = (value: string): value is CountryCode => isSupportedCountry(value);

/**
 * `raw` in E.164, reading a national number ("(415) 555-0123", "06 12 34 56 78") as one of
 * `country` when given. Without a country a number must start with + and its country code.
 */
export function toE164(raw: string, country?: string | null): PhoneResult {
  const text = raw.trim();
  if (!text.startsWith("+") && !text.startsWith("00") && !(country && isCountry(country)))
    return {
      ok: false,
      problem: "phone_needs_country",
      message: "must start with + and the country code (e.g. +33 6 12 34 56 78), or set the default country",
    };
  const parsed = parsePhoneNumberFromString(text, country && isCountry(country) ? country : undefined);
  if (!parsed?.isValid()) return { ok: false, problem: "phone_invalid", message: "is not a valid phone number" };
  return { ok: true, e164: parsed.number };
}
