// A contact's fields, checked once for every way a contact arrives: the API's JSON, the admin's
// form and a CSV row (whose cells are first read into the same shape). Pure.

import { z } from "@hono/zod-openapi";
import { because, type FieldProblemCode, type FieldProblemParams } from "../errors/fields";
import { problemOfIssue as problemOfZodIssue } from "../errors/issues";
import { isPlainText, PLAIN_TEXT } from "../http/text";
import { LOCALES } from "../i18n/locales";
import { addressProblem, emailKey } from "../recipients/address";
import { toE164 } from "./phone";

export const CHANNELS = ["email", "sms"] as const;
export type Channel = (typeof CHANNELS)[number];
export const CONTACT_STATUSES = ["active", "deactivated"] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];
export const DEFAULT_TYPE = "member";

/** A contact field's problem: its name (`field`, a column of an import) and why (errors/fields.ts). */
export type FieldProblem = { field: string; code: FieldProblemCode; message: string; params?: FieldProblemParams };

const Text = (max: number) => z.string().trim().max(max).refine(isPlainText, PLAIN_TEXT);
/** Names, types, tags: one line. */
const Line = (max: number) => Text(max).refine((v) => !/[\r\n]/.test(v), because("not_one_line", "must be on one line"));
const Label = Line(40)
  .min(1)
  .refine((v) => !v.includes("|"), because("has_separator", "may not contain | (it separates several values in a CSV cell)"));

const Email = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const reason = addressProblem(value);
    if (reason)
      ctx.addIssue({
        code: "custom",
        message: `is not a valid email address (${reason.replaceAll("_", " ")})`,
        params: { problem: "email_invalid", reason },
      });
  });

