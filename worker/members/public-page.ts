// A member's public page (seed 001: "you and your program members can also see all of your upcoming
// group sessions on your public profile page"): the org's upcoming listed sessions they host, at
// /o/{org slug}/hosts/{publicSlug}, and in <rollcall-sessions org host>. A member has one once they
// give the name participants should see; the address is made from that first name and kept while
// they have one (a later spelling of the name does not break the links already shared), and it
// goes with the name.

import { z } from "@hono/zod-openapi";
import { and, eq, isNotNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { isUniqueViolation } from "../db/errors";
import { members } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { isPlainText, isSingleLine, PLAIN_TEXT, SINGLE_LINE } from "../http/text";

export const PUBLIC_NAME_MAX = 80;
const SLUG_MAX = 40;

/** The name a member gives their public page; blank removes the page. One rule for every form that sets it. */
export const PublicName = z
  .string()
  .trim()
  .max(PUBLIC_NAME_MAX)
  .refine(isPlainText, PLAIN_TEXT)
  .refine(isSingleLine, SINGLE_LINE)
  .transform((name) => name || null);

/** What a host page's address may look like: a slug this module could have made. */
export const HOST_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** A name as an address: "Hélène Côté-Martin" → "helene-cote-martin"; "host" when nothing of it is left. */
export function slugOfName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, "");
  return slug || "host";
}

/** `base`, or `base-2`, `base-3`… the first that `taken` does not hold (always within SLUG_MAX). */
export function freeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export type PublicPage = { publicName: string | null; publicSlug: string | null };

/**
 * Gives the member `name` (null: no page). The address is made the first time and kept after; two
 * members saving the same name at once cannot take one address (the unique index refuses the
 * second, which tries the next free one).
 */
export async function setPublicName(
  database: D1Database,
  orgId: string,
  memberId: string,
  name: string | null,
): Promise<Outcome<PublicPage>> {
  const db = drizzle(database);
  const mine = and(eq(members.id, memberId), eq(members.orgId, orgId));
  const current = await db.select({ publicSlug: members.publicSlug }).from(members).where(mine).get();
  if (!current) return fail("not_found", "No such member.");
  if (name === null) {
    await db.update(members).set({ publicName: null, publicSlug: null }).where(mine).run();
    return ok({ publicName: null, publicSlug: null });
  }
  if (current.publicSlug) {
    await db.update(members).set({ publicName: name }).where(mine).run();
    return ok({ publicName: name, publicSlug: current.publicSlug });
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const rows = await db
      .select({ slug: members.publicSlug })
      .from(members)
      .where(and(eq(members.orgId, orgId), isNotNull(members.publicSlug)))
      .all();
    const slug = freeSlug(slugOfName(name), new Set(rows.map((r) => r.slug!)));
    try {
      await db.update(members).set({ publicName: name, publicSlug: slug }).where(mine).run();
      return ok({ publicName: name, publicSlug: slug });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  // Three members of one org saving one name within the same moment, three times over.
  throw new Error(`members: no free public address for ${memberId} after three tries`);
}

/** The member whose public page is `slug` in the org, if any. */
export async function memberByPublicSlug(
  database: D1Database,
  orgId: string,
  slug: string,
): Promise<{ id: string; publicName: string; publicSlug: string } | null> {
  if (!HOST_SLUG.test(slug)) return null;
  const row = await drizzle(database)
    .select({ id: members.id, publicName: members.publicName, publicSlug: members.publicSlug })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.publicSlug, slug)))
    .get();
  return row?.publicName && row.publicSlug ? { id: row.id, publicName: row.publicName, publicSlug: row.publicSlug } : null;
}
