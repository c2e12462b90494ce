// Styles of <rollcall-join>; the shared theme comes first.

import { css } from "lit";

export const styles = css`
  .seats {
    font-weight: 700;
    color: var(--_accent);
  }
  .state {
    font-weight: 600;
  }
  .invitation {
    border-inline-start: 4px solid var(--_accent);
    padding-inline-start: 0.75em;
    margin: 0.75em 0;
  }
  form {
    margin-top: 1em;
    max-width: 28em;
  }
  .message {
    color: var(--_success);
    margin-top: 1em;
  }
  .message:focus,
  h3:focus {
    outline: none;
  }
  h3 {
    font-size: 1em;
    margin: 0 0 0.5em;
  }
  .actions a {
    align-self: center;
  }
  .choice {
    display: flex;
    gap: 0.5em;
    align-items: center;
    font-weight: 400;
  }
  .choice input {
    width: auto;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0 0 0.9em;
  }
  legend {
    font-weight: 600;
  }
`;
