// Answers as people read them (the roster, the CSV, the confirmation email): each field's label in
// the reader's language, a choice by its label, a ticked box as yes/no. Pure: escaping is the
// renderer's (JSX, the email layout, the CSV's formula defusing).

import type { Locale } from "../i18n/locales";
import type { Answers, AnswerValue, FormField, FormView, Localized } from "./schema";

const yesNo = { en: ["Yes", "No"], fr: ["Oui", "Non"] } as const;

export const inLocale = (text: Localized, locale: Locale): string => text[locale] || text.en;

/** One answer as text: a choice's label, the labels picked joined by commas, Yes/No, a number. */
export function formatAnswer(field: FormField | undefined, value: AnswerValue, locale: Locale): string {
  const labelOf = (v: string) => {
    const c = field?.choices?.find((c) => c.value === v);
    return c ? inLocale(c.label, locale) : v;
  };
  if (typeof value === "boolean") return yesNo[locale][value ? 0 : 1];
  if (Array.isArray(value)) return value.map(labelOf).join(", ");
  if (typeof value === "number") return String(value);
  return field?.type === "choice" ? labelOf(value) : value;
}

/**
 * Question → answer lines of one registration, in the form's order (the version it answered),
 * then any answer whose field that version lacks (free answers of a session without a form).
 */
export function answerLines(fields: readonly FormField[], answers: Answers | null, locale: Locale): { label: string; value: string }[] {
  if (!answers) return [];
  const lines = fields
    .filter((f) => answers[f.key] !== undefined)
    .map((f) => ({ label: inLocale(f.label, locale), value: formatAnswer(f, answers[f.key]!, locale) }));
  const known = new Set(fields.map((f) => f.key));
  for (const [key, value] of Object.entries(answers))
    if (!known.has(key)) lines.push({ label: key, value: formatAnswer(undefined, value, locale) });
  return lines;
}

/** A column of answers: a field key and the label it goes by (its latest version's). */
export type AnswerColumn = { key: string; label: string; field: FormField };

/**
 * One column per field key ever asked: the current form's fields in order, then fields since
 * removed, under the label their last version gave them (their answers stay readable).
 */
export function answerColumns(versions: readonly FormView[], locale: Locale = "en"): AnswerColumn[] {
  const byKey = new Map<string, FormField>();
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  for (const v of sorted) for (const f of v.fields) if (!byKey.has(f.key)) byKey.set(f.key, f);
  return [...byKey.entries()].map(([key, field]) => ({ key, label: inLocale(field.label, locale), field }));
}
