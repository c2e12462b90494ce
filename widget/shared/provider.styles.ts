// What the provider's elements (roster, invite) add to the shared theme: small buttons, check
// boxes, sub-headings, modal dialogs and text for screen readers only. Kept out of the theme so
// the public page does not download it.

import { css } from "lit";

export const providerStyles = css`
  h3 {
    font-size: 1em;
  }
  button.small {
    min-height: 2em;
    padding: 0.15em 0.7em;
    font-size: 0.875em;
  }
  input[type="checkbox"],
  input[type="radio"] {
    width: auto;
    accent-color: var(--_accent);
  }
  /*
   * The modal dialogs (the invite's, its picker's, the roster's question, the email's words), each
   * as wide as its element's --_dialog-width. em here would follow the host page's font size: the
   * dialog's own root sets ours.
   */
  dialog {
    font-size: var(--_size);
    padding: 0;
    border: 0;
    background: transparent;
    width: min(var(--_dialog-width), calc(100vw - 2em));
    max-height: calc(100vh - 2em);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
