// One labelled form field with its hint and its error, wired for assistive technology: the error
// is announced (aria-live), and the control points at it (aria-invalid, aria-describedby). A
// required field's label shows the marker and its control says it (aria-required): the forms are
// novalidate and check themselves, so the native `required` is not used.

import { html, nothing, type TemplateResult } from "lit";

export type Described = { invalid: "true" | "false"; describedby: string; required: "true" | "false" };

/** The visible mark of a required field; assistive technology hears aria-required instead. */
export const requiredMark = html`<span aria-hidden="true"> *</span>`;

export function field(
  id: string,
  label: string,
  error: string | undefined,
  control: (a: Described) => TemplateResult,
  hint?: string,
  required?: boolean,
): TemplateResult {
  const describedby = hint ? `${id}-error ${id}-hint` : `${id}-error`;
  return html`<div class="field">
    <label for=${id} part="label">${label}${required ? requiredMark : nothing}</label>
    ${control({ invalid: error ? "true" : "false", describedby, required: required ? "true" : "false" })}
    ${hint ? html`<span id="${id}-hint" class="muted">${hint}</span>` : nothing}
    <span id="${id}-error" class="error" part="error" aria-live="polite">${error ?? ""}</span>
  </div>`;
}
