// An org's public slug: the name of its public listing in URLs (/o/{slug},
// /v1/public/orgs/{slug}/sessions, <rollcall-sessions org="{slug}">). One rule, used by PATCH
// /v1/org, the hosted admin's settings form and the public routes (a slug that could never be
// set is a 404 without a query).

import { z } from "@hono/zod-openapi";

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

/** Why `slug` cannot be an org's slug, or null when it can. */
export const isReservedSlug = (slug: string) => (RESERVED_SLUGS as readonly string[]).includes(slug);

export function slugProblem(slug: string): string | null {
  if (slug.length < SLUG_MIN || slug.length > SLUG_MAX) return `must be ${SLUG_MIN} to ${SLUG_MAX} characters long`;
  if (!SHAPE.test(slug)) return "may contain only lower-case letters, digits and hyphens, and may not start or end with a hyphen";
  if (isReservedSlug(slug)) return "is reserved; choose another";
  return null;
}

export const Slug = z
  .string()
  .trim()
  .superRefine((slug, ctx) => {
    const message = slugProblem(slug);
    if (message) ctx.addIssue({ code: "custom", message });
  })
  .openapi({
    description: `The org's public address in URLs: ${SLUG_MIN}–${SLUG_MAX} lower-case letters, digits and hyphens, not starting or ending with a hyphen; some words are reserved.`,
    example: "forest-camp",
  });
