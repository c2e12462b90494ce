// Where the API lives when an element has no `api` attribute: the origin the widget was loaded from.
//
// The rule, in one place: rollcall.js and every chunk it imports are served from one folder
// (/widget/ of the API's host), so this module's own URL has the loader's origin, whichever chunk
// it ends up in. An element bundled into a site's own code (its define.ts) gets that site's origin
// here, and needs the `api` attribute.

export const scriptOrigin = new URL(import.meta.url).origin;
