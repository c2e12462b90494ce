// Form fields of the hosted admin: each one labelled, its hint and its error tied to it with
// aria-describedby, and marked invalid when it is, so forms read well without JavaScript and
// with a screen reader.

import type { JSX } from "hono/jsx";
import { LOCALE_NAMES, LOCALES } from "../i18n/locales";
import type { Strings } from "./i18n";

export type FieldErrors = Record<string, string>;

type Common = { name: string; label: string; hint?: string; errors?: FieldErrors; required?: boolean };

/** Further attributes of the control itself (maxlength, autocomplete, min…). */
type InputAttributes = JSX.IntrinsicElements["input"];
type TextareaAttributes = JSX.IntrinsicElements["textarea"];

/** The attributes every control shares: required, invalid, and what describes it. */
function described(name: string, required: boolean | undefined, hint: string | undefined, error: string | undefined) {
  const ids = [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean).join(" ");
  return {
    required: required || undefined,
    "aria-invalid": error ? "true" : undefined,
    "aria-describedby": ids || undefined,
  };
}

function Notes(props: { name: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {props.hint && (
        <span class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </span>
      )}
      {props.error && (
        <span class="error" id={`${props.name}-error`}>
          {props.error}
        </span>
      )}
    </>
  );
}

export function InputField(f: Common & { value?: string | number | null; type?: string; attrs?: InputAttributes; inputClass?: string }) {
  const error = f.errors?.[f.name];
  return (
    <div class="field">
      <label for={f.name}>{f.label}</label>
      <Notes name={f.name} hint={f.hint} error={error} />
      <input
        id={f.name}
        name={f.name}
        type={f.type ?? "text"}
        value={f.value ?? ""}
        class={f.inputClass}
        {...described(f.name, f.required, f.hint, error)}
        {...f.attrs}
      />
    </div>
  );
}

export function TextareaField(f: Common & { value?: string | null; attrs?: TextareaAttributes; inputClass?: string }) {
  const error = f.errors?.[f.name];
  return (
    <div class="field">
      <label for={f.name}>{f.label}</label>
      <Notes name={f.name} hint={f.hint} error={error} />
      <textarea id={f.name} name={f.name} class={f.inputClass} {...described(f.name, f.required, f.hint, error)} {...f.attrs}>
        {f.value ?? ""}
      </textarea>
    </div>
  );
}

/** A choice. */
export type SelectOption = { value: string; label: string };

const CURRENCIES = ["EUR", "USD", "GBP", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "JPY"];

/** The currencies a price or an amount may be set in, with `selected` first when it is none of them (set through the API). */
export function currencyOptions(selected: string): SelectOption[] {
  const codes = selected && !CURRENCIES.includes(selected) ? [selected, ...CURRENCIES] : CURRENCIES;
  return codes.map((code) => ({ value: code, label: code }));
}

/** Each language Rollcall speaks, in its own words. */
export const localeOptions: SelectOption[] = LOCALES.map((locale) => ({ value: locale, label: LOCALE_NAMES[locale] }));

export function SelectField(f: Common & { value?: string | null; options: SelectOption[]; attrs?: JSX.IntrinsicElements["select"] }) {
  const error = f.errors?.[f.name];
  return (
    <div class="field">
      <label for={f.name}>{f.label}</label>
      <Notes name={f.name} hint={f.hint} error={error} />
      <select id={f.name} name={f.name} {...described(f.name, f.required, f.hint, error)} {...f.attrs}>
        {f.options.map((o) => (
          <option value={o.value} selected={o.value === f.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField(f: Common & { checked: boolean }) {
  const error = f.errors?.[f.name];
  const { "aria-describedby": describedBy } = described(f.name, false, f.hint, error);
  return (
    <div class="field check">
      <input id={f.name} name={f.name} type="checkbox" value="on" checked={f.checked} aria-describedby={describedBy} />
      <label for={f.name}>{f.label}</label>
      <Notes name={f.name} hint={f.hint} error={error} />
    </div>
  );
}

/** One choice among a few, as radio buttons in a fieldset whose legend asks the question. */
export function RadioField(f: { name: string; legend: string; options: SelectOption[]; value: string }) {
  return (
    <fieldset class="choice">
      <legend>{f.legend}</legend>
      {f.options.map((o) => (
        <div class="check">
          <input type="radio" id={`${f.name}-${o.value}`} name={f.name} value={o.value} checked={o.value === f.value} />
          <label for={`${f.name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** The list of problems at the top of a refused form, each linking to its field. */
export function ErrorSummary(props: { t: Pick<Strings, "fixErrors" | "colon">; errors: FieldErrors; labels: Record<string, string> }) {
  const entries = Object.entries(props.errors);
  if (!entries.length) return null;
  return (
    <div class="alert" role="alert" tabindex={-1}>
      <p>
        <strong>{props.t.fixErrors}</strong>
      </p>
      <ul>
        {entries.map(([name, message]) => (
          <li>
            {props.labels[name] && (
              <>
                <a href={`#${name}`}>{props.labels[name]}</a>
                {props.t.colon}
              </>
            )}
            {message}
          </li>
        ))}
      </ul>
    </div>
  );
}
