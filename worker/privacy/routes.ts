// POST /v1/privacy/export and /v1/privacy/erase: one person's data, by email address. Addresses
// travel in the body, not the URL, so they stay out of logs and browser histories.

import { createRoute } from "@hono/zod-openapi";
import { reachesSession, wrongSession } from "../auth/caller";
import { orgAccess, orgCaller, requireApiKey } from "../auth/middleware";
import { problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import { AUTH_PROBLEMS, bearer, bodyProblems, jsonBody, jsonResponse } from "../http/openapi";
import { erasePerson, exportPerson } from "./person";
import { EraseBody, ErasureSchema, ExportBody, PersonExportSchema } from "./schemas";

const tags = ["Privacy"];

const exportRoute = createRoute({
  method: "post",
  path: "/privacy/export",
  operationId: "exportPersonalData",
  tags,
  summary: "Export everything the organisation holds about one email address (an API key only)",
  description:
    "Registrations (answers included) and invitations in every session of the organisation, and the emails sent about them, as JSON.",
  security: bearer,
  middleware: [requireApiKey] as const,
  request: { body: jsonBody(ExportBody) },
  responses: {
    200: jsonResponse(PersonExportSchema, "The person's records"),
    ...bodyProblems("unauthenticated", "forbidden"),
  },
});

const eraseRoute = createRoute({
  method: "post",
  path: "/privacy/erase",
  operationId: "erasePersonalData",
  tags,
  summary: "Erase one email address from the organisation's sessions, or from one session",
  description:
    "Each registration and invitation of the address keeps its status and seat (counts are unchanged) but loses the name, the address, the answers and the invitation's message; a pending invitation is also cancelled, without an email. The address's mail log entries are removed. Repeating it erases nothing more. An API key erases across the organisation or, with `sessionId`, in one session; a widget token with the manage scope only in the session it reaches, named by `sessionId`.",
  ...orgAccess("manage"),
  request: { body: jsonBody(EraseBody) },
  responses: {
    200: jsonResponse(ErasureSchema, "What was erased"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found", "session_not_found", "token_wrong_session"),
  },
});

export const privacyRoutes = router()
  .openapi(exportRoute, async (c) => {
    const { email } = c.req.valid("json");
    const org = orgCaller(c.var.caller);
    return c.json(unwrap(await exportPerson(c.env, org.orgId, email, c.var.clock.now())), 200);
  })
  .openapi(eraseRoute, async (c) => {
    const { email, sessionId } = c.req.valid("json");
    const org = orgCaller(c.var.caller);
    if (org.kind === "widget" && !sessionId) problem("forbidden", "A widget token erases in one session: name it with sessionId.");
    if (sessionId && !reachesSession(org, sessionId)) problem("token_wrong_session", wrongSession(sessionId));
    return c.json(unwrap(await erasePerson(c.env, org.orgId, email, sessionId ?? null, c.var.clock)), 200);
  });
