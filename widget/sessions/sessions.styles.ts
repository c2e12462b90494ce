// Styles of <rollcall-sessions>; the shared theme comes first.

import { css } from "lit";

export const styles = css`
  ul {
    list-style: none;
    margin: 0.75em 0;
    padding: 0;
    display: grid;
    gap: 0.75em;
  }
  li {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.75em 1em;
  }
  h3 {
    font-size: 1.05em;
    overflow-wrap: anywhere;
  }
  .seats {
    font-weight: 700;
    color: var(--_accent);
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em 1em;
  }
  .filters .field {
    min-width: 10em;
  }
  a.join {
    display: inline-flex;
    align-items: center;
    min-height: 2.5em;
    padding: 0.4em 1.1em;
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_on-accent);
    text-decoration: none;
    font-weight: 600;
  }
  a.join:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
`;
