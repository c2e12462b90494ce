// Cursor paging shared by every list: a page's last row, as its sort key and id (the lists order
// by both, so pages neither skip nor repeat while rows are added), sealed in an opaque string.

import { fieldError } from "../errors/fields";
import { fail, type Outcome, ok } from "../errors/problem";
import { base64url, fromBase64 } from "../ids/ids";

/** A page's last row: its sort key (a start, a creation time) and its id. */
export type Cursor = { s: string; i: string };

export const encodeCursor = (c: Cursor) => base64url(new TextEncoder().encode(JSON.stringify(c)));

export function decodeCursor(text: string): Cursor | null {
  try {
    const c = JSON.parse(new TextDecoder().decode(fromBase64(text))) as Cursor;
    return typeof c.s === "string" && typeof c.i === "string" ? c : null;
  } catch {
    return null;
  }
}

/** The cursor a request gave (null: the first page), or the refusal naming it. */
export function readCursor(text: string | undefined): Outcome<Cursor | null> {
  if (!text) return ok(null);
  const cursor = decodeCursor(text);
  return cursor
    ? ok(cursor)
    : fail("validation_failed", "The cursor is not one this API gave out.", undefined, [fieldError("cursor", "invalid", "invalid cursor")]);
}
