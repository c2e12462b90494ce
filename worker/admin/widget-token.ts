// GET /admin/widget-token?session=…: the `token-url` of the admin elements on the hosted admin's
// own pages. The signed-in member's cookie buys a widget token for their org, scoped to the
// session when one is named, valid for an hour; the elements fetch a new one before it ends.

import { Hono } from "hono";
import { signWidgetToken } from "../auth/widget-tokens";
import { problemResponse } from "../errors/problem";
import { ledgerFor } from "../sessions/service";
import type { AdminEnv } from "./context";

export const WIDGET_TOKEN_TTL_MS = 60 * 60_000;

export const widgetTokenRoute = new Hono<AdminEnv>();

widgetTokenRoute.get("/widget-token", async (c) => {
  const orgId = c.var.admin.orgId;
  const sessionId = c.req.query("session") || null;
  if (sessionId) {
    // Another org's session, or none: the same 404 as the API's.
    const ledger = ledgerFor(c.env, sessionId);
    const read = ledger.ok ? await ledger.value.read(orgId) : null;
    if (!read?.ok) return problemResponse({ code: "not_found", detail: "No such session." });
  }
  const expiresAt = new Date(Date.now() + WIDGET_TOKEN_TTL_MS);
  const token = await signWidgetToken(c.env.ROLLCALL_SIGNING_SECRET, orgId, sessionId, expiresAt);
  return c.json({ token, expiresAt: expiresAt.toISOString() });
});
