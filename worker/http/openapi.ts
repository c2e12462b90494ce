// Small pieces every route definition uses, so each one states only what is its own.

import { type RouteConfig, z } from "@hono/zod-openapi";
import { type ErrorCode, errorStatus } from "../errors/codes";
import { FIELD_PROBLEMS } from "../errors/fields";
import { ADDRESS_PROBLEMS } from "../recipients/address";

/** Why a field was refused (errors/fields.ts), as every route and the directory's import rows say it. */
export const fieldErrorParts = {
  code: z.enum(FIELD_PROBLEMS).openapi({ description: "What is wrong, as a stable code, the same in every route." }),
  message: z.string().openapi({ description: "The same in an English sentence, following the field's name." }),
  params: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .openapi({ description: "What the sentence names: `max`, `min`, `options`, `keys`, `expected`, `line`, `groups`, `reason`." }),
};

export const FieldErrorSchema = z
  .object({
    path: z.string().openapi({
      description:
        "The field, as a dotted path into the request (`email`, `answers.shirt`, `fields.2.key`); `(body)` for the whole request.",
    }),
    ...fieldErrorParts,
  })
  .openapi("FieldError");

/** An address of a list that is not one (invalid_emails). */
const InvalidEntrySchema = z
  .object({ entry: z.string(), position: z.number().int(), problem: z.enum(ADDRESS_PROBLEMS) })
  .openapi("InvalidEntry");

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
    errors: z
      .array(z.union([FieldErrorSchema, InvalidEntrySchema]))
      .optional()
      .openapi({ description: "validation_failed: each field refused. invalid_emails: each address that is not one." }),
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
      {
        description: list.join(", ") + (list.includes("checkout_failed") ? CHECKOUT_FAILED_NOTE : ""),
        ...(status === 429 || list.includes("checkout_failed") ? { headers: retryAfter } : {}),
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    ]),
  );
}

/** What a checkout that failed for a moment (payments/checkout.ts) says besides its code. */
const CHECKOUT_FAILED_NOTE =
  " (checkout_failed: nothing was charged; Retry-After says when to try again, and `heldUntil`, when present, until when the seat stays held for the same request with the same Idempotency-Key)";

/** Every 429 says when to come back (auth/throttle.ts sets it; the mail budgets too), and so does checkout_failed. */
const retryAfter = {
  "Retry-After": {
    description: "Seconds to wait before trying again.",
    schema: { type: "integer", minimum: 1 },
  },
} as const;

/**
 * What a route that takes an API key or a widget token refuses before its own checks: no
 * credential, a widget token that has expired, a credential without the route's scope.
 */
export const AUTH_PROBLEMS = ["unauthenticated", "token_expired", "insufficient_scope"] as const;

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

/**
 * The document's tags, in the order a reader meets them, each with what its routes are for. A
 * route's tag must be one of these (test/worker/openapi.test.ts).
 */
export const API_TAGS = [
  { name: "Organisations", description: "The organisation, its settings, its API keys and the widget tokens for its own pages." },
  { name: "Sessions", description: "Create, list, read, edit and cancel the group sessions people register for." },
  {
    name: "Public",
    description:
      "What anyone may call without a credential: a session's public view, registering, confirming, the manage link, the org's listing. Limited per client and per session.",
  },
  { name: "Registrations", description: "A provider adds or removes a participant directly." },
  { name: "Roster", description: "Who is coming: a session's registrations and invitations, as JSON or CSV, and its failed emails." },
  {
    name: "Invitations",
    description: "Invite people to a session by email, send and resend, preview, cancel, and each invitation's history.",
  },
  {
    name: "Invitation link",
    description:
      "What the holder of an invitation link can do: read it, accept, decline, re-open, ask for a one-time code. Limited per client.",
  },
  { name: "Webhooks", description: "Delivery events from the email and SMS providers, verified by their signatures." },
  { name: "Contacts", description: "The organisation's directory of people: create, import from CSV, search, edit, erase." },
  { name: "Groups", description: "Named lists of contacts, to invite or assign together." },
  {
    name: "Programs",
    description: "Series of sessions with their groups: one invitation per person for the whole program, sent as a job.",
  },
  { name: "Privacy", description: "Export or erase everything the organisation holds about one email address." },
  { name: "Members", description: "The people who run the organisation: list, invite with a role, change roles, remove." },
  {
    name: "Discount codes",
    description:
      "The organisation's catalogue of discount codes: percent or fixed amount, validity window, maximum uses, restrictions, archive.",
  },
  {
    name: "Webhook endpoints",
    description:
      "Where Rollcall POSTs the org's events (see `webhooks`), signed per Standard Webhooks: endpoints, their secrets, their delivery log.",
  },
];
