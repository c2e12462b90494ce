// One zod schema built from a form, checking a registration's answers: every caller (the public
// registration, the code page) goes through answersSchema(), so a field is checked the same way
// wherever it is answered.

import { z } from "@hono/zod-openapi";
import { because, fieldError } from "../errors/fields";
import { fieldErrorsOfIssues, problemOfIssue } from "../errors/issues";
import { fail, type Outcome, ok } from "../errors/problem";
import { isPlainText, isSingleLine } from "../http/text";
import type { Answers, FormField } from "./schema";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// A phone number as people type it: digits with spaces, dots, dashes, brackets, an optional +.
const PHONE = /^\+?[0-9 ().-]{6,24}$/;

function realDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The schema of one field's answer (without "required": answersSchema adds it). */
function answerSchema(f: FormField): z.ZodType {
  const values = (f.choices ?? []).map((c) => c.value);
  switch (f.type) {
    case "text":
      return z
        .string()
        .trim()
        .max(500)
        .refine(isPlainText, because("not_plain_text", "must be plain text"))
        .refine(isSingleLine, because("not_one_line", "must be one line"));
    case "longText":
      return z.string().trim().max(2000).refine(isPlainText, because("not_plain_text", "must be plain text"));
    case "phone":
      return z
        .string()
        .trim()
        .refine((v) => PHONE.test(v), because("phone_invalid", "must be a phone number"));
    case "date":
      return z.string().trim().refine(realDate, because("not_a_date", "must be a date (YYYY-MM-DD)"));
    case "number":
      // A number, or the text of one (an HTML form posts text).
      return z.preprocess(
        (v) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v),
        z.number({ message: "must be a number" }).finite(),
      );
    case "checkbox":
      return z.preprocess(
        (v) => (v === "on" || v === "true" ? true : v === "false" ? false : v),
        z.boolean({ message: "must be true or false" }),
      );
    case "choice":
      return z
        .string()
        .refine(
          (v) => values.includes(v),
          because("not_an_option", `must be one of: ${values.join(", ")}`, { options: values.join(", ") }),
        );
    case "multiChoice":
      return z
        .preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.string(), { message: "must be a list of choices" }))
        .refine(
          (picked) => picked.every((v) => values.includes(v)),
          because("not_an_option", `each must be one of: ${values.join(", ")}`, { options: values.join(", ") }),
        )
        .transform((picked) => values.filter((v) => picked.includes(v)));
  }
}

/** What a person answers the session's form with, and the version of the form they were shown. */
export type Answering = { answers?: Record<string, unknown> | undefined; formVersion?: number | null | undefined };

/** Whether an answer counts as given (an unticked box or an empty list does not). */
function given(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/**
 * The answers a form accepts: each field's own type; required fields present (a required checkbox
 * must be ticked, as a consent is); keys the form does not have refused. Empty optional answers
 * are left out of the result.
 */
export function answersSchema(fields: readonly FormField[]) {
  const inner = new Map(fields.map((f) => [f.key, answerSchema(f)] as const));
  return z
    .object(Object.fromEntries(fields.map((f) => [f.key, z.unknown().optional()])))
    .strict()
    .superRefine((a, ctx) => {
      for (const f of fields) {
        const v = a[f.key];
        if (!given(v)) {
          if (f.required)
            ctx.addIssue({
              code: "custom",
              path: [f.key],
              ...(f.type === "checkbox" ? because("not_ticked", "must be ticked") : because("required", "is required")),
            });
          continue;
        }
        const r = inner.get(f.key)!.safeParse(v);
        if (!r.success)
          for (const issue of r.error.issues) {
            const { code, message, params } = problemOfIssue(issue);
            ctx.addIssue({ code: "custom", path: [f.key], ...because(code, message, params) });
          }
      }
    })
    .transform((a) => {
      const out: Answers = {};
      for (const f of fields) if (given(a[f.key])) out[f.key] = inner.get(f.key)!.parse(a[f.key]) as Answers[string];
      return out;
    });
}

/**
 * The answers checked against the form: the cleaned answers, or 422 validation_failed naming each
 * field (`answers.{key}`). A session without a form keeps taking free text answers, as before forms.
 */
export function checkAnswers(fields: readonly FormField[] | null, answers: Record<string, unknown> | undefined): Outcome<Answers | null> {
  if (!fields?.length) {
    if (!answers || Object.keys(answers).length === 0) return ok(null);
    const loose = Object.entries(answers)
      .filter(([, v]) => typeof v !== "string")
      .map(([k]) => fieldError(`answers.${k}`, "wrong_type", "must be text", { expected: "string" }));
    return loose.length ? fail("validation_failed", "Answers must be text.", undefined, loose) : ok(answers as Answers);
  }
  const r = answersSchema(fields).safeParse(answers ?? {});
  if (r.success) return ok(r.data);
  const errors = r.error.issues.flatMap((i) =>
    // An unknown key comes as one issue on the object, naming the keys.
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => fieldError(`answers.${k}`, "unknown_field", "is not a field of this form"))
      : fieldErrorsOfIssues([i], ["answers"]),
  );
  return fail("validation_failed", `Some answers are not valid: ${errors.map((e) => e.path.slice(8)).join(", ")}.`, undefined, errors);
}
