// The whole HTTP surface: /v1 (JSON API and its OpenAPI document) and /healthz.

import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { version } from "../package.json";
import { adminRoutes } from "./admin/routes";
import { corsPolicy } from "./auth/cors";
import { publicRouteLimits } from "./auth/throttle";
import { devRoutesOpen } from "./config/dev-mode";
import { contactRoutes } from "./contacts/routes";
import { discountRoutes } from "./discounts/routes";
import { docsRoutes } from "./docs/routes";
import { devMailRoutes } from "./email/dev-routes";
import { emailRoutes } from "./email/routes";
import { ProblemError, problemResponse, unwrap } from "./errors/problem";
import { router, toProblemResponse } from "./http/app";
import { useClock } from "./http/clock";
import type { AppEnv } from "./http/context";
import { editHeaders } from "./http/headers";
import { API_TAGS } from "./http/openapi";
import { invitationRoutes } from "./invitations/routes";
import { listingRoutes } from "./listings/routes";
import { memberRoutes } from "./members/routes";
import { orgRoutes } from "./orgs/routes";
import { pageNotFound, pageRoutes } from "./pages/routes";
import { devCheckoutRoutes } from "./payments/dev-checkout";
import { paymentRoutes } from "./payments/routes";
import { privacyRoutes } from "./privacy/routes";
import { programRoutes } from "./programs/routes";
import { registrationRoutes } from "./registrations/routes";
import { rosterRoutes } from "./roster/routes";
import { ledgerFor } from "./sessions/ledger-client";
import { sessionRoutes } from "./sessions/routes";
import { smsCodeChannel } from "./sms/code-channel";
import { devSmsRoutes } from "./sms/dev-routes";
import { smsRoutes } from "./sms/routes";
import { type Clock, systemClock } from "./time/clock";
import { sweepOutboxAfterWrites } from "./webhooks/outbox";
import { webhookRoutes } from "./webhooks/routes";
import { eventPayloads, webhookHeaders } from "./webhooks/schemas";

export const MAX_BODY_BYTES = 100 * 1024;
/** A CSV import carries a file of up to 5,000 rows. */
export const MAX_IMPORT_BODY_BYTES = 6 * 1024 * 1024;

const limitBodies = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ProblemError({ code: "payload_too_large", detail: `Request bodies are limited to ${maxSize / 1024} kB.` });
    },
  });
const bodies = limitBodies(MAX_BODY_BYTES);
const importBodies = limitBodies(MAX_IMPORT_BODY_BYTES);

const v1 = router()
  .route("/", orgRoutes)
  .route("/", memberRoutes)
  .route("/", sessionRoutes)
  .route("/", registrationRoutes)
  .route("/", rosterRoutes)
  .route("/", invitationRoutes)
  .route("/", emailRoutes)
  .route("/", contactRoutes)
  .route("/", programRoutes)
  .route("/", privacyRoutes)
  .route("/", smsRoutes)
  .route("/", listingRoutes)
  .route("/", discountRoutes)
  .route("/", webhookRoutes)
  .route("/", paymentRoutes);

v1.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  description:
    "An org API key (rk_…), a widget token (wt_…), or the root key for POST /v1/orgs. A route that lists a scope " +
    "(roster:read, invite, manage) takes a widget token only if the token grants that scope (403 insufficient_scope); " +
    "an expired widget token answers 401 token_expired.",
});

// The events an org's endpoints receive (OpenAPI 3.1 `webhooks`): one entry per event type, each
// the POST Rollcall makes with its payload, signed per Standard Webhooks.
for (const { type, schema } of eventPayloads()) {
  v1.openAPIRegistry.registerWebhook({
    method: "post",
    path: type,
    operationId: `event_${type.replace(".", "_")}`,
    summary: `The \`${type}\` event`,
    description:
      "POSTed to every enabled endpoint subscribed to this type. Headers `webhook-id` (the event id, stable across retries: " +
      "de-duplicate by it), `webhook-timestamp` and `webhook-signature` (Standard Webhooks; two signatures for 24 hours after a " +
      "rotation). Any 2xx within 10 seconds is a delivery; anything else is retried with exponential backoff for 3 days. " +
      "Events of one session carry a growing `sequence`; there is no order across sessions.",
    tags: ["Webhook endpoints"],
    // Rollcall calls the receiver: no credential of ours; the signature headers authenticate the call.
    security: [],
    request: { headers: webhookHeaders, body: { content: { "application/json": { schema } }, required: true } },
    responses: {
      200: { description: "Received (any 2xx)" },
      410: { description: "Not received (any status but 2xx): tried again later" },
    },
  });
}

