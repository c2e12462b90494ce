// A session's registration form (seed 004: "the form defined by the administrator"): its fields as
// the API takes and shows them. Labels, help and choice labels are English and French; a plain
// string stands for both. Pure zod, no storage: the ledger keeps every version (forms/versions.ts).

import { z } from "@hono/zod-openapi";
import { because } from "../errors/fields";
import { isPlainText, isSingleLine, PLAIN_TEXT, SINGLE_LINE } from "../http/text";

export const FIELD_TYPES = ["text", "longText", "choice", "multiChoice", "checkbox", "number", "date", "phone"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Types whose answer is picked among the field's choices. */
export const CHOICE_TYPES: readonly FieldType[] = ["choice", "multiChoice"];

export const MAX_FIELDS = 20;
export const MAX_CHOICES = 30;

const Line = (max: number) => z.string().trim().min(1).max(max).refine(isPlainText, PLAIN_TEXT).refine(isSingleLine, SINGLE_LINE);

export type Localized = { en: string; fr: string };

/** A label as stored: English and French. A string given alone is both. */
const LocalizedLine = (max: number) =>
  z
    .union([Line(max), z.object({ en: Line(max), fr: Line(max) }).strict()])
    .transform((v): Localized => (typeof v === "string" ? { en: v, fr: v } : v))
    .openapi({ description: "A string, or `{en, fr}`." });

const HelpText = z
  .union([
    z.string().trim().max(500).refine(isPlainText, PLAIN_TEXT),
    z
      .object({
        en: z.string().trim().max(500).refine(isPlainText, PLAIN_TEXT),
        fr: z.string().trim().max(500).refine(isPlainText, PLAIN_TEXT),
      })
      .strict(),
  ])
  .transform((v): Localized | null => {
    const both = typeof v === "string" ? { en: v, fr: v } : v;
    return both.en === "" && both.fr === "" ? null : both;
  });

/** A choice: its stored value, and how it reads (the value itself when no label is given). */
const Choice = z
  .union([Line(200), z.object({ value: Line(200), label: LocalizedLine(200).optional() }).strict()])
  .transform((c) =>
    typeof c === "string" ? { value: c, label: { en: c, fr: c } } : { value: c.value, label: c.label ?? { en: c.value, fr: c.value } },
  );

export const FieldKey = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, "must start with a small letter, then letters, digits or _ (at most 40)")
  .openapi({ example: "dietary" });

export const FieldSchema = z
  .object({
    key: FieldKey,
    type: z.enum(FIELD_TYPES),
    label: LocalizedLine(200),
    help: HelpText.nullable()
      .optional()
      .transform((h) => h ?? null),
    required: z.boolean().default(false),
    choices: z.array(Choice).max(MAX_CHOICES).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const picks = CHOICE_TYPES.includes(f.type);
    if (picks && !f.choices?.length)
      ctx.addIssue({
        code: "custom",
        path: ["choices"],
        message: `a ${f.type} field needs at least one choice`,
        params: { problem: "needs_choices" },
      });
    if (!picks && f.choices !== undefined)
      ctx.addIssue({ code: "custom", path: ["choices"], message: `a ${f.type} field has no choices`, params: { problem: "no_choices" } });
    const values = (f.choices ?? []).map((c) => c.value);
    if (new Set(values).size !== values.length)
      ctx.addIssue({ code: "custom", path: ["choices"], message: "choices must differ", params: { problem: "same_choice" } });
  })
  .openapi("FormField");

export type FormField = z.output<typeof FieldSchema>;
export type FormFieldInput = z.input<typeof FieldSchema>;

export const FormSchema = z
  .object({ fields: z.array(FieldSchema).max(MAX_FIELDS) })
  .strict()
  .superRefine((form, ctx) => {
    const seen = new Set<string>();
    form.fields.forEach((f, i) => {
      if (seen.has(f.key))
        ctx.addIssue({
          code: "custom",
          path: ["fields", i, "key"],
          message: `the key ${f.key} is used twice`,
          params: { problem: "same_key" },
        });
      seen.add(f.key);
    });
  })
  .openapi("Form", {
    description:
      "The registration form: `answers` on a registration are validated against it (422 naming each field). Editing it stores a new version; answers given before keep theirs.",
  });

export type Form = z.output<typeof FormSchema>;

/** A form as a session shows it: its fields and the version they are (answers carry theirs). */
export const FormViewSchema = z.object({ version: z.number().int(), fields: z.array(FieldSchema) }).openapi("FormView");
export type FormView = { version: number; fields: FormField[] };

/** One answer as given: text, a number, a ticked box, or the values picked. */
export const AnswerValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.array(z.string().max(200)).max(MAX_CHOICES)]);
export type AnswerValue = string | number | boolean | string[];
export type Answers = Record<string, AnswerValue>;

/** The answers a request may carry, before the session's form checks them. */
export const AnswersInput = z
  .record(z.string().max(100), AnswerValue)
  .refine((a) => Object.keys(a).length <= MAX_FIELDS, because("too_many", `at most ${MAX_FIELDS} answers`, { max: MAX_FIELDS }))
  .openapi({ description: "Keyed by the form's field keys." });
