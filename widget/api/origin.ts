// Where the API lives when an element has no `api` attribute: the origin the widget was loaded from.
//
// The rule, in one place: rollcall.js and every chunk it imports are served from one folder
// (/widget/ of the API's host), so this module's own URL has the loader's origin, whichever chunk
// it ends up in. An element bundled into a site's own code (its define.ts) gets that site's origin
// here, and needs the `api` attribute, or one configure({ api }) for every element of the page.

export const scriptOrigin = new URL(import.meta.url).origin;

/** What the site's own code chose for every element (the npm package's `configure`/`define`). */
export const configured: { api?: string } = {};

/** Sets the API base of every element that has no `api` attribute (the package's explicit option). */
export function configure(options: { api?: string }) {
  configured.api = options.api;
}
