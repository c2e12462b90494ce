// /v1/orgs, /v1/api-keys and /v1/widget-tokens.

import { createRoute, z } from "@hono/zod-openapi";
import { orgCaller, requireApiKey, requireRoot } from "../auth/middleware";
import { forgetOrgOrigins } from "../auth/origins";
import { DEFAULT_WIDGET_TOKEN_TTL_SECONDS, MAX_WIDGET_TOKEN_TTL_SECONDS } from "../auth/widget-tokens";
import { fieldError } from "../errors/fields";
import { ProblemError, problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import { WIDGET_SCOPES } from "../http/context";
import { bearer, bodyProblems, jsonBody, jsonResponse, problems } from "../http/openapi";
import { Email } from "../registrations/schemas";
import { SessionId } from "../sessions/schemas";
import { createApiKey, keyAuthority, listApiKeys, revokeApiKey } from "./keys";
import { createOrg, readOrg, updateOrg } from "./orgs";
import { ApiKeySchema, DefaultLocale, NewApiKeyBody, OrgPatchBody, OrgSchema } from "./schemas";
import { senderNameHasAddress } from "./sender-name";
import { mintWidgetToken } from "./widget-tokens";

const createOrgRoute = createRoute({
  method: "post",
  path: "/orgs",
  operationId: "createOrg",
  tags: ["Organisations"],
  summary: "Create an organisation and its first API key (root key)",
  security: bearer,
  middleware: [requireRoot] as const,
  request: {
    body: jsonBody(
      z
        .object({
          name: z.string().trim().min(1).max(200),
          ownerEmail: Email.optional(),
          defaultLocale: DefaultLocale.optional().openapi({
            description:
              "The org's default language: used for emails and for visitors whose browser asks for neither English nor French. The first API key is labelled in it.",
          }),
        })
        .strict(),
    ),
  },
  responses: {
    201: jsonResponse(
      z.object({
        org: z.object({ id: z.string(), name: z.string(), createdAt: z.string() }),
        apiKey: z.string().openapi({ description: "Shown once; only its hash is kept." }),
      }),
      "The organisation and its first API key",
    ),
    ...bodyProblems("unauthenticated", "forbidden"),
  },
});

const createKeyRoute = createRoute({
  method: "post",
  path: "/api-keys",
  operationId: "createApiKey",
  tags: ["Organisations"],
  summary: "Create an API key (shown once)",
  security: bearer,
  middleware: [requireApiKey] as const,
  request: { body: jsonBody(NewApiKeyBody) },
  responses: {
    201: jsonResponse(z.object({ apiKey: z.string(), key: ApiKeySchema }), "The new key"),
    ...bodyProblems("unauthenticated", "forbidden"),
  },
});

const listKeysRoute = createRoute({
  method: "get",
  path: "/api-keys",
  operationId: "listApiKeys",
  tags: ["Organisations"],
  summary: "List API keys (prefix, label, last used)",
  security: bearer,
  middleware: [requireApiKey] as const,
  responses: {
    200: jsonResponse(z.object({ keys: z.array(ApiKeySchema) }), "The org's keys"),
    ...problems("unauthenticated", "forbidden"),
  },
});

const revokeKeyRoute = createRoute({
  method: "post",
  path: "/api-keys/{id}/revoke",
  operationId: "revokeApiKey",
  tags: ["Organisations"],
  summary: "Revoke an API key",
  security: bearer,
  middleware: [requireApiKey] as const,
  request: { params: z.object({ id: z.string().max(64) }) },
  responses: { 200: jsonResponse(ApiKeySchema, "The revoked key"), ...problems("unauthenticated", "forbidden", "not_found") },
});

const widgetTokenRoute = createRoute({
  method: "post",
  path: "/widget-tokens",
  operationId: "createWidgetToken",
  tags: ["Organisations"],
  summary: "Mint a short-lived token for the admin elements",
  description:
    "The token grants only the scopes asked for (`roster:read` when none are named): `roster:read` reads the session, its roster " +
    "and invitations; `invite` also invites, previews, sends and resends invitations and adds participants; `manage` cancels " +
    "invitations, removes participants, and edits and cancels sessions. It lives 15 minutes unless told otherwise; " +
    "the elements fetch a new one from their `token-url` before it runs out.",
  security: bearer,
  middleware: [requireApiKey] as const,
  request: {
    body: jsonBody(
      z
        .object({
          sessionId: SessionId.optional(),
          scopes: z.array(z.enum(WIDGET_SCOPES)).min(1).max(WIDGET_SCOPES.length).default(["roster:read"]),
          ttlSeconds: z.number().int().min(60).max(MAX_WIDGET_TOKEN_TTL_SECONDS).default(DEFAULT_WIDGET_TOKEN_TTL_SECONDS),
        })
        .strict(),
    ),
  },
  responses: {
    201: jsonResponse(
      z.object({ token: z.string(), expiresAt: z.string(), scopes: z.array(z.enum(WIDGET_SCOPES)) }).openapi("WidgetToken"),
      "The token",
    ),
    ...bodyProblems("unauthenticated", "forbidden", "not_found"),
  },
});

const readOrgRoute = createRoute({
  method: "get",
  path: "/org",
  operationId: "getOrg",
  tags: ["Organisations"],
  summary: "The caller's organisation and its settings",
  security: bearer,
  middleware: [requireApiKey] as const,
  responses: { 200: jsonResponse(OrgSchema, "The org"), ...problems("unauthenticated", "forbidden") },
});

const updateOrgRoute = createRoute({
  method: "patch",
  path: "/org",
  operationId: "updateOrg",
  tags: ["Organisations"],
  summary: "Rename the organisation or change its settings (null clears one)",
  description:
    "Only a key that answers to an owner, or one of the org's own keys (such as its first), changes `replyTo`, `embedOrigins` " +
    "and `invitationLinkTemplate`; another key gets 403 forbidden and nothing changes. Every change is recorded " +
    "(who, when, each field before and after) for the owners to read in the hosted admin's settings.",
  security: bearer,
  middleware: [requireApiKey] as const,
  request: { body: jsonBody(OrgPatchBody) },
  responses: { 200: jsonResponse(OrgSchema, "The org"), ...bodyProblems("unauthenticated", "forbidden", "sender_name_has_address") },
});

export const orgRoutes = router()
  .openapi(readOrgRoute, async (c) => {
    const org = (await readOrg(c.env.DB, orgCaller(c.var.caller).orgId)) ?? problem("not_found", "No such organisation.");
    return c.json(org, 200);
  })
  .openapi(updateOrgRoute, async (c) => {
    const caller = orgCaller(c.var.caller);
    if (caller.kind !== "api_key") return problem("forbidden", "This route needs an org API key.");
    const authority = (await keyAuthority(c.env.DB, caller.orgId, caller.keyId)) ?? problem("unauthenticated", "This API key was revoked.");
    const patch = c.req.valid("json");
    if (patch.settings?.senderName && senderNameHasAddress(patch.settings.senderName)) {
      throw new ProblemError({
        code: "sender_name_has_address",
        detail: "A sender name may not contain an email address: mail readers would take it for the sender.",
        errors: [fieldError("settings.senderName", "has_address", "contains an email address")],
      });
    }
    const by = { role: authority.role, actor: `key:${caller.keyId}`, name: authority.name };
    const org = unwrap(await updateOrg(c.env.DB, caller.orgId, patch, by, c.var.clock.now()));
    forgetOrgOrigins(caller.orgId);
    return c.json(org, 200);
  })
  .openapi(createOrgRoute, async (c) => {
    const body = c.req.valid("json");
    const { org, apiKey } = await createOrg(c.env.DB, body, c.var.clock.now());
    return c.json({ org, apiKey }, 201);
  })
  .openapi(createKeyRoute, async (c) => {
    const caller = orgCaller(c.var.caller);
    const maker = caller.kind === "api_key" ? { keyId: caller.keyId } : null;
    const { key, view } = unwrap(await createApiKey(c.env.DB, caller.orgId, c.req.valid("json").label, c.var.clock.now(), maker));
    return c.json({ apiKey: key, key: view }, 201);
  })
  .openapi(listKeysRoute, async (c) => {
    const keys = await listApiKeys(c.env.DB, orgCaller(c.var.caller).orgId);
    return c.json({ keys: keys.map(({ createdByEmail: _, ...view }) => view) }, 200);
  })
  .openapi(revokeKeyRoute, async (c) => {
    const revoked = unwrap(await revokeApiKey(c.env.DB, orgCaller(c.var.caller).orgId, c.req.valid("param").id, c.var.clock.now()));
    return c.json(revoked, 200);
  })
  .openapi(widgetTokenRoute, async (c) => {
    const caller = orgCaller(c.var.caller);
    const { sessionId, scopes, ttlSeconds } = c.req.valid("json");
    if (caller.kind !== "api_key") return problem("forbidden", "This route needs an org API key.");
    const grant = { orgId: caller.orgId, sessionId: sessionId ?? null, scopes, source: caller.keyId };
    const minted = await mintWidgetToken(c.env, grant, ttlSeconds, c.var.clock.now());
    return c.json(unwrap(minted), 201);
  });
