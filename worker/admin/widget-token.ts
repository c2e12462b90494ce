// GET /admin/widget-token?session=…: the `token-url` of the admin elements on the hosted admin's
// own pages. The signed-in member's cookie buys a widget token for their org, scoped to the named
// session (always one: never an org-wide token), with every scope (the member may do all of it on
// these pages anyway), valid for 15 minutes (the elements fetch a new one before it ends), and no
// longer than the member stays a member. A host gets one only for a session they host. Only the widget's own request gets one: it carries the
// Rollcall-Token-Request header, which a page of another site cannot add (see auth/token-request.ts).

import { Hono } from "hono";
import { can } from "../auth/permissions";
import { TOKEN_REQUEST_HEADER } from "../auth/token-request";
import { DEFAULT_WIDGET_TOKEN_TTL_SECONDS } from "../auth/widget-tokens";
import { fieldError } from "../errors/fields";
import { problemResponse } from "../errors/problem";
import { WIDGET_SCOPES } from "../http/context";
import { mintWidgetToken } from "../orgs/widget-tokens";
import { sessionHostOf } from "../sessions/hosts";
import type { AdminEnv } from "./context";
import { actorOf } from "./hosts";

export const WIDGET_TOKEN_TTL_MS = DEFAULT_WIDGET_TOKEN_TTL_SECONDS * 1000;

export const widgetTokenRoute = new Hono<AdminEnv>();

widgetTokenRoute.get("/widget-token", async (c) => {
  if (c.req.header(TOKEN_REQUEST_HEADER) !== "1") {
    return problemResponse({
      code: "forbidden",
      detail: `Widget tokens are given to the Rollcall elements of the hosted admin only (they send ${TOKEN_REQUEST_HEADER}: 1).`,
    });
  }
  const sessionId = c.req.query("session");
  if (!sessionId) {
    return problemResponse({
      code: "validation_failed",
      detail: "Name the session the token is for: /admin/widget-token?session=ses_…",
      errors: [fieldError("session", "required", "is required")],
    });
  }
  const admin = c.var.admin;
  // A host's token is for a session they host (the API checks it again on every call, as things
  // stand then); viewing as a host only reads.
  const hostMemberId = admin.role === "host" ? await sessionHostOf(c.env.DB, admin.orgId, sessionId) : null;
  if (!can(actorOf(admin), "session:read", { hostMemberId })) return problemResponse({ code: "not_found", detail: "No such session." });
  const scopes = admin.viewer ? (["roster:read"] as const) : WIDGET_SCOPES;
  const grant = { orgId: admin.orgId, sessionId, scopes, source: admin.memberId };
  const minted = await mintWidgetToken(c.env, grant, WIDGET_TOKEN_TTL_MS / 1000, c.var.clock.now());
  // Another org's session, or none: the same 404 as the API's.
  if (!minted.ok) return problemResponse({ code: "not_found", detail: "No such session." });
  return c.json(minted.value);
});
