// /v1/programs: programs, their sessions and groups, and their roster.

import { createRoute, z } from "@hono/zod-openapi";
import { directoryAccess, orgCaller } from "../auth/middleware";
import { problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import { AUTH_PROBLEMS, bodyProblems, IdParam, jsonBody, jsonResponse, problems } from "../http/openapi";
import { assignGroupsAndInvite, attachSessionsAndInvite } from "./changes";
import { createInvitationJob, listJobs, readJob, sendKeptJob } from "./fanout";
import {
  CreateProgramBody,
  InvitationJobDetailSchema,
  InvitationJobSchema,
  ProgramGroupsBody,
  ProgramInvitationsBody,
  ProgramRosterSchema,
  ProgramSchema,
  ProgramSessionsBody,
  SendProgramJobBody,
  UpdateProgramBody,
} from "./schemas";
import {
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
  ...directoryAccess(method, "org"),
});

const list = createRoute({
  ...route("get", "/programs", "List programs"),
  operationId: "listPrograms",
  responses: {
    200: jsonResponse(z.object({ programs: z.array(ProgramSchema) }), "The org's programs"),
    ...problems(...AUTH_PROBLEMS),
  },
});
const create = createRoute({
  ...route("post", "/programs", "Create a program"),
  operationId: "createProgram",
  request: { body: jsonBody(CreateProgramBody) },
  responses: {
    201: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden"),
  },
});
const read = createRoute({
  ...route("get", "/programs/{id}", "Read a program with its sessions and groups"),
  operationId: "getProgram",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...problems(...AUTH_PROBLEMS, "not_found"),
  },
});
const edit = createRoute({
  ...route("patch", "/programs/{id}", "Edit a program"),
  operationId: "updateProgram",
  request: { params: IdParam, body: jsonBody(UpdateProgramBody) },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});
const remove = createRoute({
  ...route("delete", "/programs/{id}", "Delete a program (its sessions and groups stay)"),
  operationId: "deleteProgram",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.object({ id: z.string() }), "Deleted"),
    ...problems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});
const attach = createRoute({
  ...route("post", "/programs/{id}/sessions", "Attach sessions to a program"),
  operationId: "attachProgramSessions",
  request: { params: IdParam, body: jsonBody(ProgramSessionsBody) },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found", "session_in_program"),
  },
});
const detach = createRoute({
  ...route("delete", "/programs/{id}/sessions", "Detach sessions from a program"),
  operationId: "detachProgramSessions",
  request: { params: IdParam, body: jsonBody(ProgramSessionsBody) },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});
const assign = createRoute({
  ...route("post", "/programs/{id}/groups", "Assign groups to a program"),
  operationId: "assignProgramGroups",
  request: { params: IdParam, body: jsonBody(ProgramGroupsBody) },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});
const unassign = createRoute({
  ...route("delete", "/programs/{id}/groups", "Unassign groups from a program"),
  operationId: "unassignProgramGroups",
  request: { params: IdParam, body: jsonBody(ProgramGroupsBody) },
  responses: {
    200: jsonResponse(ProgramSchema, "The program"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});
const roster = createRoute({
  ...route("get", "/programs/{id}/roster", "The program's roster: every person by session, with their status"),
  operationId: "getProgramRoster",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(ProgramRosterSchema, "The roster"),
    ...problems(...AUTH_PROBLEMS, "not_found"),
  },
});

const invite = createRoute({
  ...route("post", "/programs/{id}/invitations", "Invite people to every session of a program"),
  operationId: "inviteToProgram",
  description:
    "Creates a job that invites the people (contacts, and the members of groups as they are now) to each session of the program " +
    "that is not cancelled and has not ended. It runs in the background, one chunk of people × one session at a time, each " +
    "decided by that session; each (contact, session) pair is invited at most once, whatever the path or the retries. Once " +
    "the job is done, each person gets one email for the program (not one per session) listing their sessions, with one link " +
    "to a page where they accept all or choose; a program that has not started sends it on its first day (startsOn, in its " +
    'zone). With `send: "later"` the invitations are made and the emails wait for POST /programs/{id}/invitation-jobs/{jobId}/send. ' +
    "Follow the job at /programs/{id}/invitation-jobs/{jobId}. A request that would invite nobody makes no job: 409 " +
    "`invalid_transition` when the program has no session still to come, 422 `validation_failed` when neither list is " +
    "given and no group is assigned (`groupIds`: `required`), or when what is named has nobody in it (`too_few`).",
  request: { params: IdParam, body: jsonBody(ProgramInvitationsBody) },
  responses: {
    202: jsonResponse(InvitationJobSchema, "The job, started"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found", "invalid_transition"),
  },
});
const jobs = createRoute({
  ...route("get", "/programs/{id}/invitation-jobs", "A program's invitation jobs, newest first, with their progress"),
  operationId: "listProgramInvitationJobs",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.object({ jobs: z.array(InvitationJobSchema) }), "The jobs"),
    ...problems(...AUTH_PROBLEMS, "not_found"),
  },
});
const JobParams = IdParam.extend({
  jobId: z
    .string()
    .max(80)
    .openapi({ param: { name: "jobId", in: "path" } }),
});
const job = createRoute({
  ...route("get", "/programs/{id}/invitation-jobs/{jobId}", "One invitation job: its progress and who could not be invited, and why"),
  operationId: "getProgramInvitationJob",
  request: { params: JobParams },
  responses: {
    200: jsonResponse(InvitationJobDetailSchema, "The job"),
    ...problems(...AUTH_PROBLEMS, "not_found"),
  },
});

