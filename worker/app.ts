// The whole HTTP surface: /v1 (JSON API and its OpenAPI document) and /healthz.

import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { authRoutes } from "./auth/routes";
import { ProblemError, problemResponse } from "./errors/problem";
import { router, toProblemResponse } from "./http/app";
import type { AppEnv } from "./http/context";
import { invitationRoutes } from "./invitations/routes";
import { pageRoutes } from "./pages/routes";
import { registrationRoutes } from "./registrations/routes";
import { rosterRoutes } from "./roster/routes";
import { sessionRoutes } from "./sessions/routes";

export const MAX_BODY_BYTES = 100 * 1024;

const v1 = router()
  .route("/", authRoutes)
  .route("/", sessionRoutes)
  .route("/", registrationRoutes)
  .route("/", rosterRoutes)
  .route("/", invitationRoutes);

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
});

export const app = new OpenAPIHono<AppEnv>();

app.onError((error) => toProblemResponse(error));
app.notFound(() => problemResponse({ code: "not_found", detail: "No such route." }));

app.use(
  "/v1/*",
  cors({
    origin: "*",
    allowHeaders: ["authorization", "content-type", "idempotency-key"],
    allowMethods: ["GET", "POST", "PATCH", "OPTIONS"],
    maxAge: 600,
  }),
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ProblemError({ code: "payload_too_large", detail: `Request bodies are limited to ${MAX_BODY_BYTES / 1024} kB.` });
    },
  }),
);

app.get("/healthz", (c) => c.json({ ok: true }));

app.route("/", pageRoutes);

export const routes = app.route("/v1", v1);
export type AppType = typeof routes;
