// The look every element shares: theme tokens read from --rollcall-* custom properties (with the
// documented defaults), and a root that resets whatever the host page lets inherit into us.

import { css } from "lit";

export const theme = css`
  :host {
    --_accent: var(--rollcall-accent, #1d4ed8);
    --_on-accent: var(--rollcall-on-accent, #ffffff);
    --_surface: var(--rollcall-surface, #ffffff);
    --_text: var(--rollcall-text, #1c1f26);
    --_muted: var(--rollcall-muted, #4b5563);
    --_border: var(--rollcall-border, #c4c9d2);
    --_danger: var(--rollcall-danger, #b42318);
    --_success: var(--rollcall-success, #0f6b3a);
    --_radius: var(--rollcall-radius, 8px);
    --_font: var(--rollcall-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
    --_size: var(--rollcall-font-size, 16px);
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
  /* Inherited properties of a hostile page stop here: everything below is ours. */
  .root {
    all: initial;
    display: block;
    box-sizing: border-box;
    font-family: var(--_font);
    font-size: var(--_size);
    line-height: 1.5;
    color: var(--_text);
    text-align: start;
  }
  .card {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1.25em;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h2,
  h3,
  p {
    margin: 0 0 0.5em;
  }
  h2 {
    font-size: 1.25em;
    line-height: 1.3;
  }
  .muted {
    color: var(--_muted);
    font-size: 0.875em;
  }
  button {
    font: inherit;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-height: 2.5em;
    padding: 0.4em 1.1em;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin-top: 1em;
  }
  .field {
    display: grid;
    gap: 0.25em;
    margin-bottom: 0.9em;
  }
  label {
    font-weight: 600;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.45em 0.6em;
    width: 100%;
  }
  [aria-invalid="true"] {
    border-color: var(--_danger);
    border-width: 2px;
  }
  .error {
    color: var(--_danger);
    font-size: 0.875em;
  }
  .error:empty {
    display: none;
  }
`;
