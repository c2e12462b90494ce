// /v1/programs: programs, their sessions and groups, and their roster.

import { createRoute, z } from "@hono/zod-openapi";
import { directoryAccess, orgCaller } from "../auth/middleware";
import { problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import { bodyProblems, IdParam, jsonBody, jsonResponse, problems } from "../http/openapi";
import {
  CreateProgramBody,
  ProgramGroupsBody,
  ProgramRosterSchema,
  ProgramSchema,
  ProgramSessionsBody,
  UpdateProgramBody,
} from "./schemas";
import {
  assignGroups,
  attachSessions,
  createProgram,
  deleteProgram,
  detachSessions,
  listPrograms,
  programRoster,
  readProgram,
  unassignGroups,
  updateProgram,
} from "./service";

const tags = ["Programs"];

const route = <const M extends "get" | "post" | "patch" | "delete", const P extends string>(method: M, path: P, summary: string) => ({
  method,
  path,
  tags,
  summary,
  ...directoryAccess(method),
});

const list = createRoute({
  ...route("get", "/programs", "List programs"),
  responses: {
    200: jsonResponse(z.object({ programs: z.array(ProgramSchema) }), "The org's programs"),
    ...problems("unauthenticated", "token_expired", "insufficient_scope"),
  },
});
const create = createRoute({
  ...route("post", "/programs", "Create a program"),
  request: { body: jsonBody(CreateProgramBody) },
  responses: {
    201: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems("unauthenticated", "token_expired", "insufficient_scope", "forbidden"),
  },
});
const read = createRoute({
  ...route("get", "/programs/{id}", "Read a program with its sessions and groups"),
  request: { params: IdParam },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...problems("unauthenticated", "token_expired", "insufficient_scope", "not_found"),
  },
});
const edit = createRoute({
  ...route("patch", "/programs/{id}", "Edit a program"),
  request: { params: IdParam, body: jsonBody(UpdateProgramBody) },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems("unauthenticated", "token_expired", "insufficient_scope", "forbidden", "not_found"),
  },
});
const remove = createRoute({
  ...route("delete", "/programs/{id}", "Delete a program (its sessions and groups stay)"),
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.object({ id: z.string() }), "Deleted"),
    ...problems("unauthenticated", "token_expired", "insufficient_scope", "forbidden", "not_found"),
  },
});
const attach = createRoute({
  ...route("post", "/programs/{id}/sessions", "Attach sessions to a program"),
  request: { params: IdParam, body: jsonBody(ProgramSessionsBody) },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems("unauthenticated", "token_expired", "insufficient_scope", "forbidden", "not_found", "session_in_program"),
  },
});
const detach = createRoute({
  ...route("delete", "/programs/{id}/sessions", "Detach sessions from a program"),
  request: { params: IdParam, body: jsonBody(ProgramSessionsBody) },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems("unauthenticated", "token_expired", "insufficient_scope", "forbidden", "not_found"),
  },
});
const assign = createRoute({
  ...route("post", "/programs/{id}/groups", "Assign groups to a program"),
  request: { params: IdParam, body: jsonBody(ProgramGroupsBody) },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems("unauthenticated", "token_expired", "insufficient_scope", "forbidden", "not_found"),
  },
});
const unassign = createRoute({
  ...route("delete", "/programs/{id}/groups", "Unassign groups from a program"),
  request: { params: IdParam, body: jsonBody(ProgramGroupsBody) },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems("unauthenticated", "token_expired", "insufficient_scope", "forbidden", "not_found"),
  },
});
const roster = createRoute({
  ...route("get", "/programs/{id}/roster", "The program's roster: every person by session, with their status"),
  request: { params: IdParam },
  responses: {
    200: jsonResponse(ProgramRosterSchema, "The roster"),
    ...problems("unauthenticated", "token_expired", "insufficient_scope", "not_found"),
  },
});

export const programRoutes = router()
  .openapi(list, async (c) => c.json({ programs: await listPrograms(c.env.DB, orgCaller(c.var.caller).orgId) }, 200))
  .openapi(create, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(await createProgram(c.env.DB, orgId, c.req.valid("json"), c.var.clock.now()), 201);
  })
  .openapi(read, async (c) => {
    const program = await readProgram(c.env.DB, orgCaller(c.var.caller).orgId, c.req.valid("param").id);
    return program ? c.json(program, 200) : problem("not_found", "No such program.");
  })
  .openapi(edit, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await updateProgram(c.env.DB, orgId, c.req.valid("param").id, c.req.valid("json"), c.var.clock.now())), 200);
  })
  .openapi(remove, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await deleteProgram(c.env.DB, orgId, c.req.valid("param").id)), 200);
  })
  .openapi(attach, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(
      unwrap(await attachSessions(c.env.DB, orgId, c.req.valid("param").id, c.req.valid("json").sessionIds, c.var.clock.now())),
      200,
    );
  })
  .openapi(detach, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await detachSessions(c.env.DB, orgId, c.req.valid("param").id, c.req.valid("json").sessionIds)), 200);
  })
  .openapi(assign, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(
      unwrap(await assignGroups(c.env.DB, orgId, c.req.valid("param").id, c.req.valid("json").groupIds, c.var.clock.now())),
      200,
    );
  })
  .openapi(unassign, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await unassignGroups(c.env.DB, orgId, c.req.valid("param").id, c.req.valid("json").groupIds)), 200);
  })
  .openapi(roster, async (c) => c.json(unwrap(await programRoster(c.env.DB, orgCaller(c.var.caller).orgId, c.req.valid("param").id)), 200));
