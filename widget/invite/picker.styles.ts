// Styles of the participant picker (<rollcall-picker>); the shared theme and the provider's styles come first.

import { css } from "lit";

export const styles = css`
  /* Outside its dialog the picker is a chip in the invite form's line, beside the button that opens it. */
  :host {
    display: inline;
    --_dialog-width: 40em;
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
  .x {
    min-height: 1.6em;
    width: 1.6em;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
  }
  /* Over the invite's dialog, whose backdrop already darkens the page. */
  dialog::backdrop {
    background: rgb(0 0 0 / 0.3);
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    margin: 0 0 0.9em;
    padding: 0.5em 0.9em 0;
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(8em, 1fr));
    gap: 0 0.75em;
    min-width: 0;
  }
  legend,
  .label {
    font-weight: 600;
    padding: 0 0.3em;
  }
  .label {
    padding: 0;
    margin: 0;
  }
  .groups {
    margin-bottom: 0.9em;
  }
  summary {
    cursor: pointer;
    color: var(--_accent);
    font-weight: 600;
  }
  .groups ul {
    list-style: none;
    margin: 0.4em 0 0;
    padding: 0;
    max-height: 10em;
    overflow: auto;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.5em;
    margin: 0.3em 0;
  }
  .check label {
    font-weight: 400;
    overflow-wrap: anywhere;
  }
  .bulk {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    margin-bottom: 0.5em;
  }
  [role="listbox"] {
    max-height: 18em;
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    margin-bottom: 0.25em;
  }
  .option {
    display: flex;
    align-items: flex-start;
    gap: 0.6em;
    padding: 0.45em 0.6em;
    cursor: pointer;
    border-bottom: 1px solid var(--_border);
  }
  .option:last-child {
    border-bottom: 0;
  }
  .option[aria-selected="true"] {
    background: color-mix(in srgb, var(--_accent) 10%, var(--_surface));
  }
  /* The option the keyboard is on, while the list has focus. */
  [role="listbox"]:focus-visible .option.active,
  [role="listbox"]:focus .option.active {
    outline: 3px solid var(--_accent);
    outline-offset: -3px;
  }
  .box {
    flex: none;
    width: 1.1em;
    height: 1.1em;
    margin-top: 0.2em;
    border: 2px solid var(--_muted);
    border-radius: 3px;
    display: grid;
    place-items: center;
    font-size: 0.9em;
    line-height: 1;
  }
  [aria-selected="true"] .box {
    background: var(--_accent);
    border-color: var(--_accent);
  }
  [aria-selected="true"] .box::after {
    content: "✓";
    color: var(--_on-accent);
    font-weight: 700;
  }
  .who {
    display: grid;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .count {
    margin: 0.75em 0 0.25em;
    font-weight: 600;
  }
  .error.count {
    font-size: 1em;
  }
  /* Done and Back stay in sight while the dialog scrolls (a phone). */
  .card > .actions {
    position: sticky;
    bottom: 0;
    margin: 0.75em -1.25em -1.25em;
    padding: 0.75em 1.25em;
    background: var(--_surface);
    border-top: 1px solid var(--_border);
  }
`;
