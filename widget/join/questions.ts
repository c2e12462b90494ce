// The session's registration form inside <rollcall-join>: a chunk of its own, loaded only when the
// session has a form, so the public join page keeps its budget. Each question is labelled, its
// help and its error tied to its control (aria-describedby), its error announced; errors come from
// a missing required answer here or from the API's 422 (`errors[].path` = `answers.{key}`).

import { css, html, type LitElement, nothing, type TemplateResult } from "lit";
import type { Locale } from "../../worker/i18n/locales";
import type { Problem, PublicSession } from "../api/client";
import { field, requiredMark } from "../shared/field";

type Form = NonNullable<PublicSession["form"]>;
type Question = Form["fields"][number];

const words = {
  en: { required: "Required.", tick: "Tick this box to go on.", choose: "Choose…" },
  fr: { required: "Obligatoire.", tick: "Cochez cette case pour continuer.", choose: "Choisir…" },
};

const nameOf = (q: Question) => `answers.${q.key}`;
const idOf = (q: Question) => `q-${q.key}`;

const sheet = css`
  fieldset {
    border: 0;
    padding: 0;
  }
  .choice {
    display: block;
  }
`.styleSheet;

/**
 * <rollcall-join> as this chunk works on it (as invitation.ts does): the same object, its private
 * state included, so the element itself only calls in.
 */
type Host = LitElement & { data?: PublicSession; errors: Record<string, string | undefined>; t: { language: Locale } };

/**
 * Every question of the session's form (nothing when it has none), with the errors keyed
 * `answers.{key}`: asked of whoever takes a place, on registering or on accepting an invitation.
 * Its few styles join the element's own the first time.
 */
export function render(el: LitElement): TemplateResult | typeof nothing {
  const host = el as Host;
  const form = host.data?.form;
  if (!form) return nothing;
  const root = el.renderRoot as ShadowRoot;
  if (sheet && root.adoptedStyleSheets && !root.adoptedStyleSheets.includes(sheet))
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  return html`${form.fields.map((q) => question(q, host.t.language, host.errors[nameOf(q)]))}`;
}

/**
 * What the registration or the acceptance sends beside name and address: the answers and the form
 * version they answer (the API says form_changed when it is no longer current). Required questions
 * left empty are added to `errors`.
 */
export function answers(el: LitElement, form: HTMLFormElement, errors: Record<string, string>) {
  const host = el as Host;
  const spec = host.data?.form;
  if (!spec) return {};
  const given = readAnswers(form, spec);
  Object.assign(errors, missing(spec, given, host.t.language));
  return { answers: given, formVersion: spec.version };
}

/** A refusal: when the questions changed while the visitor answered (form_changed), the new ones are shown. */
export function refused(el: LitElement, problem: Problem): void {
  const host = el as Host;
  if (problem.code === "form_changed" && host.data) host.data = { ...host.data, form: problem.form as PublicSession["form"] };
}

function question(q: Question, locale: Locale, error: string | undefined): TemplateResult {
  const id = idOf(q);
  const label = q.label[locale];
  const required = q.required ? "true" : "false";
  const mark = q.required ? requiredMark : nothing;
  const help = q.help?.[locale] || undefined;
  if (q.type === "choice" || q.type === "multiChoice") {
    // Radio buttons are required as a group (a radiogroup may say so); checkboxes have no required
    // state of their own, so a required set of them is described as such by a hidden sentence.
    const radio = q.type === "choice";
    const said = q.required && !radio;
    const describedby = `${id}-error${help ? ` ${id}-hint` : ""}${said ? ` ${id}-required` : ""}`;
    const inside = html`<legend part="label">${label}${mark}</legend>
      ${(q.choices ?? []).map(
        (c, i) =>
          html`<label class="choice"><input type=${radio ? "radio" : "checkbox"} id="${id}-${i}" name=${nameOf(q)} .value=${c.value} /> ${c.label[locale]}</label>`,
      )}
      ${help ? html`<span id="${id}-hint" class="muted">${help}</span>` : nothing}
      ${said ? html`<span id="${id}-required" hidden>${words[locale].required}</span>` : nothing}
      <span id="${id}-error" class="error" part="error" aria-live="polite">${error ?? ""}</span>`;
    const invalid = error ? "true" : "false";
    return radio
      ? html`<fieldset class="field" role="radiogroup" aria-required=${required} aria-describedby=${describedby} aria-invalid=${invalid}>${inside}</fieldset>`
      : html`<fieldset class="field" aria-describedby=${describedby} aria-invalid=${invalid}>${inside}</fieldset>`;
  }
  if (q.type === "checkbox") {
    const describedby = `${id}-error${help ? ` ${id}-hint` : ""}`;
    return html`<div class="field">
      <label class="choice" part="label"><input type="checkbox" id=${id} name=${nameOf(q)} aria-invalid=${error ? "true" : "false"} aria-required=${required} aria-describedby=${describedby} /> ${label}${mark}</label>
      ${help ? html`<span id="${id}-hint" class="muted">${help}</span>` : nothing}
      <span id="${id}-error" class="error" part="error" aria-live="polite">${error ?? ""}</span>
    </div>`;
  }
  const types: Record<string, "text" | "tel" | "number" | "date"> = { text: "text", phone: "tel", number: "number", date: "date" };
  const type = types[q.type];
  return field(
    id,
    label,
    error,
    (a) =>
      type
        ? html`<input id=${id} name=${nameOf(q)} type=${type} part="input" aria-invalid=${a.invalid} aria-required=${a.required} aria-describedby=${a.describedby} />`
        : html`<textarea id=${id} name=${nameOf(q)} part="input" rows="3" aria-invalid=${a.invalid} aria-required=${a.required} aria-describedby=${a.describedby}></textarea>`,
    help,
    q.required,
  );
}

/** The answers in the form, typed as the API takes them; empty answers left out. */
export function readAnswers(form: HTMLFormElement, spec: Form): Record<string, string | number | boolean | string[]> {
  const data = new FormData(form);
  const out: Record<string, string | number | boolean | string[]> = {};
  for (const q of spec.fields) {
    const values = data.getAll(nameOf(q)).map((v) => String(v).trim());
    if (q.type === "multiChoice") {
      if (values.length) out[q.key] = values;
    } else if (q.type === "checkbox") {
      if (values.length) out[q.key] = true;
    } else if (values[0]) out[q.key] = q.type === "number" && Number.isFinite(Number(values[0])) ? Number(values[0]) : values[0];
  }
  return out;
}

/** Required questions left empty, keyed as the API names them. */
export function missing(spec: Form, answers: Record<string, unknown>, locale: Locale): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of spec.fields)
    if (q.required && answers[q.key] === undefined) out[nameOf(q)] = q.type === "checkbox" ? words[locale].tick : words[locale].required;
  return out;
}
