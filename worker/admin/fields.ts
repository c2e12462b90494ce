// Form fields of the hosted admin: each one labelled, its hint and its error tied to it with
// aria-describedby, and marked invalid when it is, so forms read well without JavaScript and
// with a screen reader.

import { html } from "hono/html";
import type { Markup } from "./layout";

export type FieldErrors = Record<string, string>;

type Common = { name: string; label: string; hint?: string; errors?: FieldErrors; required?: boolean };

function describedBy(name: string, hint?: string, error?: string) {
  const ids = [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean).join(" ");
  return ids ? html`aria-describedby="${ids}"` : "";
}

function notes(name: string, hint?: string, error?: string) {
  return html`${hint ? html`<span class="hint" id="${name}-hint">${hint}</span>` : ""}${error ? html`<span class="error" id="${name}-error">${error}</span>` : ""}`;
}

export function inputField(f: Common & { value?: string | number | null; type?: string; attrs?: Markup; inputClass?: string }) {
  const error = f.errors?.[f.name];
  return html`<div class="field">
  <label for="${f.name}">${f.label}</label>${notes(f.name, f.hint, error)}
  <input id="${f.name}" name="${f.name}" type="${f.type ?? "text"}" value="${f.value ?? ""}" class="${f.inputClass ?? ""}"
    ${f.required ? html`required` : ""} ${error ? html`aria-invalid="true"` : ""} ${describedBy(f.name, f.hint, error)} ${f.attrs ?? ""}>
</div>`;
}

export function textareaField(f: Common & { value?: string | null; attrs?: Markup; inputClass?: string }) {
  const error = f.errors?.[f.name];
  return html`<div class="field">
  <label for="${f.name}">${f.label}</label>${notes(f.name, f.hint, error)}
  <textarea id="${f.name}" name="${f.name}" class="${f.inputClass ?? ""}" ${f.required ? html`required` : ""} ${error ? html`aria-invalid="true"` : ""}
    ${describedBy(f.name, f.hint, error)} ${f.attrs ?? ""}>${f.value ?? ""}</textarea>
</div>`;
}

export function selectField(f: Common & { value?: string | null; options: { value: string; label: string }[] }) {
  const error = f.errors?.[f.name];
  return html`<div class="field">
  <label for="${f.name}">${f.label}</label>${notes(f.name, f.hint, error)}
  <select id="${f.name}" name="${f.name}" ${f.required ? html`required` : ""} ${error ? html`aria-invalid="true"` : ""} ${describedBy(f.name, f.hint, error)}>
    ${f.options.map((o) => html`<option value="${o.value}" ${o.value === f.value ? html`selected` : ""}>${o.label}</option>`)}
  </select>
</div>`;
}

export function checkboxField(f: Common & { checked: boolean }) {
  const error = f.errors?.[f.name];
  return html`<div class="field check">
  <input id="${f.name}" name="${f.name}" type="checkbox" value="on" ${f.checked ? html`checked` : ""} ${describedBy(f.name, f.hint, error)}>
  <label for="${f.name}">${f.label}</label>${notes(f.name, f.hint, error)}
</div>`;
}

/** The list of problems at the top of a refused form, each linking to its field. */
export function errorSummary(title: string, errors: FieldErrors, labels: Record<string, string>) {
  const entries = Object.entries(errors);
  if (!entries.length) return "";
  return html`<div class="alert" role="alert" tabindex="-1"><p><strong>${title}</strong></p><ul>
    ${entries.map(([name, message]) => html`<li>${labels[name] ? html`<a href="#${name}">${labels[name]}</a>: ` : ""}${message}</li>`)}
  </ul></div>`;
}
