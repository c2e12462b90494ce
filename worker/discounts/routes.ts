// /v1/discount-codes: the org's catalogue of discount codes. Read with the invite scope (the
// invite modal lists the active ones to choose from), changed only by an org-wide credential.

import { createRoute, z } from "@hono/zod-openapi";
import { directoryAccess, orgCaller } from "../auth/middleware";
import { problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import { AUTH_PROBLEMS, bodyProblems, IdParam, jsonBody, jsonResponse, problems } from "../http/openapi";
import { invitationDiscounts } from "./check";
import { CreateDiscountCodeBody, DiscountCodeListQuery, DiscountCodeSchema, UpdateDiscountCodeBody } from "./schemas";
import { createDiscountCode, listDiscountCodes, readDiscountCode, updateDiscountCode } from "./store";

const tags = ["Discount codes"];

const route = <const M extends "get" | "post" | "patch", const P extends string>(method: M, path: P, summary: string) => ({
  method,
  path,
  tags,
  summary,
  ...directoryAccess(method),
});

const list = createRoute({
  ...route("get", "/discount-codes", "List the org's discount codes"),
  operationId: "listDiscountCodes",
  request: { query: DiscountCodeListQuery },
  responses: {
    200: jsonResponse(z.object({ discountCodes: z.array(DiscountCodeSchema) }), "The codes, by code"),
    ...problems(...AUTH_PROBLEMS),
  },
});
const create = createRoute({
  ...route("post", "/discount-codes", "Create a discount code"),
  operationId: "createDiscountCode",
  request: { body: jsonBody(CreateDiscountCodeBody) },
  responses: {
    201: jsonResponse(DiscountCodeSchema, "The code"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "discount_code_taken"),
  },
});
const read = createRoute({
  ...route("get", "/discount-codes/{id}", "Read a discount code with its uses"),
  operationId: "getDiscountCode",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(DiscountCodeSchema, "The code"),
    ...problems(...AUTH_PROBLEMS, "not_found"),
  },
});
const edit = createRoute({
  ...route("patch", "/discount-codes/{id}", "Edit or archive a discount code"),
  operationId: "updateDiscountCode",
  description: "`active: false` archives the code (no hard delete: registrations name it); `active: true` restores it.",
  request: { params: IdParam, body: jsonBody(UpdateDiscountCodeBody) },
  responses: {
    200: jsonResponse(DiscountCodeSchema, "The code"),
    ...bodyProblems(...AUTH_PROBLEMS, "forbidden", "not_found"),
  },
});

export const discountRoutes = router()
  .openapi(list, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    const { active, sessionId } = c.req.valid("query");
    const codes = sessionId
      ? await invitationDiscounts(c.env.DB, orgId, sessionId, c.var.clock.now())
      : await listDiscountCodes(c.env.DB, orgId, active);
    return c.json({ discountCodes: codes }, 200);
  })
  .openapi(create, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await createDiscountCode(c.env.DB, orgId, c.req.valid("json"), c.var.clock.now())), 201);
  })
  .openapi(read, async (c) => {
    const code = await readDiscountCode(c.env.DB, orgCaller(c.var.caller).orgId, c.req.valid("param").id);
    return c.json(code ?? problem("not_found", "No such discount code."), 200);
  })
  .openapi(edit, async (c) => {
    const orgId = orgCaller(c.var.caller).orgId;
    return c.json(unwrap(await updateDiscountCode(c.env.DB, orgId, c.req.valid("param").id, c.req.valid("json"), c.var.clock.now())), 200);
  });
