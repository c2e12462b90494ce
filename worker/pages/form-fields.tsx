// The registration form's fields as plain HTML (hono/jsx escapes every text): the code page's
// REGISTER form and the admin's preview render the same markup. Each input has its label, its help
// and its error tied to it by aria-describedby; fields are named `answers.{key}`.

import type { FieldError } from "../errors/fields";
import { inLocale } from "../forms/display";
import type { AnswerValue, FormField, FormView } from "../forms/schema";
import { fieldProblemLine } from "../i18n/field-problems";
import type { Locale } from "../i18n/locales";

/** Errors keyed by field name (`answers.{key}`), as the problem's `errors` name them. */
export type FieldErrors = Record<string, string>;

const words = {
  en: {
    required: "required",
    choose: "Choose…",
    missing: "Required.",
    tick: "Tick this box to go on.",
    toAccept: "To accept, answer these questions",
  },
  fr: {
    required: "obligatoire",
    choose: "Choisir…",
    missing: "Obligatoire.",
    tick: "Cochez cette case pour continuer.",
    toAccept: "Pour accepter, répondez à ces questions",
  },
} satisfies Record<Locale, Record<string, string>>;

/** A refused answer as these fields word it, in the page's language (null: not an answer). */
export function answerError(locale: Locale, e: FieldError): string | null {
  if (!e.path.startsWith("answers.")) return null;
  return e.code === "required" ? words[locale].missing : e.code === "not_ticked" ? words[locale].tick : fieldProblemLine(locale, e);
}

/** The refused answers, worded, keyed as the fields are named (the first problem of each). */
export function answerErrors(locale: Locale, errors: readonly FieldError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const worded = answerError(locale, e);
    if (worded !== null) out[e.path] ??= worded;
  }
  return out;
}

export const answerName = (key: string) => `answers.${key}`;

/** Answers from a posted HTML form: `answers.{key}` fields, several values for a multiple choice. */
export function postedAnswers(
  fields: readonly FormField[],
  body: Record<string, string | File | (string | File)[]>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = body[answerName(f.key)];
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === "string");
    if (f.type === "multiChoice") out[f.key] = values;
    else if (values.length) out[f.key] = values[0];
  }
  return out;
}

function Field(props: { field: FormField; locale: Locale; idPrefix: string; value: AnswerValue | undefined; error: string | undefined }) {
  const { field: f, locale, idPrefix } = props;
  const id = `${idPrefix}-${f.key}`;
  const help = f.help ? inLocale(f.help, locale) : "";
  const describedBy = [help ? `${id}-help` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const label = inLocale(f.label, locale);
  const common = {
    id,
    name: answerName(f.key),
    "aria-describedby": describedBy,
    "aria-invalid": props.error ? "true" : undefined,
    required: f.required,
  };
  const asText = props.value === undefined || typeof props.value === "boolean" ? "" : String(props.value);
  const marker = f.required ? <span class="muted"> ({words[locale].required})</span> : null;
  const helpLine = help ? (
    <p class="muted" id={`${id}-help`}>
      {help}
    </p>
  ) : null;
  const errorLine = props.error ? (
    <p class="error" id={`${id}-error`}>
      {props.error}
    </p>
  ) : null;
  if (f.type === "checkbox") {
    return (
      <div class="field">
        <label>
          <input type="checkbox" {...common} checked={props.value === true} /> {label}
          {marker}
        </label>
        {helpLine}
        {errorLine}
      </div>
    );
  }
  if (f.type === "multiChoice" || f.type === "choice") {
    if (f.type === "choice" && (f.choices?.length ?? 0) > 5) {
      return (
        <div class="field">
          <label for={id}>
            {label}
            {marker}
          </label>
          {helpLine}
          <select {...common}>
            <option value="">{words[locale].choose}</option>
            {f.choices!.map((c) => (
              <option value={c.value} selected={props.value === c.value}>
                {inLocale(c.label, locale)}
              </option>
            ))}
          </select>
          {errorLine}
        </div>
      );
    }
    const picked = Array.isArray(props.value) ? props.value : [props.value];
    return (
      <fieldset class="field" aria-describedby={describedBy}>
        <legend>
          {label}
          {marker}
        </legend>
        {helpLine}
        {f.choices!.map((c, i) => (
          <label>
            <input
              type={f.type === "choice" ? "radio" : "checkbox"}
              id={`${id}-${i}`}
              name={answerName(f.key)}
              value={c.value}
              checked={picked.includes(c.value)}
              required={f.type === "choice" && f.required}
            />{" "}
            {inLocale(c.label, locale)}
          </label>
        ))}
        {errorLine}
      </fieldset>
    );
  }
  const type = { text: "text", phone: "tel", number: "number", date: "date" }[f.type as "text" | "phone" | "number" | "date"];
  return (
    <div class="field">
      <label for={id}>
        {label}
        {marker}
      </label>
      {helpLine}
      {f.type === "longText" ? (
        <textarea {...common} rows={4}>
          {asText}
        </textarea>
      ) : (
        <input type={type} {...common} value={asText} step={f.type === "number" ? "any" : undefined} />
      )}
      {errorLine}
    </div>
  );
}

/** Every field of the form, with the values given so far and each field's error (keyed `answers.{key}`). */
export function FormFields(props: {
  fields: readonly FormField[];
  locale: Locale;
  idPrefix?: string;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
}) {
  return (
    <>
      {props.fields.map((f) => (
        <Field
          field={f}
          locale={props.locale}
          idPrefix={props.idPrefix ?? "q"}
          value={props.values?.[f.key] as AnswerValue | undefined}
          error={props.errors?.[answerName(f.key)]}
        />
      ))}
    </>
  );
}

/** Accepting a session whose answers were refused: the answers as given, and why each was refused. */
export type Answered = { sessionId: string; answers: Record<string, unknown>; errors: readonly FieldError[] };

/**
 * A session's questions inside the form that accepts an invitation to it (the person's own page, a
 * program's page): answered on accepting, as registering answers them; declining needs none.
 */
export function AcceptQuestions(props: { sessionId: string; form: FormView; locale: Locale; answered?: Answered | undefined }) {
  const mine = props.answered?.sessionId === props.sessionId ? props.answered : undefined;
  return (
    <fieldset style="border:0;padding:0;margin:0;flex-basis:100%">
      <legend>{words[props.locale].toAccept}</legend>
      <input type="hidden" name="formVersion" value={String(props.form.version)} />
      <FormFields
        fields={props.form.fields}
        locale={props.locale}
        idPrefix={`q-${props.sessionId}`}
        values={mine?.answers}
        errors={mine ? answerErrors(props.locale, mine.errors) : undefined}
      />
    </fieldset>
  );
}

/** What an accepting form posted for a session's questions (none when it asks none). */
export function postedAnswering(form: FormView | null | undefined, body: Record<string, string | File | (string | File)[]>) {
  return form ? { answers: postedAnswers(form.fields, body), formVersion: Number(body.formVersion) } : {};
}
