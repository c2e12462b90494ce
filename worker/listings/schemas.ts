// Shapes of the public listing: an org's upcoming listed sessions, with no personal data in them.

import { z } from "@hono/zod-openapi";
import { HOST_SLUG } from "../members/public-page";
import { PriceViewSchema, RegistrationStateSchema, SessionId } from "../sessions/schemas";

export const LISTING_MAX_LIMIT = 50;

export const ListingParam = z.object({
  slug: z
    .string()
    .max(64)
    .openapi({ param: { name: "slug", in: "path" }, example: "forest-camp" }),
});

export const ListingQuery = z.object({
  limit: z.coerce.number().int().min(1).max(LISTING_MAX_LIMIT).default(20),
  cursor: z.string().max(500).optional().openapi({ description: "The `next` of the previous page." }),
  program: z
    .string()
    .regex(/^prg_[0-9a-z]{1,40}$/, "must be a program id (prg_…)")
    .optional()
    .openapi({ description: "Only the sessions of this program." }),
  tag: z.string().trim().min(1).max(40).optional().openapi({ description: "Only the sessions with this tag." }),
  host: z.string().regex(HOST_SLUG, "must be a host's public address (lower-case letters, digits and hyphens)").optional().openapi({
    description: "Only the sessions of the member with this public page (`publicSlug`): their public profile.",
    example: "marie-curie",
  }),
});
export type ListingQueryInput = z.infer<typeof ListingQuery>;

export const PublicHostSchema = z
  .object({
    name: z.string(),
    slug: z.string(),
    url: z.string().openapi({ description: "Their public page (/o/{org slug}/hosts/{slug})." }),
  })
  .openapi("PublicHost");

export const ListedSessionSchema = z
  .object({
    id: SessionId,
    title: z.string(),
    description: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    timeZone: z.string(),
    durationMinutes: z.number().int(),
    waitlist: z.boolean(),
    price: PriceViewSchema.nullable().openapi({ description: "What a seat costs, in the currency's minor units; null: free." }),
    seats: z.object({ capacity: z.number().int(), available: z.number().int(), waitlisted: z.number().int() }),
    registrationState: RegistrationStateSchema,
    program: z.object({ id: z.string(), name: z.string() }).nullable(),
    tags: z.array(z.string()),
    url: z.string().openapi({ description: "The session's hosted page (/s/{id}), where anyone may join." }),
    host: PublicHostSchema.nullable().openapi({ description: "Who hosts it, when they have a public page; null otherwise." }),
  })
  .openapi("ListedSession");
export type ListedSession = z.infer<typeof ListedSessionSchema>;

export const ListingSchema = z
  .object({
    org: z.object({ name: z.string(), slug: z.string() }),
    host: PublicHostSchema.nullable().openapi({ description: "The host the listing is narrowed to (`host`); null for the whole org's." }),
    sessions: z.array(ListedSessionSchema),
    next: z.string().nullable().openapi({ description: "The cursor of the next page; null on the last." }),
    facets: z
      .object({ programs: z.array(z.object({ id: z.string(), name: z.string() })), tags: z.array(z.string()) })
      .openapi({ description: "Every program and tag of the org's upcoming listed sessions, for filters." }),
  })
  .openapi("Listing");
export type Listing = z.infer<typeof ListingSchema>;
