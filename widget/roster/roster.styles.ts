// Styles of <rollcall-roster>; the shared theme comes first.

import { css } from "lit";

export const styles = css`
  :host {
    --_dialog-width: 28em;
  }
  .root.card {
    /* The rows' layout follows the roster's own width, wherever the host page puts it. */
    container-type: inline-size;
  }
  section {
    margin-top: 1.25em;
    /* A last resort: nothing in a group may push the page sideways. */
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
  td.email {
    overflow-wrap: anywhere;
  }
  .row-actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.35em;
  }
  tr.waiting td {
    opacity: 0.55;
  }
  .summary {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25em 0.6em;
  }
  .badge {
    display: inline-block;
    padding: 0 0.6em;
    border: 1px solid var(--_border);
    border-radius: 999px;
    font-size: 0.875em;
    font-weight: 600;
  }
  .badge.state-full,
  .badge.state-cancelled {
    border-color: var(--_danger);
    color: var(--_danger);
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
  .when {
    color: var(--_muted);
  }
  button.danger-text {
    color: var(--_danger);
    border-color: var(--_danger);
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: #fff;
  }
  /* What was done, or is about to be with its Undo: kept in sight at the bottom of the roster. */
  .toasts {
    position: sticky;
    bottom: 0.75em;
    display: grid;
    justify-items: center;
    gap: 0.4em;
    margin-top: 0.75em;
  }
  .toast {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 0.3em 0.8em;
    margin: 0;
    padding: 0.5em 0.9em;
    max-width: 100%;
    border-radius: var(--_radius);
    background: var(--_text);
    color: var(--_surface);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.2);
  }
  .toast button {
    background: var(--_surface);
    color: var(--_text);
    border-color: var(--_surface);
  }
  /* A narrow roster (a phone): each row is a card, its actions under the person, all in reach. */
  @container (max-width: 40em) {
    table,
    tbody,
    tr,
    td {
      display: block;
    }
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
    tr {
      padding: 0.6em 0;
      border-bottom: 1px solid var(--_border);
    }
    td {
      border: 0;
      padding: 0.1em 0;
    }
    td.name {
      font-weight: 600;
    }
    td.name:empty {
      display: none;
    }
    .row-actions {
      justify-content: flex-start;
      margin-top: 0.35em;
    }
  }
  .answers {
    display: block;
    font-weight: normal;
    font-size: 0.875em;
    color: var(--_muted);
  }
`;