v1.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "Rollcall API",
    // The package's version: one number for the API, the widget and the changelog.
    version,
    description:
      "Invitations, seats and rosters for group sessions. Errors are RFC 9457 problem+json with a stable `code`; " +
      "a `429 rate_limited` says in `Retry-After` how many seconds to wait. A reference of this document is at /v1/docs.",
    license: { name: "MIT", url: "https://spdx.org/licenses/MIT.html" },
  },
  // The paths are the /v1 router's own; relative to this document, they live under /v1.
  servers: [{ url: "/v1", description: "This deployment" }],
  tags: API_TAGS,
});

/**
 * The API's bodies are what their content type says (JSON, CSV): never sniffed into a page or a
 * script. They are not kept by a browser or a shared cache either (rosters, tokens, personal data),
 * unless a route says otherwise with its own Cache-Control.
 */
const apiHeaders = createMiddleware(async (c, next) => {
  await next();
  // A WebSocket handshake (the live channel) has no body, and is passed on as it is.
  if (c.res.status === 101) return;
  editHeaders(c, (headers) => {
    headers.set("x-content-type-options", "nosniff");
    if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  });
});

/** The app, telling the time by `clock`: the system's, or another a test puts in its place. */
export function createApp({ clock = systemClock }: { clock?: Clock } = {}) {
  const app = new OpenAPIHono<AppEnv>();

  app.onError((error) => toProblemResponse(error));
  // A browser opening an address that is no page is shown one, in its language; a client of the API gets the problem.
  app.notFound((c) =>
    !c.req.path.startsWith("/v1/") && (c.req.header("accept") ?? "").includes("text/html")
      ? pageNotFound(c)
      : problemResponse({ code: "not_found", detail: "No such route." }),
  );

  app.use(useClock(clock));
  app.use("/v1/*", apiHeaders, corsPolicy, publicRouteLimits, (c, next) =>
    (c.req.path === "/v1/contacts/import" ? importBodies : bodies)(c, next),
  );

  // The code route says whether the code went by SMS (the invitations folder does not know texts).
  app.use("/v1/invites/*", async (c, next) => {
    c.set("codeChannel", smsCodeChannel);
    await next();
  });

  // The writes to the directory announce contact events through D1's outbox; sent right after.
  // (A path ending in /* matches the path without it too.)
  app.use("/v1/contacts/*", sweepOutboxAfterWrites);
  app.use("/admin/contacts/*", sweepOutboxAfterWrites);
  app.use("/p/me/profile", sweepOutboxAfterWrites);

  app.get("/healthz", (c) => c.json({ ok: true }));

  app.route("/", pageRoutes);
  app.route("/admin", adminRoutes);
  // The local mail outbox and the demo site: compiled out of deployed builds (ROLLCALL_DEV_ROUTES
  // in wrangler.toml), and where built in, open only to a developer's own machine.
  if (typeof ROLLCALL_DEV_ROUTES === "undefined" || ROLLCALL_DEV_ROUTES) {
    app.route("/", devMailRoutes());
    app.route("/", devSmsRoutes());
    app.route("/", devCheckoutRoutes());
    // The demo's files are assets (scripts/dev-server.mjs copies demo/ to public/demo/), but the
    // worker runs first on /demo (run_worker_first): it hands them out only in development.
    app.on(["GET", "HEAD"], ["/demo", "/demo/*"], (c) => (devRoutesOpen(c.env, c.req.url) ? c.env.ASSETS.fetch(c.req.raw) : c.notFound()));
    // The benchmark's floor for a write to one ledger (bench/registrations.mjs).
    app.post("/dev/bench/sessions/:id/write", async (c) => {
      if (!devRoutesOpen(c.env, c.req.url)) return c.notFound();
      return c.json(unwrap(await unwrap(ledgerFor(c.env, c.req.param("id"))).benchWrite()), 200);
    });
  }

  // The API reference: a page, outside the typed client's routes.
  app.route("/v1", docsRoutes);
  return app.route("/v1", v1);
}

export type AppType = ReturnType<typeof createApp>;
