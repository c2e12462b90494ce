// `/v1/webhook-endpoints`: an org's outgoing webhook endpoints through the API (its owners' and
// admins' keys), their secrets (shown once, rotated with a 24-hour overlap), their delivery log,
// "send again" and "send test event". The rules live in endpoints.ts.

import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { orgCaller, requireApiKey } from "../auth/middleware";
import { problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import type { AppEnv } from "../http/context";
import { bearer, bodyProblems, IdParam, jsonBody, jsonResponse, problems } from "../http/openapi";
import {
  createEndpoint,
  deleteEndpoint,
  endpointView,
  findEndpoint,
  listDeliveries,
  listEndpoints,
  rotateSecret,
  sendAgain,
  sendTestEvent,
  updateEndpoint,
} from "./endpoints";
import {
  DeletedSchema,
  DeliveryListQuery,
  DeliveryListSchema,
  DeliveryParams,
  DeliverySchema,
  EndpointBody,
  EndpointListSchema,
  EndpointPatchBody,
  EndpointSchema,
  EndpointWithSecretSchema,
  TestEventSchema,
} from "./schemas";

const tags = ["Webhook endpoints"];
const base = { tags, security: bearer, middleware: requireApiKey };
const urlProblems = ["webhook_url_invalid", "webhook_url_not_https", "webhook_url_private"] as const;

const listRoute = createRoute({
  ...base,
  method: "get",
  path: "/webhook-endpoints",
  operationId: "listWebhookEndpoints",
  summary: "The org's webhook endpoints",
  responses: { 200: jsonResponse(EndpointListSchema, "Endpoints, oldest first"), ...problems("unauthenticated", "forbidden") },
});

const createRouteDef = createRoute({
  ...base,
  method: "post",
  path: "/webhook-endpoints",
  operationId: "createWebhookEndpoint",
  summary: "Add an endpoint (its signing secret is in this answer only)",
  request: { body: jsonBody(EndpointBody) },
  responses: {
    201: jsonResponse(EndpointWithSecretSchema, "The endpoint and its secret"),
    ...bodyProblems("unauthenticated", "forbidden", ...urlProblems),
  },
});

const readRoute = createRoute({
  ...base,
  method: "get",
  path: "/webhook-endpoints/{id}",
  operationId: "getWebhookEndpoint",
  summary: "One endpoint",
  request: { params: IdParam },
  responses: { 200: jsonResponse(EndpointSchema, "The endpoint"), ...problems("unauthenticated", "forbidden", "not_found") },
});

const patchRoute = createRoute({
  ...base,
  method: "patch",
  path: "/webhook-endpoints/{id}",
  operationId: "updateWebhookEndpoint",
  summary: "Change an endpoint's URL, events, description, or enable and disable it",
  request: { params: IdParam, body: jsonBody(EndpointPatchBody) },
  responses: {
    200: jsonResponse(EndpointSchema, "The endpoint"),
    ...bodyProblems("unauthenticated", "forbidden", "not_found", ...urlProblems),
  },
});

const deleteRoute = createRoute({
  ...base,
  method: "delete",
  path: "/webhook-endpoints/{id}",
  operationId: "deleteWebhookEndpoint",
  summary: "Delete an endpoint and its delivery log",
  request: { params: IdParam },
  responses: { 200: jsonResponse(DeletedSchema, "Deleted"), ...problems("unauthenticated", "forbidden", "not_found") },
});

const rotateRoute = createRoute({
  ...base,
  method: "post",
  path: "/webhook-endpoints/{id}/rotate-secret",
  operationId: "rotateWebhookSecret",
  summary: "A new signing secret (in this answer only); the previous one also signs for 24 hours",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(EndpointWithSecretSchema, "The endpoint and its new secret"),
    ...problems("unauthenticated", "forbidden", "not_found"),
  },
});

const testRoute = createRoute({
  ...base,
  method: "post",
  path: "/webhook-endpoints/{id}/test",
  operationId: "sendWebhookTestEvent",
  summary: "Send a `webhook.test` event to this endpoint (tried once; see its delivery log)",
  request: { params: IdParam },
  responses: { 202: jsonResponse(TestEventSchema, "Queued"), ...problems("unauthenticated", "forbidden", "not_found") },
});

const deliveriesRoute = createRoute({
  ...base,
  method: "get",
  path: "/webhook-endpoints/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  summary: "The endpoint's deliveries, newest first, a page at a time: status, attempts, latency and the start of each answer",
  request: { params: IdParam, query: DeliveryListQuery },
  responses: {
    200: jsonResponse(DeliveryListSchema, "Newest first"),
    ...problems("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

const retryRoute = createRoute({
  ...base,
  method: "post",
  path: "/webhook-endpoints/{id}/deliveries/{deliveryId}/retry",
  operationId: "retryWebhookDelivery",
  summary: "Send a delivery's event again, under the same event id (tried once)",
  request: { params: DeliveryParams },
  responses: { 202: jsonResponse(DeliverySchema, "Queued"), ...problems("unauthenticated", "forbidden", "not_found") },
});

/** The org of the calling key: org keys only (a widget token never manages endpoints). */
function orgOf(c: Context<AppEnv>): string {
  const caller = orgCaller(c.var.caller);
  if (caller.kind !== "api_key") return problem("forbidden", "This route needs an org API key.");
  return caller.orgId;
}

export const webhookRoutes = router()
  .openapi(listRoute, async (c) => {
    const now = c.var.clock.now();
    const endpoints = await listEndpoints(c.env.DB, orgOf(c));
    return c.json({ endpoints: endpoints.map((e) => endpointView(e, now)) }, 200);
  })
  .openapi(createRouteDef, async (c) => c.json(unwrap(await createEndpoint(c.env, orgOf(c), c.req.valid("json"), c.var.clock.now())), 201))
  .openapi(readRoute, async (c) => {
    const found = unwrap(await findEndpoint(c.env.DB, orgOf(c), c.req.valid("param").id));
    return c.json(endpointView(found, c.var.clock.now()), 200);
  })
  .openapi(patchRoute, async (c) => {
    const changed = await updateEndpoint(c.env, orgOf(c), c.req.valid("param").id, c.req.valid("json"), c.var.clock.now());
    return c.json(unwrap(changed), 200);
  })
  .openapi(deleteRoute, async (c) => c.json(unwrap(await deleteEndpoint(c.env.DB, orgOf(c), c.req.valid("param").id)), 200))
  .openapi(rotateRoute, async (c) => c.json(unwrap(await rotateSecret(c.env, orgOf(c), c.req.valid("param").id, c.var.clock.now())), 200))
  .openapi(testRoute, async (c) => c.json(unwrap(await sendTestEvent(c.env, orgOf(c), c.req.valid("param").id, c.var.clock.now())), 202))
  .openapi(deliveriesRoute, async (c) =>
    c.json(unwrap(await listDeliveries(c.env.DB, orgOf(c), c.req.valid("param").id, c.req.valid("query"))), 200),
  )
  .openapi(retryRoute, async (c) => {
    const { id, deliveryId } = c.req.valid("param");
    return c.json(unwrap(await sendAgain(c.env, orgOf(c), id, deliveryId)), 202);
  });
