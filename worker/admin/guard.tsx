// The hosted admin's gatekeeping, in the order it runs: page headers and language for every
// request; writes only from this worker's own pages (Origin); a signed-in member behind the
// cookie; and the member's CSRF token on every write they make.

import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { resolveAdminSession } from "../auth/admin-sessions";
import { csrfToken, csrfTokenMatches } from "../auth/csrf";
import { nextQuery, returnPath } from "../auth/return-path";
import { problemResponse } from "../errors/problem";
import { editHeaders } from "../http/headers";
import { negotiateLocale } from "../i18n/negotiate";
import type { AdminEnv } from "./context";
import { readSessionCookie } from "./cookie";
import { strings } from "./i18n";
import { AdminPage } from "./layout";

const MAX_FORM_BYTES = 64 * 1024;
const MAX_IMPORT_FORM_BYTES = 6 * 1024 * 1024;

const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  // Not no-referrer: with it, browsers send `Origin: null` on the admin's own form posts.
  "referrer-policy": "same-origin",
  "content-security-policy":
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

const isWrite = (method: string) => method !== "GET" && method !== "HEAD";
/** The one admin route that answers JSON: the widget token for the admin elements. */
const isJsonRoute = (c: Context) => c.req.path === "/admin/widget-token";

/** A page that says what went wrong, with the status that says it to machines. */
export function messagePage(
  c: Context<AdminEnv>,
  status: 401 | 403 | 404 | 409 | 410 | 413 | 429 | 500,
  title: string,
  message: string,
  headers: Record<string, string> = {},
) {
  const t = c.var.t;
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.html(
    <AdminPage locale={c.var.locale} t={t} title={title} admin={c.var.admin} narrow>
      <h1>{title}</h1>
      <div class="card">
        <p>{message}</p>
        <p>{c.var.admin ? <a href="/admin/sessions">{t.nav.sessions}</a> : <a href="/admin/sign-in">{t.signIn.title}</a>}</p>
      </div>
    </AdminPage>,
    status,
  );
}

export const adminBasics = createMiddleware<AdminEnv>(async (c, next) => {
  const locale = negotiateLocale(c);
  c.set("locale", locale);
  c.set("t", strings[locale]);
  await next();
  editHeaders(c, (headers) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  });
});

const formLimit = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: (c) => messagePage(c as Context<AdminEnv>, 413, "413", `Forms are limited to ${maxSize / 1024} kB.`),
  });
const forms = formLimit(MAX_FORM_BYTES);
/** The contacts import carries a spreadsheet of up to 5,000 rows. */
const importForms = formLimit(MAX_IMPORT_FORM_BYTES);

export const formSizeLimit = createMiddleware<AdminEnv>((c, next) =>
  (c.req.path === "/admin/contacts/import" ? importForms : forms)(c, next),
);

/** Writes come from this worker's own pages; a browser names the page in Origin. */
export const sameOriginWrites = createMiddleware<AdminEnv>(async (c, next) => {
  const origin = c.req.header("origin");
  const foreign = origin !== undefined && origin !== new URL(c.req.url).origin;
  if (foreign && isJsonRoute(c))
    return problemResponse({ code: "origin_not_allowed", detail: "The widget token is only given to this site's own pages." });
  if (foreign && isWrite(c.req.method)) return messagePage(c, 403, "403", c.var.t.errors.origin);
  await next();
});

/** A signed-in member, or a way to become one. */
export const signedIn = createMiddleware<AdminEnv>(async (c, next) => {
  const secret = readSessionCookie(c);
  const identity = secret ? await resolveAdminSession(c.env.DB, secret, c.var.clock.now()) : null;
  if (!identity) {
    if (isJsonRoute(c)) return problemResponse({ code: "unauthenticated", detail: "Sign in to the hosted admin first." });
    // The page asked for goes along, to land on it once signed in (auth/return-path.ts checks it).
    if (!isWrite(c.req.method)) {
      const asked = new URL(c.req.url);
      return c.redirect(`/admin/sign-in${nextQuery(returnPath(asked.pathname + asked.search))}`, 303);
    }
    return messagePage(c, 401, "401", c.var.t.errors.signedOut);
  }
  // Signed in, the org's default language stands in when the browser names neither of ours.
  const locale = negotiateLocale(c, identity.orgSettings.defaultLocale);
  c.set("locale", locale);
  c.set("t", strings[locale]);
  c.set("admin", { ...identity, csrf: await csrfToken(c.env.ROLLCALL_SIGNING_SECRET, identity.sessionHash) });
  await next();
});

/** Every write of a signed-in member carries the CSRF token of their session. */
export const csrfChecked = createMiddleware<AdminEnv>(async (c, next) => {
  if (isWrite(c.req.method)) {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const sent = typeof form._csrf === "string" ? form._csrf : undefined;
    if (!(await csrfTokenMatches(c.env.ROLLCALL_SIGNING_SECRET, c.var.admin.sessionHash, sent))) {
      return messagePage(c, 403, "403", c.var.t.errors.csrf);
    }
  }
  await next();
});
