// Styles of <rollcall-invite>; the shared theme comes first.

import { css } from "lit";

export const styles = css`
  :host {
    display: inline-block;
    --_dialog-width: 40em;
  }
  .opener {
    display: inline-block;
  }
  .recipients {
    display: flex;
    flex-wrap: wrap;
    gap: 0.35em;
    padding: 0.35em;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    max-height: 12em;
    overflow: auto;
  }
  .recipients:focus-within {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .chips {
    display: contents;
    list-style: none;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    padding: 0.1em 0.2em 0.1em 0.6em;
    border: 1px solid var(--_border);
    border-radius: 999px;
    font-size: 0.875em;
  }
  .chip.invalid {
    color: var(--_danger);
    border: 2px dashed var(--_danger);
    font-weight: 600;
  }
  .edit {
    min-height: auto;
    padding: 0;
    border: 0;
    background: transparent;
    color: inherit;
    font-weight: inherit;
    text-decoration: underline dotted;
    cursor: text;
  }
  .chip.editing {
    padding: 0;
    border: 0;
  }
  .recipients .chip-edit {
    width: 16em;
    max-width: 100%;
    padding: 0.15em 0.5em;
    border: 2px solid var(--_danger);
    border-radius: 999px;
    font-size: 1em;
  }
  .when {
    display: block;
  }
  .x {
    min-height: 1.6em;
    width: 1.6em;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
  }
  .recipients input {
    flex: 1 1 12em;
    border: 0;
    outline: none;
    padding: 0.3em;
  }
  .count {
    margin-top: -0.6em;
    text-align: end;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    margin: 0 0 0.9em;
    padding: 0.5em 0.9em;
  }
  legend {
    font-weight: 600;
    padding: 0 0.3em;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.5em;
    margin: 0.4em 0;
  }
  .check label {
    font-weight: 400;
  }
  .check + .hint {
    margin: -0.4em 0 0.4em 1.6em;
  }
  details {
    margin-bottom: 0.9em;
  }
  summary {
    cursor: pointer;
    color: var(--_accent);
    font-weight: 600;
  }
  iframe {
    width: 100%;
    height: 22em;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    background: #fff;
  }
  .row {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(12em, 1fr));
    gap: 0 1em;
  }
  /* Green says something was done: not when everyone was skipped, nor for the list of who was. */
  .sent {
    color: var(--_success);
  }
  /* The form's Send and Cancel stay in sight while the dialog scrolls (a phone). */
  form > .actions {
    position: sticky;
    bottom: 0;
    margin: 0 -1.25em -1.25em;
    padding: 0.75em 1.25em;
    background: var(--_surface);
    border-top: 1px solid var(--_border);
  }
`;
