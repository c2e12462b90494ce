// /v1/sessions: create, list, read, edit, cancel.

import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, type OrgCaller } from "../auth/caller";
import { orgAccess, orgCaller } from "../auth/middleware";
import { can } from "../auth/permissions";
import { problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import { AUTH_PROBLEMS, bodyProblems, jsonBody, jsonResponse, problems } from "../http/openapi";
import { adminLedger } from "./ledger-client";
import { CreateSessionBody, SessionListSchema, SessionParam, SessionSchema, UpdateSessionBody } from "./schemas";
import { createHostedSession, editHostedSession, listSessions, withHost } from "./service";

const tags = ["Sessions"];

const create = createRoute({
  method: "post",
  path: "/sessions",
  operationId: "createSession",
  tags,
  summary: "Create a session",
  description:
    "`hostMemberId` names the member who hosts it (any member of the org). A host's own token creates sessions only where the org lets hosts do so (`hostsCanCreateSessions`), and the session is theirs.",
  // A host's token is judged by what hosts may create (the org's settings), not by a session they host.
  ...orgAccess("manage", { host: "session:create" }),
  request: { body: jsonBody(CreateSessionBody) },
  responses: {
    201: jsonResponse(SessionSchema, "The session"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden"),
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
    ...problems(...AUTH_PROBLEMS),
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
    ...problems(...AUTH_PROBLEMS, "not_found", "session_not_found", "token_wrong_session"),
  },
});

const edit = createRoute({
  method: "patch",
  path: "/sessions/{id}",
  operationId: "updateSession",
  tags,
  summary: "Edit a session",
  description:
    "`hostMemberId` hands the session to another member of the org (null: nobody hosts it); a host's own token may not change it.",
  ...orgAccess("manage"),
  request: { params: SessionParam, body: jsonBody(UpdateSessionBody) },
  responses: {
    200: jsonResponse(SessionSchema, "The session"),
    ...bodyProblems(...AUTH_PROBLEMS, "not_found", "session_not_found", "token_wrong_session", "capacity_below_taken", "session_cancelled"),
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
    ...problems(...AUTH_PROBLEMS, "not_found", "session_not_found", "token_wrong_session"),
  },
});

/** A host's own token may not hand a session to someone (permissions.ts's `session:assign`). */
function mayAssign(org: OrgCaller) {
  if (org.kind === "widget" && org.member && !can(org.member, "session:assign"))
    problem("forbidden", "A host may not choose who hosts a session.");
}

/** Who hosts a new session: the one named, or the host whose own token creates it. */
function hostOfNew(org: OrgCaller, named: string | null | undefined): string | null {
  if (org.kind === "widget" && org.member?.role === "host") {
    if (named !== undefined && named !== org.member.memberId) mayAssign(org);
    return org.member.memberId;
  }
  return named ?? null;
}

export const sessionRoutes = router()
  .openapi(create, async (c) => {
    const org = orgCaller(c.var.caller);
    if (org.kind === "widget" && org.sessionId) problem("forbidden", "A token for one session cannot create sessions.");
    const input = c.req.valid("json");
    const host = hostOfNew(org, input.hostMemberId);
    const created = await createHostedSession(
      c.env,
      org.orgId,
      { ...input, hostMemberId: host },
      new URL(c.req.url).origin,
      c.var.clock.now(),
    );
    return c.json(unwrap(created), 201);
  })
  .openapi(list, async (c) => {
    const org = orgCaller(c.var.caller);
    const only = org.kind === "widget" ? org.sessionId : null;
    return c.json(unwrap(await listSessions(c.env.DB, org.orgId, { ...c.req.valid("query"), sessionId: only }, c.var.clock.now())), 200);
  })
  .openapi(read, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    return c.json(unwrap(await withHost(c.env.DB, org.orgId, unwrap(await ledger.read(org.orgId)))), 200);
  })
  .openapi(edit, async (c) => {
    const { id } = c.req.valid("param");
    const { org, ledger } = adminLedger(c.env, c.var.caller, id);
    const patch = c.req.valid("json");
    if (patch.hostMemberId !== undefined) mayAssign(org);
    return c.json(unwrap(await editHostedSession(c.env, ledger, org.orgId, id, patch, actorOf(org), c.var.clock.now())), 200);
  })
  .openapi(cancel, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    return c.json(unwrap(await withHost(c.env.DB, org.orgId, unwrap(await ledger.cancel(org.orgId, actorOf(org))))), 200);
  });
