// Plain rules about a session's fields, shared by creation (zod refinement) and editing (after
// the patch is merged onto the stored session in the ledger).

import { type FieldError, fieldError } from "../errors/fields";
import { decisionTimeProblem } from "./minimum";

export const MAX_CAPACITY = 10_000;

let zonesByLowerCase: Map<string, string> | undefined;

/**
 * The zone as the time zone database spells it (`europe/paris` → `Europe/Paris`). Only the case
 * is mended: ICU's own "canonical" names are older ones (Asia/Katmandu for Asia/Kathmandu), and
 * a provider must get back the zone they chose.
 */
export function canonicalTimeZone(value: string): string {
  zonesByLowerCase ??= new Map(Intl.supportedValuesOf("timeZone").map((zone) => [zone.toLowerCase(), zone]));
  return zonesByLowerCase.get(value.toLowerCase()) ?? (value.toLowerCase() === "utc" ? "UTC" : value);
}

export type SessionWindow = {
  startsAt: string;
  durationMinutes: number;
  minParticipants: number;
  maxParticipants: number;
  hostCountsAsParticipant: boolean;
  registrationOpensAt?: string | null;
  registrationClosesAt?: string | null;
  decisionAt?: string | null;
};

/** Rules between fields: each problem names the field a person should change. */
export function sessionCoherence(s: SessionWindow): FieldError[] {
  const errors: FieldError[] = [];
  if (s.minParticipants > s.maxParticipants) {
    errors.push(fieldError("minParticipants", "more_than_max", "must not be more than maxParticipants"));
  }
  if (s.hostCountsAsParticipant && s.maxParticipants < 2) {
    errors.push(fieldError("maxParticipants", "no_seat_left", "must leave at least one seat besides the host"));
  }
  const starts = Date.parse(s.startsAt);
  const ends = starts + s.durationMinutes * 60_000;
  const opens = s.registrationOpensAt ? Date.parse(s.registrationOpensAt) : null;
  const closes = s.registrationClosesAt ? Date.parse(s.registrationClosesAt) : starts;
  if (opens !== null && opens >= closes) {
    errors.push(fieldError("registrationOpensAt", "opens_after_close", "must be before registration closes"));
  }
  if (closes > ends) {
    errors.push(fieldError("registrationClosesAt", "closes_after_end", "must not be after the session ends"));
  }
  const decision = decisionTimeProblem(s);
  if (decision) errors.push(fieldError("decisionAt", "not_before_start", decision));
  return errors;
}

/** The stable code of a meeting link that is a URL but not https (http:, javascript:, data:, …). */
export const ONLINE_URL_NOT_HTTPS = "online_url_not_https" as const;

function parsedUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Anything URL-shaped, whatever its scheme (the scheme is judged apart, with its own code). */
export const isUrl = (value: string) => parsedUrl(value) !== null;

/** A meeting link people may open: https, a host, no user name or password in it. */
export function isHttpsUrl(value: string): boolean {
  const url = parsedUrl(value);
  return url !== null && url.protocol === "https:" && url.hostname !== "" && url.username === "" && url.password === "";
}
