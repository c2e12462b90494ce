// Headers a middleware adds to the answer its handler gave. hono's `c.header()` after the handler
// copies the whole Response for every header it sets, and assigning `c.res` copies it again; these
// run on every request, so they write into the answer's own headers instead.

import type { Context } from "hono";

/**
 * Changes the answer's headers in place. An answer whose headers cannot change (one passed on from
 * a `fetch`) throws at the first change; it is then copied, and `edit` runs on the copy.
 */
export function editHeaders(c: Context, edit: (headers: Headers) => void): void {
  try {
    edit(c.res.headers);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    c.res = new Response(c.res.body, c.res);
    edit(c.res.headers);
  }
}
