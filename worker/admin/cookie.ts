// The admin session cookie: HttpOnly, SameSite=Lax, Path=/, and Secure with the `__Host-` prefix
// (which pins it to this host and path) everywhere but a developer's own machine, where the
// admin is served over plain http.

import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { isSecureHost, ADMIN_COOKIE as NAME } from "../auth/admin-cookie";

// Reading it is auth/'s, which the hosted public pages share.
export { isSecureHost, readSessionCookie, sessionCookieName } from "../auth/admin-cookie";

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