const sendJob = createRoute({
  ...route("post", "/programs/{id}/invitation-jobs/{jobId}/send", "Send the program emails a job kept to send"),
  operationId: "sendProgramInvitationJob",
  description:
    'For a job made with `send: "later"`: its people get their program email as soon as the job is done (now, when it is), or on ' +
    "the program's first day when it has not started. The body, optional, changes the email's words first. Sending a job again, " +
    "or one that never kept its emails, changes nothing and answers the job; new words for emails no longer kept are refused " +
    "(`invalid_transition`).",
  request: { params: JobParams, body: { ...jsonBody(SendProgramJobBody), required: false } },
  responses: {
    200: jsonResponse(InvitationJobSchema, "The job, its emails no longer kept"),
    ...bodyProblems(...AUTH_PROBLEMS, "not_found", "invalid_transition"),
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
    const { id } = c.req.valid("param");
    const { sessionIds } = c.req.valid("json");
    // The assigned groups' members are invited to the sessions just attached.
    return c.json(unwrap(await attachSessionsAndInvite(c.env, orgId, id, sessionIds, c.var.clock.now())).program, 200);
  })
  .openapi(detach, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await detachSessions(c.env.DB, orgId, c.req.valid("param").id, c.req.valid("json").sessionIds)), 200);
  })
  .openapi(assign, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    const { id } = c.req.valid("param");
    const { groupIds } = c.req.valid("json");
    // Their current members are invited to the program's current sessions.
    return c.json(unwrap(await assignGroupsAndInvite(c.env, orgId, id, groupIds, c.var.clock.now())).program, 200);
  })
  .openapi(unassign, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await unassignGroups(c.env.DB, orgId, c.req.valid("param").id, c.req.valid("json").groupIds)), 200);
  })
  .openapi(roster, async (c) => c.json(unwrap(await programRoster(c.env.DB, orgCaller(c.var.caller).orgId, c.req.valid("param").id)), 200))
  .openapi(invite, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    const { id } = c.req.valid("param");
    const job = unwrap(
      await createInvitationJob(c.env, { orgId, programId: id, trigger: "invitations", ...c.req.valid("json") }, c.var.clock.now()),
    );
    return c.json(job, 202);
  })
  .openapi(jobs, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json({ jobs: unwrap(await listJobs(c.env.DB, orgId, c.req.valid("param").id)) }, 200);
  })
  .openapi(job, async (c) => {
    const { id, jobId } = c.req.valid("param");
    const found = await readJob(c.env.DB, orgCaller(c.var.caller).orgId, id, jobId);
    return found ? c.json(found, 200) : problem("not_found", "No such invitation job.");
  })
  .openapi(sendJob, async (c) => {
    const { id, jobId } = c.req.valid("param");
    const words = c.req.valid("json") ?? {};
    return c.json(unwrap(await sendKeptJob(c.env, orgCaller(c.var.caller).orgId, id, jobId, c.var.clock.now(), words)), 200);
  });
