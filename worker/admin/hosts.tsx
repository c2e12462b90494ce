// Hosts in the hosted admin: the signed-in member as permissions.ts sees them, the guard that keeps
// a host to their own sessions, and an owner or admin viewing the admin as a host sees it.
//
// Viewing as a host is read-only: the owner or admin sees exactly what the host sees, but every
// write is refused (except going back), so nothing is ever done in a host's name by someone else,
// and no write needs a second set of rules for "an admin acting as a host".

import type { Context } from "hono";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { viewAsHost } from "../auth/admin-sessions";
import { type Action, type Actor, can } from "../auth/permissions";
import type { Admin, AdminEnv } from "./context";
import { messagePage } from "./guard";
import { hostStrings } from "./hosts-i18n";

export const actorOf = (admin: Admin): Actor => ({ memberId: admin.memberId, role: admin.role, settings: admin.orgSettings });

/** The org's word for a host, in the page's language. */
export const hostLabelOf = (c: Context<AdminEnv>) => c.var.admin.orgSettings.hostLabel || hostStrings[c.var.locale].defaultLabel;

/**
 * Where a host may go: their sessions (each page checks the session is theirs), the roster's
 * token, "view as" (which answers a host 404, and lets a viewer go back), signing out. Every other page is the whole org's ("org" to
 * permissions.ts), a page added later included.
 */
const HOST_PAGES = /^\/admin(\/?|\/(sessions|widget-token|view-as|sign-out|profile)(\/.*)?)$/;

/** Where a host may not go, 403; and, while viewing as a host, no write but going back. */
export const hostGuard = createMiddleware<AdminEnv>(async (c, next) => {
  const admin = c.var.admin;
  const write = c.req.method !== "GET" && c.req.method !== "HEAD";
  if (admin.viewer && write && c.req.path !== "/admin/view-as/end" && c.req.path !== "/admin/sign-out")
    return messagePage(c, 403, "403", hostStrings[c.var.locale].readOnly);
  const action: Action | null = HOST_PAGES.test(c.req.path) ? null : "org";
  if (action && !can(actorOf(admin), action)) return messagePage(c, 403, "403", hostStrings[c.var.locale].notYours);
  await next();
});

export const viewAsPages = new Hono<AdminEnv>();

viewAsPages.post("/view-as", async (c) => {
  const form = await c.req.parseBody();
  const memberId = typeof form.memberId === "string" ? form.memberId : "";
  if (!(await viewAsHost(c.env.DB, c.var.admin, memberId))) return messagePage(c, 404, "404", c.var.t.errors.notFound);
  return c.redirect("/admin/sessions", 303);
});

viewAsPages.post("/view-as/end", async (c) => {
  await viewAsHost(c.env.DB, c.var.admin, null);
  return c.redirect("/admin/members", 303);
});