/** An instant, or a date (taken as 00:00 UTC that day): when the contact becomes deactivated. */
const DeactivateAt = z
  .string()
  .trim()
  .refine(
    (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || z.iso.datetime({ offset: true }).safeParse(v).success,
    because("not_a_date", "must be a date (2027-06-30) or an ISO 8601 instant"),
  )
  .transform((v) => (v.length === 10 ? `${v}T00:00:00.000Z` : new Date(v).toISOString()))
  .refine((v) => !Number.isNaN(Date.parse(v)), because("not_a_date", "is not a real date"));

/** Every field a provider may set; all optional here (what a partial edit sends). */
export const contactFieldShape = {
  email: Email.nullable().openapi({ example: "ada@example.org" }),
  firstName: Line(100).nullable().openapi({ example: "Ada" }),
  lastName: Line(100).nullable().openapi({ example: "Lovelace" }),
  phone: z.string().max(40).nullable().openapi({ description: "E.164, or national with `defaultCountry`.", example: "+33612345678" }),
  channel: z.enum(CHANNELS).openapi({ description: "How messages reach the person." }),
  locale: z.enum(LOCALES).nullable(),
  type: Line(40).min(1).openapi({ description: "The provider's word for the person.", example: "trainee" }),
  tags: z.array(Label).max(50),
  groups: z.array(Line(100).min(1)).max(50).openapi({ description: "Group ids (grp_…) or names; a missing name is created." }),
  externalId: Line(100).nullable(),
  notes: Text(2000).nullable(),
  deactivateAt: DeactivateAt.nullable(),
};

export const ContactFields = z.object(contactFieldShape).partial();
export type ContactFieldsInput = z.input<typeof ContactFields>;
export type ContactFieldsValue = z.output<typeof ContactFields>;

/** The stored form of a contact's own fields (groups live apart). */
export type ContactRecord = {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  channel: Channel;
  locale: (typeof LOCALES)[number] | null;
  type: string;
  tags: string[];
  externalId: string | null;
  notes: string | null;
  deactivateAt: string | null;
};

export const EMPTY_CONTACT: ContactRecord = {
  email: null,
  firstName: null,
  lastName: null,
  phone: null,
  channel: "email",
  locale: null,
  type: DEFAULT_TYPE,
  tags: [],
  externalId: null,
  notes: null,
  deactivateAt: null,
};

/** A schema's issue about `field` as a field problem. */
export const problemOfIssue = (field: string, issue: z.core.$ZodIssue): FieldProblem => ({ field, ...problemOfZodIssue(issue) });

/**
 * `input` read as contact fields (what the API's body, the admin's form and a CSV row send), each
 * field on its own: the fields that are valid, and the first problem of each one that is not, so
 * that one answer names every field to fix.
 */
export function readContactFields(input: Record<string, unknown>): { value: ContactFieldsValue; problems: FieldProblem[] } {
  const value: ContactFieldsValue = {};
  const problems: FieldProblem[] = [];
  for (const [field, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    const schema = ContactFields.shape[field as keyof ContactFieldsValue];
    const parsed = schema?.safeParse(raw);
    if (parsed?.success) Object.assign(value, { [field]: parsed.data });
    else {
      const issue = parsed?.error.issues[0];
      problems.push(issue ? problemOfIssue(field, issue) : { field, code: "invalid", message: "is not a field of a contact" });
    }
  }
  return { value, problems };
}

/** Whether a stored field has a value of its own: an empty one, or a default (type member, channel email), has not. */
function hasValue(record: ContactRecord, field: keyof ContactRecord): boolean {
  if (field === "type") return record.type !== DEFAULT_TYPE;
  if (field === "channel") return record.channel !== EMPTY_CONTACT.channel;
  const value = record[field];
  return Array.isArray(value) ? value.length > 0 : value !== null && value !== "";
}

/**
 * `fields` without the ones `record` already has a value for: what an import that only fills in
 * what existing contacts lack applies to them. Groups stay: joining one takes nothing away.
 */
export function onlyMissing(fields: ContactFieldsValue, record: ContactRecord): ContactFieldsValue {
  return Object.fromEntries(
    Object.entries(fields).filter(([field]) => field === "groups" || !hasValue(record, field as keyof ContactRecord)),
  ) as ContactFieldsValue;
}

const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === "" ? null : v.trim());

/**
 * `fields` laid over `base` (a new contact's defaults, or the stored contact for an edit): the
 * record, or every problem found. Rules across fields are checked on the result: an SMS contact
 * needs a phone, and a contact needs an address or a phone.
 */
export function applyFields(
  base: ContactRecord,
  fields: ContactFieldsValue,
  { defaultCountry }: { defaultCountry?: string | null } = {},
): { ok: true; record: ContactRecord } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const next: ContactRecord = { ...base };
  const email = blankToNull(fields.email);
  // The same address in another case is the same person: the stored spelling stays.
  if (email !== undefined && !(email && base.email && emailKey(email) === emailKey(base.email))) next.email = email;
  for (const key of ["firstName", "lastName", "externalId", "notes"] as const) {
    const value = blankToNull(fields[key]);
    if (value !== undefined) next[key] = value;
  }
  if (fields.phone !== undefined) {
    const raw = blankToNull(fields.phone);
    if (raw === null || raw === undefined) next.phone = null;
    else {
      const phone = toE164(raw, defaultCountry);
      if (phone.ok) next.phone = phone.e164;
      else problems.push({ field: "phone", code: phone.problem, message: phone.message });
    }
  }
  if (fields.channel !== undefined) next.channel = fields.channel;
  if (fields.locale !== undefined) next.locale = fields.locale;
  if (fields.type !== undefined) next.type = fields.type;
  if (fields.tags !== undefined) next.tags = [...new Set(fields.tags)];
  if (fields.deactivateAt !== undefined) next.deactivateAt = fields.deactivateAt;
  if (!problems.some((p) => p.field === "phone")) {
    if (next.channel === "sms" && !next.phone)
      problems.push({ field: "phone", code: "phone_needed_for_sms", message: "is needed when the channel is sms" });
    if (!next.email && !next.phone)
      problems.push({ field: "email", code: "email_or_phone_needed", message: "is needed (or a phone number)" });
  }
  return problems.length ? { ok: false, problems } : { ok: true, record: next };
}

/**
 * Text as the type-ahead compares it: lower-cased, accents dropped ("Hélène" is "helene"), so a
 * name is found typed with or without them. The stored text and the searched one both go
 * through it; migrations/0025_contact_search_folded.sql folded the texts stored before.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .normalize("NFC")
    .toLowerCase();
}

/** What the type-ahead matches: names and address, folded (foldForSearch). */
export function searchText(record: Pick<ContactRecord, "firstName" | "lastName" | "email">): string {
  return foldForSearch([record.firstName, record.lastName, record.email].filter(Boolean).join(" "));
}

export const emailKeyOf = (record: Pick<ContactRecord, "email">) => (record.email ? emailKey(record.email) : null);

/** The fields of `next` that differ from `current` (tags compared as sets). */
export function changedFields(current: ContactRecord, next: ContactRecord): (keyof ContactRecord)[] {
  return (Object.keys(next) as (keyof ContactRecord)[]).filter((key) => {
    if (key === "tags") {
      const a = new Set(current.tags);
      return next.tags.length !== a.size || next.tags.some((t) => !a.has(t));
    }
    return current[key] !== next[key];
  });
}
