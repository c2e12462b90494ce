// One labelled form field with its hint and its error, wired for assistive technology: the error
// is announced (aria-live), and the control points at it (aria-invalid, aria-describedby).

import { html, nothing, type TemplateResult } from "lit";

export type Described = { invalid: "true" | "false"; describedby: string };

export function field(
  id: string,
  label: string,
  error: string | undefined,
  control: (a: Described) => TemplateResult,
  hint?: string,
): TemplateResult {
  const describedby = hint ? `${id}-error ${id}-hint` : `${id}-error`;
  return html`<div class="field">
    <label for=${id} part="label">${label}</label>
    ${control({ invalid: error ? "true" : "false", describedby })}
    ${hint ? html`<span id="${id}-hint" class="muted">${hint}</span>` : nothing}
    <span id="${id}-error" class="error" part="error" aria-live="polite">${error ?? ""}</span>
  </div>`;
}
