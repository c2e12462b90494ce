// What a refused field (validation_failed's `errors`) says under it, in the element's language: the
// worker's own sentences for each field problem's code (worker/i18n/field-problems.ts). A chunk of
// its own, fetched with the first refused field: most pages never download it.

import type { FieldError } from "../../worker/errors/fields";
import { fieldProblemLine } from "../../worker/i18n/field-problems";
import type { Locale } from "../../worker/i18n/locales";

/** The sentence for a refused field; the API's own English for an error without a code. */
export const fieldSentence = (language: Locale, error: Partial<FieldError>): string =>
  error.code ? fieldProblemLine(language, { code: error.code, params: error.params }) : (error.message ?? "");

/** Each refused field's sentence, keyed by its path (the first of each field). */
export function sentences(language: Locale, errors: readonly Partial<FieldError>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) if (e.path) out[e.path] ??= fieldSentence(language, e);
  return out;
}
