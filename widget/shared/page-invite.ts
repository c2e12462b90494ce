// The invitation token in the page's own address: `?rollcall_invite=<token>`, where an org's
// invitation link template sends people. The token is a bearer secret, so the element it is for
// takes it out of the address bar (history.replaceState, the rest of the URL untouched):
// it then stays out of the history, bookmarks, copied links, and the Referer of every later
// request the page makes. The element keeps it in memory only (a reload shows the session; the
// email's link shows the invitation again). <rollcall-join> imports this module only when the
// address has such a parameter, so a public page without one does not download it.

const PARAM = "rollcall_invite";

/**
 * The page's invitation token, taken out of the address bar, when it is for an element of
 * `session`: the token names that session (tokens read `<session id>.<secret>`, worker/ids/ids.ts)
 * or the element names none. Another session's element leaves it where it is, for its own element.
 */
export function pageInvite(session: string | undefined): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get(PARAM);
  // startsWith("") holds for any token: an element that names no session takes it.
  if (!token?.startsWith(session ? `${session}.` : "")) return null;
  url.searchParams.delete(PARAM);
  history.replaceState(history.state, "", url);
  return token;
}
