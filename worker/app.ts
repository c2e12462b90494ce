// The whole HTTP surface: /v1 (JSON API and its OpenAPI document) and /healthz.

import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { adminRoutes } from "./admin/routes";
import { corsPolicy } from "./auth/cors";
import { publicRouteLimits } from "./auth/throttle";
import { devMailRoutes } from "./email/dev-routes";
import { emailRoutes } from "./email/routes";
import { ProblemError, problemResponse } from "./errors/problem";
import { router, toProblemResponse } from "./http/app";
import { useClock } from "./http/clock";
import type { AppEnv } from "./http/context";
import { invitationRoutes } from "./invitations/routes";
import { orgRoutes } from "./orgs/routes";
import { pageRoutes } from "./pages/routes";
import { privacyRoutes } from "./privacy/routes";
import { registrationRoutes } from "./registrations/routes";
import { rosterRoutes } from "./roster/routes";
import { sessionRoutes } from "./sessions/routes";
import { type Clock, systemClock } from "./time/clock";

export const MAX_BODY_BYTES = 100 * 1024;

const v1 = router()
  .route("/", orgRoutes)
  .route("/", sessionRoutes)
  .route("/", registrationRoutes)
  .route("/", rosterRoutes)
  .route("/", invitationRoutes)
  .route("/", emailRoutes)
  .route("/", privacyRoutes);

v1.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  description: "An org API key (rk_…), a widget token (wt_…), or the root key for POST /v1/orgs.",
});

v1.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "Rollcall API",
    version: "1.0.0",
    description: "Invitations, seats and rosters for group sessions. Errors are RFC 9457 problem+json with a stable `code`.",
  },
  // The paths are the /v1 router's own; relative to this document, they live under /v1.
  servers: [{ url: "/v1" }],
});

/** The app, telling the time by `clock`: the system's, or another a test puts in its place. */
export function createApp({ clock = systemClock }: { clock?: Clock } = {}) {
  const app = new OpenAPIHono<AppEnv>();

  app.onError((error) => toProblemResponse(error));
  app.notFound(() => problemResponse({ code: "not_found", detail: "No such route." }));

  app.use(useClock(clock));
  app.use(
    "/v1/*",
    corsPolicy,
    publicRouteLimits,
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ProblemError({ code: "payload_too_large", detail: `Request bodies are limited to ${MAX_BODY_BYTES / 1024} kB.` });
      },
    }),
  );

  app.get("/healthz", (c) => c.json({ ok: true }));

  app.route("/", pageRoutes);
  app.route("/admin", adminRoutes);
  // The local mail outbox: compiled out of production builds (ROLLCALL_DEV_ROUTES in wrangler.toml).
  if (typeof ROLLCALL_DEV_ROUTES === "undefined" || ROLLCALL_DEV_ROUTES) app.route("/", devMailRoutes());

  return app.route("/v1", v1);
}

export const app = createApp();
export type AppType = typeof app;
