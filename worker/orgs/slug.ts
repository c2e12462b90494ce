// An org's public slug: the name of its public listing in URLs (/o/{slug},
// /v1/public/orgs/{slug}/sessions, <rollcall-sessions org="{slug}">). One rule, used by PATCH
// /v1/org, the hosted admin's settings form and the public routes (a slug that could never be
// set is a 404 without a query).

import { z } from "@hono/zod-openapi";
import { because, type FieldError } from "../errors/fields";

export const SLUG_MIN = 3;
export const SLUG_MAX = 48;

/** Words that name this service's own paths or could pass for it. */
export const RESERVED_SLUGS = [
  "admin",
  "api",
  "app",
  "dev",
  "demo",
  "docs",
  "help",
  "login",
  "new",
  "o",
  "public",
  "rollcall",
  "settings",
  "signin",
  "sign-in",
  "static",
  "support",
  "v1",
  "v2",
  "www",
] as const;

const SHAPE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Whether `slug` is a word the service's own addresses use. */
export const isReservedSlug = (slug: string) => (RESERVED_SLUGS as readonly string[]).includes(slug);

/** Why `slug` cannot be an org's slug (as a field problem: errors/fields.ts), or null when it can. */
export function slugProblem(slug: string): Omit<FieldError, "path"> | null {
  const length = `must be ${SLUG_MIN} to ${SLUG_MAX} characters long`;
  if (slug.length < SLUG_MIN) return { code: "too_short", message: length, params: { min: SLUG_MIN } };
  if (slug.length > SLUG_MAX) return { code: "too_long", message: length, params: { max: SLUG_MAX } };
  if (!SHAPE.test(slug))
    return {
      code: "not_a_slug",
      message: "may contain only lower-case letters, digits and hyphens, and may not start or end with a hyphen",
    };
  if (isReservedSlug(slug)) return { code: "reserved", message: "is reserved; choose another" };
  return null;
}

export const Slug = z
  .string()
  .trim()
  .superRefine((slug, ctx) => {
    const problem = slugProblem(slug);
    if (problem) ctx.addIssue({ code: "custom", ...because(problem.code, problem.message, problem.params) });
  })
  .openapi({
    description: `The org's public address in URLs: ${SLUG_MIN}–${SLUG_MAX} lower-case letters, digits and hyphens, not starting or ending with a hyphen; some words are reserved.`,
    example: "forest-camp",
  });
