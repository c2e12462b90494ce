// The hosted admin at /admin: sign-in by emailed link, then sessions, API keys, settings,
// members and a person's data, as server-rendered pages whose forms work without JavaScript. Mounted by worker/app.ts.

import { Hono } from "hono";
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
import { adminScript } from "./script";
import { sessionPages } from "./sessions";
import { settingsPages } from "./settings";
import { adminHome, signInRoutes, signOut } from "./sign-in";
import { webhookPages } from "./webhooks";
import { widgetTokenRoute } from "./widget-token";

/**
 * Everything but signing in needs a signed-in member, and their CSRF token on writes; a host
 * reaches only their own sessions (hosts.tsx).
 */
const SIGNED_IN = [
  "/sessions",
  "/sessions/*",
  "/contacts",
  "/contacts/*",
  "/groups",
  "/groups/*",
  "/groups.csv",
  "/programs",
  "/programs/*",
  "/discounts",
  "/discounts/*",
  "/webhooks",
  "/webhooks/*",
  "/keys",
  "/keys/*",
  "/settings",
  "/settings/*",
  "/members",
  "/members/*",
  "/privacy",
  "/privacy/*",
  "/widget-token",
  "/sign-out",
  "/view-as",
  "/view-as/*",
];

export const adminRoutes = new Hono<AdminEnv>().use(adminBasics, formSizeLimit, sameOriginWrites);
for (const path of SIGNED_IN) adminRoutes.use(path, signedIn, csrfChecked, hostGuard);

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
  .route("/", widgetTokenRoute)
  .route("/", viewAsPages)
  .all("*", (c) => messagePage(c, 404, "404", c.var.t.errors.notFound));

adminRoutes.onError((error, c) => {
  console.error("admin page failed", error);
  return messagePage(c, 500, "500", c.var.t.errors.generic);
});
