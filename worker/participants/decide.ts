// The participant's page, its rules without I/O: what a request for a link names (an address or a
// phone number), and a profile form read into the contact fields it may change.

import { CHANNELS, type Channel, type FieldProblem } from "../contacts/fields";
import { toE164 } from "../contacts/phone";
import { isLocale, LOCALES, type Locale } from "../i18n/locales";
import { emailKey, isEmail } from "../recipients/address";

/** How long a page link opens the page (once), and how long the page stays open after. */
export const PAGE_LINK_TTL_MS = 15 * 60_000;
export const PAGE_SESSION_TTL_MS = 60 * 60_000;

/** Who asks for a link: an address (its key), or a phone number (E.164); null when neither. */
export type LinkTarget = { kind: "email"; key: string } | { kind: "phone"; e164: string };

export function linkTarget(raw: string): LinkTarget | null {
  const text = raw.trim();
  if (!text || text.length > 254) return null;
  if (text.includes("@")) return isEmail(text) ? { kind: "email", key: emailKey(text) } : null;
  const phone = toE164(text);
  return phone.ok ? { kind: "phone", e164: phone.e164 } : null;
}

/** The per-target key the rate limit and the daily cap count under. */
export const targetKey = (orgId: string, target: LinkTarget) =>
  `participant:${orgId}:${target.kind === "email" ? target.key : target.e164}`;

export type ProfileInput = { firstName: string | null; lastName: string | null; phone: string | null; channel: Channel; locale: Locale };

const line = (value: unknown, max: number): string | null | undefined => {
  if (value === undefined) return null;
  if (typeof value !== "string") return undefined;
  const text = value.replace(/[\p{Cc}]+/gu, " ").trim();
  if (text.length > max) return undefined;
  return text === "" ? null : text;
};

/**
 * The profile form, checked: names up to 100 characters, a phone in international form, the
 * channel (sms only with a phone) and the language. Every problem, named by its field.
 */
export function readProfile(form: Record<string, unknown>): { ok: true; value: ProfileInput } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const firstName = line(form.firstName, 100);
  const lastName = line(form.lastName, 100);
  const tooLong = (field: string) => ({ field, code: "too_long" as const, message: "is longer than 100 characters", params: { max: 100 } });
  if (firstName === undefined) problems.push(tooLong("firstName"));
  if (lastName === undefined) problems.push(tooLong("lastName"));
  const rawPhone = line(form.phone, 40);
  let phone: string | null = null;
  if (rawPhone === undefined) problems.push({ field: "phone", code: "phone_invalid", message: "is not a valid phone number" });
  else if (rawPhone !== null) {
    const parsed = toE164(rawPhone);
    if (parsed.ok) phone = parsed.e164;
    else problems.push({ field: "phone", code: parsed.problem, message: parsed.message });
  }
  const channel = (CHANNELS as readonly unknown[]).includes(form.channel) ? (form.channel as Channel) : null;
  if (!channel)
    problems.push({ field: "channel", code: "not_an_option", message: "must be email or sms", params: { options: CHANNELS.join(", ") } });
  else if (channel === "sms" && !phone && !problems.some((p) => p.field === "phone"))
    problems.push({ field: "phone", code: "phone_needed_for_sms", message: "is needed when the channel is sms" });
  const locale = isLocale(form.locale) ? form.locale : null;
  if (!locale)
    problems.push({
      field: "locale",
      code: "not_an_option",
      message: "must be a language offered",
      params: { options: LOCALES.join(", ") },
    });
  if (problems.length || !channel || !locale) return { ok: false, problems };
  return { ok: true, value: { firstName: firstName ?? null, lastName: lastName ?? null, phone, channel, locale } };
}
