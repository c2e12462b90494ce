// What counts as an email address, decided once for the server and the widget alike.
// Pure: no DOM, no Node, no Workers APIs.

// Letters, marks and digits of any script are allowed in the local part (RFC 6531) and in domain
// labels (internationalised domains); marks because many scripts (Devanagari, Thai…) need them
// and because a pasted "é" may arrive decomposed.
const LOCAL = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^(?!-)[\p{L}\p{M}\p{N}-]{1,63}(?<!-)$/u;
const TLD = /^(?:\p{L}[\p{L}\p{M}]{1,62}|xn--[a-z0-9-]{1,59})$/iu;

export const ADDRESS_PROBLEMS = ["empty", "too_long", "no_at", "several_at", "bad_local", "bad_domain"] as const;
export type AddressProblem = (typeof ADDRESS_PROBLEMS)[number];

export function addressProblem(raw: string): AddressProblem | null {
  const value = raw.trim();
  if (value === "") return "empty";
  if (value.length > 254) return "too_long";
  const at = value.indexOf("@");
  if (at < 0) return "no_at";
  if (value.indexOf("@", at + 1) >= 0) return "several_at";
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length === 0 || local.length > 64 || !LOCAL.test(local)) return "bad_local";
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(labels.at(-1)!)) return "bad_domain";
  return null;
}

export const isEmail = (raw: string) => addressProblem(raw) === null;

/**
 * The key under which an address is unique within a session. Addresses that differ only in case
 * (or in how an accent is encoded) are the same person; `+tag` variants are kept apart, because
 * mail providers disagree on them.
 */
export const emailKey = (address: string) => address.trim().normalize("NFC").toLowerCase();
