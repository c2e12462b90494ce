// GET /admin/widget-token?session=…: the `token-url` of the admin elements on the hosted admin's
// own pages. The signed-in member's cookie buys a widget token for their org, scoped to the
// session when one is named, valid for an hour; the elements fetch a new one before it ends.

import { Hono } from "hono";
import { problemResponse } from "../errors/problem";
import { mintWidgetToken } from "../orgs/widget-tokens";
import type { AdminEnv } from "./context";

export const WIDGET_TOKEN_TTL_MS = 60 * 60_000;

export const widgetTokenRoute = new Hono<AdminEnv>();

widgetTokenRoute.get("/widget-token", async (c) => {
  const scope = { orgId: c.var.admin.orgId, sessionId: c.req.query("session") || null };
  const minted = await mintWidgetToken(c.env, scope, WIDGET_TOKEN_TTL_MS / 1000, c.var.clock.now());
  // Another org's session, or none: the same 404 as the API's.
  if (!minted.ok) return problemResponse({ code: "not_found", detail: "No such session." });
  return c.json(minted.value);
});
