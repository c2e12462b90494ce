// /v1/sessions: create, list, read, edit, cancel.

import { createRoute, z } from "@hono/zod-openapi";
import { actorOf } from "../auth/caller";
import { orgAccess, orgCaller } from "../auth/middleware";
import { problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import { bodyProblems, jsonBody, jsonResponse, problems } from "../http/openapi";
import { adminLedger } from "./ledger-client";
import { CreateSessionBody, SessionListSchema, SessionParam, SessionSchema, UpdateSessionBody } from "./schemas";
import { createSession, listSessions } from "./service";

const tags = ["Sessions"];

const create = createRoute({
  method: "post",
  path: "/sessions",
  operationId: "createSession",
  tags,
  summary: "Create a session",
  ...orgAccess("manage"),
  request: { body: jsonBody(CreateSessionBody) },
  responses: {
    201: jsonResponse(SessionSchema, "The session"),
    ...bodyProblems("unauthenticated", "token_expired", "insufficient_scope", "forbidden"),
  },
});

const list = createRoute({
  method: "get",
  path: "/sessions",
  operationId: "listSessions",
  tags,
  summary: "List sessions (cursor paging)",
  ...orgAccess("roster:read", { host: "org" }),
  request: {
    query: z.object({
      when: z
        .enum(["upcoming", "past", "all"])
        .default("all")
        .openapi({
          description:
            "`upcoming`: not yet ended, so a session under way stays at hand with its roster; `past`: ended. " +
            "(The public listing shows only sessions not yet started: those a person can still join.)",
        }),
      limit: z.coerce.number().int().min(1).max(100).default(25),
      cursor: z.string().max(500).optional(),
    }),
  },
  responses: {
    200: jsonResponse(SessionListSchema, "A page of sessions"),
    ...problems("unauthenticated", "token_expired", "insufficient_scope"),
  },
});

const read = createRoute({
  method: "get",
  path: "/sessions/{id}",
  operationId: "getSession",
  tags,
  summary: "Read a session",
  ...orgAccess("roster:read"),
  request: { params: SessionParam },
  responses: {
    200: jsonResponse(SessionSchema, "The session"),
    ...problems("unauthenticated", "token_expired", "insufficient_scope", "not_found", "session_not_found", "token_wrong_session"),
  },
});

const edit = createRoute({
  method: "patch",
  path: "/sessions/{id}",
  operationId: "updateSession",
  tags,
  summary: "Edit a session",
  ...orgAccess("manage"),
  request: { params: SessionParam, body: jsonBody(UpdateSessionBody) },
  responses: {
    200: jsonResponse(SessionSchema, "The session"),
    ...bodyProblems(
      "unauthenticated",
      "token_expired",
      "insufficient_scope",
      "not_found",
      "session_not_found",
      "token_wrong_session",
      "capacity_below_taken",
      "session_cancelled",
    ),
  },
});

const cancel = createRoute({
  method: "post",
  path: "/sessions/{id}/cancel",
  operationId: "cancelSession",
  tags,
  summary: "Cancel a session (participants are told by email)",
  description:
    "Cancels every registration (cancelled by the system, each person told by email; nobody moves up from the waitlist) and every invitation not yet answered (those already sent are told by email). Nothing is sent for the session afterwards: sending or resending an invitation answers 409 `session_cancelled`. A second cancel changes nothing.",
  ...orgAccess("manage"),
  request: { params: SessionParam },
  responses: {
    200: jsonResponse(SessionSchema, "The cancelled session"),
    ...problems("unauthenticated", "token_expired", "insufficient_scope", "not_found", "session_not_found", "token_wrong_session"),
  },
});

export const sessionRoutes = router()
  .openapi(create, async (c) => {
    const org = orgCaller(c.var.caller);
    if (org.kind === "widget" && org.sessionId) problem("forbidden", "A token for one session cannot create sessions.");
    const session = unwrap(await createSession(c.env, org.orgId, c.req.valid("json"), new URL(c.req.url).origin));
    return c.json(session, 201);
  })
  .openapi(list, async (c) => {
    const org = orgCaller(c.var.caller);
    const only = org.kind === "widget" ? org.sessionId : null;
    return c.json(unwrap(await listSessions(c.env.DB, org.orgId, { ...c.req.valid("query"), sessionId: only }, c.var.clock.now())), 200);
  })
  .openapi(read, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    return c.json(unwrap(await ledger.read(org.orgId)), 200);
  })
  .openapi(edit, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    return c.json(unwrap(await ledger.update(org.orgId, c.req.valid("json"), actorOf(org))), 200);
  })
  .openapi(cancel, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    return c.json(unwrap(await ledger.cancel(org.orgId, actorOf(org))), 200);
  });
