// The admin session cookie's name and how a request carries it back: `__Host-rollcall_admin`
// (Secure, pinned to this host, Path=/) everywhere but a developer's own machine, where the admin is
// served over plain http. Read by the hosted admin and by the hosted public pages of this same
// origin (a host signed in sees "You are attending!" on their session's page).

import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { isLoopbackUrl } from "../config/dev-mode";

export const ADMIN_COOKIE = "rollcall_admin";

export function isSecureHost(url: string): boolean {
  return !isLoopbackUrl(url);
}

/** The cookie's full name on this host, as a browser sends it back. */
export function sessionCookieName(url: string): string {
  return isSecureHost(url) ? `__Host-${ADMIN_COOKIE}` : ADMIN_COOKIE;
}

export function readSessionCookie(c: Context): string | undefined {
  return isSecureHost(c.req.url) ? getCookie(c, ADMIN_COOKIE, "host") : getCookie(c, ADMIN_COOKIE);
}
