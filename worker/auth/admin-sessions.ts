// Signed-in members of the hosted admin. The cookie holds a 256-bit secret; D1 keeps its SHA-256
// with an expiry. Membership and role are read with the session on every request, so removing a
// member or changing a role takes effect at once.

import { and, eq, gt, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { adminSessions, type MEMBER_ROLES, members, type OrgSettings, orgs } from "../db/schema";
import { randomSecret, sha256Hex } from "../ids/ids";

export const ADMIN_SESSION_TTL_MS = 7 * 24 * 60 * 60_000;

export type Role = (typeof MEMBER_ROLES)[number];

/**
 * Who is signed in: the member, their org, and the hash that names this session. An owner or admin
 * viewing the admin as a host sees it as that host: the member, email and role are the host's, and
 * `viewer` is who is really signed in.
 */
export type AdminIdentity = {
  sessionHash: string;
  memberId: string;
  email: string;
  role: Role;
  orgId: string;
  orgName: string;
  orgSettings: OrgSettings;
  expiresAt: string;
  viewer?: { memberId: string; email: string; role: Role };
};

export async function startAdminSession(
  database: D1Database,
  member: { memberId: string; orgId: string },
  now: Date,
): Promise<{ secret: string; expiresAt: Date }> {
  const secret = randomSecret(32);
  const expiresAt = new Date(now.getTime() + ADMIN_SESSION_TTL_MS);
  const db = drizzle(database);
  await db.batch([
    db.insert(adminSessions).values({
      tokenHash: await sha256Hex(secret),
      orgId: member.orgId,
      memberId: member.memberId,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    }),
    db.delete(adminSessions).where(and(eq(adminSessions.memberId, member.memberId), lt(adminSessions.expiresAt, now.toISOString()))),
  ]);
  return { secret, expiresAt };
}

export async function resolveAdminSession(database: D1Database, secret: string, now: Date): Promise<AdminIdentity | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  const sessionHash = await sha256Hex(secret);
  const row = await drizzle(database)
    .select({
      memberId: members.id,
      email: members.email,
      role: members.role,
      orgId: orgs.id,
      orgName: orgs.name,
      orgSettings: orgs.settings,
      expiresAt: adminSessions.expiresAt,
      viewAsMemberId: adminSessions.viewAsMemberId,
    })
    .from(adminSessions)
    .innerJoin(members, eq(members.id, adminSessions.memberId))
    .innerJoin(orgs, eq(orgs.id, adminSessions.orgId))
    .where(and(eq(adminSessions.tokenHash, sessionHash), gt(adminSessions.expiresAt, now.toISOString())))
    .get();
  if (!row) return null;
  const { viewAsMemberId, ...identity } = row;
  if (!viewAsMemberId || identity.role === "host") return { sessionHash, ...identity };
  // Viewing as a host: only while they are still a host of this org; else their own view.
  const host = await drizzle(database)
    .select({ memberId: members.id, email: members.email })
    .from(members)
    .where(and(eq(members.id, viewAsMemberId), eq(members.orgId, identity.orgId), eq(members.role, "host")))
    .get();
  if (!host) return { sessionHash, ...identity };
  const viewer = { memberId: identity.memberId, email: identity.email, role: identity.role };
  return { sessionHash, ...identity, ...host, role: "host", viewer };
}

/**
 * Starts or ends (null) viewing the admin as one of the org's hosts, for this signed-in session
 * only. Only an owner or admin may, and only as a host of their own org: false when refused.
 */
export async function viewAsHost(database: D1Database, identity: AdminIdentity, hostMemberId: string | null): Promise<boolean> {
  const signedIn = identity.viewer ?? identity;
  if (signedIn.role === "host") return false;
  const db = drizzle(database);
  if (hostMemberId !== null) {
    const host = await db
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.id, hostMemberId), eq(members.orgId, identity.orgId), eq(members.role, "host")))
      .get();
    if (!host) return false;
  }
  await db.update(adminSessions).set({ viewAsMemberId: hostMemberId }).where(eq(adminSessions.tokenHash, identity.sessionHash));
  return true;
}

export async function endAdminSession(database: D1Database, sessionHash: string): Promise<void> {
  await drizzle(database).delete(adminSessions).where(eq(adminSessions.tokenHash, sessionHash));
}
