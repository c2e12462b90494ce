// The admin session cookie: HttpOnly, SameSite=Lax, Path=/, and Secure with the `__Host-` prefix
// (which pins it to this host and path) everywhere but a developer's own machine, where the
// admin is served over plain http.

import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { isLoopbackUrl } from "../config/dev-mode";

const NAME = "rollcall_admin";

export function isSecureHost(url: string): boolean {
  return !isLoopbackUrl(url);
}

/** The cookie's full name on this host, as a browser sends it back. */
export function sessionCookieName(url: string): string {
  return isSecureHost(url) ? `__Host-${NAME}` : NAME;
}

export function readSessionCookie(c: Context): string | undefined {
  return isSecureHost(c.req.url) ? getCookie(c, NAME, "host") : getCookie(c, NAME);
}

export function writeSessionCookie(c: Context, secret: string, expiresAt: Date): void {
  const secure = isSecureHost(c.req.url);
  setCookie(c, NAME, secret, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    expires: expiresAt,
    ...(secure ? { secure: true, prefix: "host" as const } : {}),
  });
}

export function clearSessionCookie(c: Context): void {
  const secure = isSecureHost(c.req.url);
  deleteCookie(c, NAME, { httpOnly: true, sameSite: "Lax", path: "/", ...(secure ? { secure: true, prefix: "host" as const } : {}) });
}
