// Members of an organisation and their roles. Owners and admins both run the org's sessions and
// keys and may invite colleagues (as admins; only an owner invites an owner); only an owner
// removes members or changes roles, and an org never loses its last owner. A removed member keeps nothing: their admin sessions end, the member
// invitations they sent and that wait are cancelled, and the API keys that answer to them are
// revoked (the widget tokens minted with those keys, or given to the member, end with them); the
// sessions they host that have not ended lose their host, and their host's seat is released.

import { and, asc, eq, gt, isNull, ne, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Role } from "../auth/admin-sessions";
import { adminLinks, adminSessions, apiKeys, members, sessionHosts } from "../db/schema";
import { type Failure, fail, type Outcome, ok } from "../errors/problem";
import { type HostReleaseMessage, queueHostReleases, sessionEnded } from "../sessions/host-release";

export type MemberView = { id: string; email: string; role: Role; createdAt: string; publicName: string | null; publicSlug: string | null };

export type MemberChange = { kind: "remove" } | { kind: "role"; role: Role };

/** Whether `actor` may invite someone to become a member with `role`. */
export function memberInviteRefusal(actor: Role, role: Role): Failure | null {
  if (role === "owner" && actor !== "owner") return { code: "forbidden", detail: "Only an owner can invite an owner." };
  return null;
}

/** Whether `actor` may make that change to `target` while the org has `owners` owners. */
export function memberChangeRefusal(actor: Role, target: Role, owners: number, change: MemberChange): Failure | null {
  if (actor !== "owner") return { code: "forbidden", detail: "Only an owner can remove members or change roles." };
  const losesAnOwner = target === "owner" && (change.kind === "remove" || change.role !== "owner");
  if (losesAnOwner && owners <= 1) return { code: "last_owner", detail: "Make another member an owner first." };
  return null;
}

export async function listMembers(database: D1Database, orgId: string): Promise<MemberView[]> {
  return drizzle(database)
    .select({
      id: members.id,
      email: members.email,
      role: members.role,
      createdAt: members.createdAt,
      publicName: members.publicName,
      publicSlug: members.publicSlug,
    })
    .from(members)
    .where(eq(members.orgId, orgId))
    .orderBy(asc(members.createdAt), asc(members.email));
}

/**
 * Part of every write that can take an owner away: true unless the row is an owner and the only
 * one. It is evaluated inside the write, so two owners demoting each other at the same moment
 * cannot both succeed.
 */
const keepsAnOwner = (orgId: string) =>
  or(ne(members.role, "owner"), sql`(select count(*) from ${members} where ${members.orgId} = ${orgId} and ${members.role} = 'owner') > 1`);

async function decide(
  database: D1Database,
  orgId: string,
  actor: Role,
  memberId: string,
  change: MemberChange,
): Promise<Outcome<MemberView>> {
  const all = await listMembers(database, orgId);
  const target = all.find((m) => m.id === memberId);
  if (!target) return fail("not_found", "No such member.");
  const refusal = memberChangeRefusal(actor, target.role, all.filter((m) => m.role === "owner").length, change);
  return refusal ? { ok: false, error: refusal } : ok(target);
}

export async function changeMemberRole(
  database: D1Database,
  orgId: string,
  actor: Role,
  memberId: string,
  role: Role,
): Promise<Outcome<MemberView>> {
  const decided = await decide(database, orgId, actor, memberId, { kind: "role", role });
  if (!decided.ok) return decided;
  const result = await drizzle(database)
    .update(members)
    .set({ role })
    .where(and(eq(members.id, memberId), eq(members.orgId, orgId), role === "owner" ? undefined : keepsAnOwner(orgId)))
    .run();
  if (result.meta.changes === 0) return fail("last_owner", "Make another member an owner first.");
  return ok({ ...decided.value, role });
}

/** What a removal took away besides the member. */
export type Removal = { member: MemberView; keysRevoked: number; invitationsCancelled: number };

/**
 * Removes a member and everything that acts for them, in one transaction: signs them out
 * everywhere, cancels the member invitations they sent that still wait, revokes the keys that
 * answer to them. Each statement runs only if the member row is still there to remove. Then the
 * sessions they host that have not ended each get a message on `hostReleases` (the fan-out
 * queue): the host is cleared and their host's seat released, one session's ledger at a time.
 */
export async function removeMember(
  database: D1Database,
  hostReleases: Pick<Queue<HostReleaseMessage>, "sendBatch">,
  orgId: string,
  actor: Role,
  memberId: string,
  now: Date,
): Promise<Outcome<Removal>> {
  const decided = await decide(database, orgId, actor, memberId, { kind: "remove" });
  if (!decided.ok) return decided;
  const db = drizzle(database);
  const nowIso = now.toISOString();
  const target = and(eq(members.id, memberId), eq(members.orgId, orgId), keepsAnOwner(orgId));
  const removable = sql`exists (select 1 from ${members} where ${target})`;
  const [, , invitations, keys, removed] = await db.batch([
    db.delete(adminSessions).where(and(eq(adminSessions.memberId, memberId), removable)),
    // Sessions they hosted that ended are left without a host; the others lose it once their
    // ledger released the host's seat (queued below, sessions/host-release.ts).
    db.delete(sessionHosts).where(and(eq(sessionHosts.orgId, orgId), eq(sessionHosts.memberId, memberId), sessionEnded(now), removable)),
    db
      .update(adminLinks)
      .set({ expiresAt: nowIso })
      .where(
        and(
          eq(adminLinks.orgId, orgId),
          eq(adminLinks.purpose, "member_invite"),
          eq(adminLinks.invitedBy, memberId),
          isNull(adminLinks.usedAt),
          gt(adminLinks.expiresAt, nowIso),
          removable,
        ),
      ),
    db
      .update(apiKeys)
      .set({ revokedAt: nowIso })
      .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.createdBy, memberId), isNull(apiKeys.revokedAt), removable)),
    db.delete(members).where(target),
  ]);
  if (removed.meta.changes === 0) return fail("last_owner", "Make another member an owner first.");
  try {
    await queueHostReleases(database, hostReleases, { orgId, memberId, email: decided.value.email });
  } catch (error) {
    // The member is gone either way: the cron's sweep queues what did not reach the queue.
    console.error("member removed; their sessions' host seats wait for the sweep", error);
  }
  return ok({ member: decided.value, keysRevoked: keys.meta.changes, invitationsCancelled: invitations.meta.changes });
}
