// One-time links to the hosted admin, emailed to an address (by email/admin-links.ts): a member's
// sign-in link (15 minutes) and an invitation for a colleague to become a member (72 hours). The
// link carries 256 random bits; D1 keeps only their SHA-256. Opening the link shows a button; only
// the POST behind the button spends it, so a mail scanner that fetches every link does not.

import { and, eq, gt, isNotNull, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { adminLinks, members, orgs } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { newId, randomSecret, sha256Hex } from "../ids/ids";
import type { Role } from "./admin-sessions";

export const SIGN_IN_TTL_MS = 15 * 60_000;
export const MEMBER_INVITE_TTL_MS = 72 * 60 * 60_000;

export type LinkPurpose = "sign_in" | "member_invite";

/** What a link, opened but not yet used, says it will do. */
export type LinkPreview = { purpose: LinkPurpose; email: string; orgId: string; orgName: string; expiresAt: string };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const linkPath = (token: string) => `/admin/link/${token}`;

async function issueLink(
  database: D1Database,
  input: { purpose: LinkPurpose; orgId: string; email: string; invitedBy?: string | null; role?: Role },
  now: Date,
): Promise<{ token: string; expiresAt: string }> {
  const token = randomSecret(32);
  const ttl = input.purpose === "sign_in" ? SIGN_IN_TTL_MS : MEMBER_INVITE_TTL_MS;
  const expiresAt = new Date(now.getTime() + ttl).toISOString();
  await drizzle(database)
    .insert(adminLinks)
    .values({
      tokenHash: await sha256Hex(token),
      purpose: input.purpose,
      orgId: input.orgId,
      email: input.email,
      invitedBy: input.invitedBy ?? null,
      role: input.role ?? null,
      createdAt: now.toISOString(),
      expiresAt,
    });
  return { token, expiresAt };
}

/** The orgs an address may sign in to: those it is a member of. */
export async function membershipsOf(database: D1Database, email: string): Promise<{ orgId: string; orgName: string }[]> {
  return drizzle(database)
    .select({ orgId: members.orgId, orgName: orgs.name })
    .from(members)
    .innerJoin(orgs, eq(orgs.id, members.orgId))
    .where(eq(members.email, email));
}

/** Spent and long-expired links are of no use to anyone. */
export async function sweepLinks(database: D1Database, now: Date): Promise<void> {
  const day = new Date(now.getTime() - 24 * 60 * 60_000).toISOString();
  await drizzle(database)
    .delete(adminLinks)
    .where(or(lt(adminLinks.expiresAt, day), and(isNotNull(adminLinks.usedAt), lt(adminLinks.usedAt, day))));
}

/**
 * A link inviting an address to become a member of the org with `role`; refused when it already is
 * a member. `email` is the address's key (emailKey).
 */
export async function issueMemberInvite(
  database: D1Database,
  input: { orgId: string; email: string; invitedBy: string | null; role: Role },
  now: Date,
): Promise<Outcome<{ token: string; expiresAt: string }>> {
  const existing = await drizzle(database)
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.orgId, input.orgId), eq(members.email, input.email)))
    .get();
  if (existing) return fail("already_member", `${input.email} is already a member.`);
  return ok(await issueLink(database, { purpose: "member_invite", ...input }, now));
}

/** A sign-in link for the address's membership of that org. `email` is the address's key (emailKey). */
export const issueSignInLink = (database: D1Database, input: { orgId: string; email: string }, now: Date) =>
  issueLink(database, { purpose: "sign_in", ...input }, now);

/** Invitations to become a member that are still waiting to be accepted. */
export async function pendingMemberInvites(database: D1Database, orgId: string, now: Date) {
  return drizzle(database)
    .select({ email: adminLinks.email, role: adminLinks.role, createdAt: adminLinks.createdAt, expiresAt: adminLinks.expiresAt })
    .from(adminLinks)
    .where(
      and(
        eq(adminLinks.orgId, orgId),
        eq(adminLinks.purpose, "member_invite"),
        isNull(adminLinks.usedAt),
        gt(adminLinks.expiresAt, now.toISOString()),
      ),
    )
    .orderBy(adminLinks.createdAt);
}

/** What a link will do, without spending it: or `unknown`, or `spent` (used or expired). */
export async function previewLink(database: D1Database, token: string, now: Date): Promise<LinkPreview | "unknown" | "spent"> {
  if (!TOKEN.test(token)) return "unknown";
  const row = await drizzle(database)
    .select({ link: adminLinks, orgName: orgs.name })
    .from(adminLinks)
    .innerJoin(orgs, eq(orgs.id, adminLinks.orgId))
    .where(eq(adminLinks.tokenHash, await sha256Hex(token)))
    .get();
  if (!row) return "unknown";
  if (row.link.usedAt || row.link.expiresAt <= now.toISOString()) return "spent";
  return { purpose: row.link.purpose, email: row.link.email, orgId: row.link.orgId, orgName: row.orgName, expiresAt: row.link.expiresAt };
}

/**
 * Spends a link and returns the member it signs in: the one the address already is, or, for a
 * member invitation, the member it becomes (with the role the invitation gives). The check and the spending are one statement, so two
 * clicks racing each other cannot both win. `spent` covers used, expired and unknown links.
 */
export async function redeemLink(
  database: D1Database,
  token: string,
  now: Date,
): Promise<{ memberId: string; orgId: string } | "spent" | "not_member"> {
  if (!TOKEN.test(token)) return "spent";
  const db = drizzle(database);
  const nowIso = now.toISOString();
  const [link] = await db
    .update(adminLinks)
    .set({ usedAt: nowIso })
    .where(and(eq(adminLinks.tokenHash, await sha256Hex(token)), isNull(adminLinks.usedAt), gt(adminLinks.expiresAt, nowIso)))
    .returning();
  if (!link) return "spent";
  if (link.purpose === "member_invite") {
    await db
      .insert(members)
      .values({ id: newId("mem"), orgId: link.orgId, email: link.email, role: link.role ?? "admin", createdAt: nowIso })
      .onConflictDoNothing();
  }
  // A member removed since the sign-in link was sent is not signed in.
  const member = await db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.orgId, link.orgId), eq(members.email, link.email)))
    .get();
  return member ? { memberId: member.id, orgId: link.orgId } : "not_member";
}
