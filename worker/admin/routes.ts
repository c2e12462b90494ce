// The hosted admin at /admin: sign-in by emailed link, then sessions, API keys, settings,
// members and a person's data, as server-rendered pages whose forms work without JavaScript. Mounted by worker/app.ts.

import { Hono } from "hono";
import { every, except } from "hono/combine";
import { directoryPages } from "./contacts";
import type { AdminEnv } from "./context";
import { decisionPages } from "./decision";
import { discountPages } from "./discounts";
import { formBuilderPages } from "./form-builder";
import { adminBasics, csrfChecked, formSizeLimit, messagePage, sameOriginWrites, signedIn } from "./guard";
import { hostGuard, viewAsPages } from "./hosts";
import { keyPages } from "./keys";
import { memberPages } from "./members";
import { privacyPages } from "./privacy";
import { programPages } from "./programs";
import { publicPagePages } from "./public-page";
import { adminScript } from "./script";
import { sessionPages } from "./sessions";
import { settingsPages } from "./settings";
import { adminHome, signInRoutes, signOut } from "./sign-in";
import { webhookPages } from "./webhooks";
import { widgetTokenRoute } from "./widget-token";

/**
 * What needs no signed-in member: the front door (it sends a visitor to sign in), the admin's
 * script, signing in, and the minimum's emailed decision links (their signed token is the
 * credential). Everything else needs a signed-in member and their CSRF token on writes, and a
 * host reaches only what is theirs (hosts.tsx): a page added later is guarded without being listed.
 */
const OPEN = /^\/admin(\/?|\/admin\.js|\/sign-in|\/link\/.+|\/decide\/.+)$/;

export const adminRoutes = new Hono<AdminEnv>()
  .use(adminBasics, formSizeLimit, sameOriginWrites)
  .use(except((c) => OPEN.test(c.req.path), every(signedIn, csrfChecked, hostGuard)));

adminRoutes
  .get("/", adminHome)
  .get("/admin.js", (c) => c.body(adminScript, 200, { "content-type": "text/javascript; charset=utf-8" }))
  .post("/sign-out", signOut)
  .route("/", signInRoutes)
  .route("/", decisionPages)
  .route("/", sessionPages)
  .route("/", formBuilderPages)
  .route("/", directoryPages)
  .route("/", programPages)
  .route("/", discountPages)
  .route("/", webhookPages)
  .route("/", keyPages)
  .route("/", settingsPages)
  .route("/", memberPages)
  .route("/", privacyPages)
  .route("/", publicPagePages)
  .route("/", widgetTokenRoute)
  .route("/", viewAsPages)
  .all("*", (c) => messagePage(c, 404, "404", c.var.t.errors.notFound));

adminRoutes.onError((error, c) => {
  console.error("admin page failed", error);
  return messagePage(c, 500, "500", c.var.t.errors.generic);
});
