// Where a member lands after signing in: the admin page they asked for before the sign-in form.
// It travels in the sign-in form's URL and in the emailed link (`?next=`), so anyone can write one:
// only a path of this worker's hosted admin is taken back, never another site. Pure.

/** The page a member lands on when no other (fit) page was asked for. */
export const DEFAULT_RETURN_PATH = "/admin/sessions";

const MAX_RETURN_PATH = 1000;
// A throwaway base: a relative path resolved against it must stay on it to be a path of ours.
const BASE = "https://rollcall.invalid";

/**
 * The admin page named by `value` (its path and query, as the URL parser writes them), or null
 * when it is not one: only text starting with /admin/, without "//" or "\" (which browsers may
 * read as another host), control characters or spaces, whose path, once "." and ".." segments
 * are resolved, is still under /admin/ and is not a one-time link.
 */
export function returnPath(value: unknown): string | null {
  if (typeof value !== "string" || value.length > MAX_RETURN_PATH) return null;
  if (!value.startsWith("/admin/") || value.includes("//") || value.includes("\\") || /[\s\p{Cc}]/u.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE || !url.pathname.startsWith("/admin/") || url.pathname.startsWith("/admin/link/")) return null;
  return `${url.pathname}${url.search}`;
}

/** `?next=…` for a URL that carries the page to land on; nothing for the default page. */
export function nextQuery(path: string | null): string {
  return path && path !== DEFAULT_RETURN_PATH ? `?next=${encodeURIComponent(path)}` : "";
}
