// Small pieces every route definition uses, so each one states only what is its own.

import { type RouteConfig, z } from "@hono/zod-openapi";
import { type ErrorCode, errorStatus } from "../errors/codes";

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
    errors: z.array(z.unknown()).optional(),
  })
  .passthrough()
  .openapi("Problem");

/** A required JSON body: without `required`, a body of another content type would skip validation. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { "application/json": { schema } }, required: true } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description } as const;
}

/**
 * What every route of a kind can answer besides its own: a bearer route (it lists
 * `unauthenticated`) refuses a browser page outside the org's allowed origins, and a route that
 * takes widget tokens (it lists `token_expired`) refuses one that is not valid.
 */
function implied(codes: ErrorCode[]): ErrorCode[] {
  return [
    ...(codes.includes("unauthenticated") ? (["origin_not_allowed"] as const) : []),
    ...(codes.includes("token_expired") ? (["token_invalid"] as const) : []),
  ];
}

/** Problem responses for the given codes, grouped by status, for the OpenAPI document. */
export function problems(...codes: ErrorCode[]): RouteConfig["responses"] {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of ["validation_failed", "malformed_request", ...codes, ...implied(codes)] as ErrorCode[]) {
    const status = errorStatus[code];
    byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), code])]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      { description: list.join(", "), content: { "application/problem+json": { schema: ProblemSchema } } },
    ]),
  );
}

/** The same, for routes that read a JSON body: too large and not JSON are answered too. */
export const bodyProblems = (...codes: ErrorCode[]) => problems("payload_too_large", "unsupported_media_type", ...codes);

export const bearer = [{ bearer: [] }];

/** A path parameter `{id}` of some resource (checked against its store, so only bounded here). */
export const IdParam = z.object({
  id: z
    .string()
    .max(80)
    .openapi({ param: { name: "id", in: "path" } }),
});

/** A path parameter `{token}`: a link's secret (hashed before it is looked up). */
export const TokenParam = z.object({
  token: z
    .string()
    .max(200)
    .openapi({ param: { name: "token", in: "path" } }),
});
