// Styles of the invitation email's editor (<rollcall-words>); the shared theme and the provider's styles come first.

import { css } from "lit";

export const styles = css`
  :host {
    display: contents;
    --_dialog-width: 32em;
  }
  textarea {
    resize: vertical;
  }
`;
