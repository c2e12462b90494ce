// What the provider's elements (roster, invite) add to the shared theme: small buttons, check
// boxes, sub-headings and text for screen readers only. Kept out of the theme so the public page
// does not download it.

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
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
