// Why a field was refused, as a stable code: every `validation_failed` names each field it refuses
// with one (`errors[].code`), whatever the route, beside an English sentence (`message`) and, where
// the sentence names something, its `params`. What the admin and the elements translate
// (i18n/field-problems.ts), and what an API client can tell apart. Pure, and free of zod: the
// elements' package declares these types (a zod issue becomes one in issues.ts).

/** Rules between fields: the field named is the one to change. */
const BETWEEN_FIELDS = [
  "choose_one",
  "not_both",
  "goes_with",
  "ends_before_start",
  "more_than_max",
  "no_seat_left",
  "opens_after_close",
  "closes_after_end",
  "not_before_start",
] as const;

export const FIELD_PROBLEMS = [
  // Any field: what the schema's own checks find.
  "required",
  "too_short",
  "too_long",
  "too_few",
  "too_many",
  "too_small",
  "too_large",
  "wrong_type",
  "unknown_field",
  "not_an_option",
  "not_plain_text",
  "not_one_line",
  "not_a_date",
  "not_a_url",
  "not_https",
  "not_a_time_zone",
  "not_a_currency",
  "not_an_origin",
  "email_invalid",
  "not_yours",
  "not_in_future",
  "nothing_to_change",
  "taken",
  "reserved",
  "needs_token",
  "has_address",
  "not_a_slug",
  "not_a_number",
  "not_ticked",
  "invalid",
  ...BETWEEN_FIELDS,
  // The directory (contacts/fields.ts).
  "has_separator",
  "phone_needs_country",
  "phone_invalid",
  "phone_needed_for_sms",
  "email_or_phone_needed",
  "duplicate_in_file",
  "group_not_found",
  "group_empty",
  // Registration forms (forms/schema.ts).
  "same_key",
  "needs_choices",
  "no_choices",
  "same_choice",
] as const;
export type FieldProblemCode = (typeof FIELD_PROBLEMS)[number];
export type FieldProblemParams = Record<string, string | number>;

/** One refused field: its path in the request (`answers.shirt`, `fields.2.key`, `(body)` for the whole). */
export type FieldError = { path: string; code: FieldProblemCode; message: string; params?: FieldProblemParams };

/** Whether the problem is a rule between fields (the field is fine alone; it does not fit another). */
export const isBetweenFields = (code: string) => (BETWEEN_FIELDS as readonly string[]).includes(code);

export const isFieldProblemCode = (value: unknown): value is FieldProblemCode => (FIELD_PROBLEMS as readonly unknown[]).includes(value);

/** A refinement's sentence and its code (the issue's `params.problem`, read by issues.ts problemOfIssue). */
export const because = (problem: FieldProblemCode, message: string, params: FieldProblemParams = {}) => ({
  message,
  params: { ...params, problem },
});

/** A field error a rule between fields found (after a merge, or against stored data). */
export const fieldError = (path: string, code: FieldProblemCode, message: string, params?: FieldProblemParams): FieldError => ({
  path,
  code,
  message,
  ...(params ? { params } : {}),
});
