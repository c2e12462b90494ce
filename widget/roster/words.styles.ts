// Styles of the invitation email's editor (<rollcall-words>); the shared theme and the provider's styles come first.

import { css } from "lit";

export const styles = css`
  :host {
    display: contents;
  }
  dialog {
    /* em here would follow the host page's font size: the dialog's own root sets ours. */
    font-size: var(--_size);
    padding: 0;
    border: 0;
    background: transparent;
    width: min(32em, calc(100vw - 2em));
    max-height: calc(100vh - 2em);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
  textarea {
    resize: vertical;
  }
`;
