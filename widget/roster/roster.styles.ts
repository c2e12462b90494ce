// Styles of <rollcall-roster>; the shared theme comes first.

import { css } from "lit";

export const styles = css`
  section {
    margin-top: 1.25em;
    /* On a phone a group's table scrolls sideways inside the card instead of running out of it. */
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9375em;
  }
  th,
  td {
    text-align: start;
    padding: 0.45em 0.5em;
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
  }
  th {
    font-size: 0.8125em;
    color: var(--_muted);
  }
  .row-actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.35em;
  }
  .flag {
    display: inline-block;
    margin-inline-start: 0.3em;
    padding: 0 0.5em;
    border: 1px solid var(--_danger);
    border-radius: 999px;
    color: var(--_danger);
    font-size: 0.8125em;
    font-weight: 600;
  }
  .flag.note {
    border-color: var(--_border);
    color: var(--_muted);
  }
  button.danger {
    border-color: var(--_danger);
    background: var(--_danger);
  }
  dialog {
    /* em here would follow the host page's font size: the dialog's own root sets ours. */
    font-size: var(--_size);
    padding: 0;
    border: 0;
    background: transparent;
    width: min(32em, calc(100vw - 2em));
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
  dialog .actions {
    justify-content: flex-end;
  }
`;
