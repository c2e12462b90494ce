// Who hosts which session (D1's session_hosts): naming a session's host, reading it, and the org's
// hosts an admin can choose from. Whether someone may do it is auth/permissions.ts's.

import { and, asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { members, orgs, sessionHosts } from "../db/schema";
import { fieldError } from "../errors/fields";
import { fail, type Outcome, ok } from "../errors/problem";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../i18n/locales";

export type Host = { id: string; email: string };

/**
 * The host as their own registration names them (the host's seat, ledger/host-seat.ts), with the
 * language their emails speak.
 */
export type HostPerson = { email: string; name: string; locale: Locale };

/** The name a host's registration carries: members have only an address, so its local part. */
export function hostName(email: string): string {
  return email.split("@")[0] || email;
}

/**
 * The language a host's registration speaks: members keep no language of their own, so the org's
 * default, else the project's.
 */
export function hostLocale(orgDefault: unknown): Locale {
  return isLocale(orgDefault) ? orgDefault : DEFAULT_LOCALE;
}

/** The member as the person who holds the host's seat, or null when they are not the org's. */
export async function hostPerson(database: D1Database, orgId: string, memberId: string): Promise<HostPerson | null> {
  const member = await drizzle(database)
    .select({ email: members.email, settings: orgs.settings })
    .from(members)
    .innerJoin(orgs, eq(orgs.id, members.orgId))
    .where(and(eq(members.id, memberId), eq(members.orgId, orgId)))
    .get();
  return member ? { email: member.email, name: hostName(member.email), locale: hostLocale(member.settings.defaultLocale) } : null;
}

/**
 * Who hosts the session once `named` is applied (undefined: whoever hosts it now), and what the
 * ledger needs to seat them: the person, and whether they are newly named.
 */
export async function hostChange(
  database: D1Database,
  orgId: string,
  sessionId: string,
  named: string | null | undefined,
): Promise<{ hostMemberId: string | null; change: { person: HostPerson | null; assigned: boolean } }> {
  const current = await sessionHostOf(database, orgId, sessionId);
  const hostMemberId = named === undefined ? current : named;
  const person = hostMemberId ? await hostPerson(database, orgId, hostMemberId) : null;
  return { hostMemberId, change: { person, assigned: hostMemberId !== current } };
}

/** The member who hosts the session, or null. */
export async function sessionHostOf(database: D1Database, orgId: string, sessionId: string): Promise<string | null> {
  const row = await drizzle(database)
    .select({ memberId: sessionHosts.memberId })
    .from(sessionHosts)
    .where(and(eq(sessionHosts.sessionId, sessionId), eq(sessionHosts.orgId, orgId)))
    .get();
  return row?.memberId ?? null;
}

/** The org's members with the host role, to choose a session's host from. */
export async function listHosts(database: D1Database, orgId: string): Promise<Host[]> {
  return drizzle(database)
    .select({ id: members.id, email: members.email })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.role, "host")))
    .orderBy(asc(members.email));
}

/** Whether the member may host the org's sessions: any member of the org, whatever the role. */
export async function checkHost(database: D1Database, orgId: string, memberId: string): Promise<Outcome<null>> {
  const member = await drizzle(database)
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.orgId, orgId)))
    .get();
  if (!member)
    return fail("validation_failed", "The host must be a member of the organisation.", undefined, [
      fieldError("hostMemberId", "not_yours", "not a member of the organisation"),
    ]);
  return ok(null);
}

/**
 * Names the session's host (null: nobody). The member must be one of the org's; the session is
 * the caller's to have checked (it is the org's, and the caller may assign it).
 */
export async function setSessionHost(
  database: D1Database,
  orgId: string,
  sessionId: string,
  memberId: string | null,
  now: Date,
): Promise<Outcome<{ hostMemberId: string | null }>> {
  const db = drizzle(database);
  if (memberId === null) {
    await db.delete(sessionHosts).where(and(eq(sessionHosts.sessionId, sessionId), eq(sessionHosts.orgId, orgId)));
    return ok({ hostMemberId: null });
  }
  const member = await checkHost(database, orgId, memberId);
  if (!member.ok) return member;
  const row = { sessionId, orgId, memberId, updatedAt: now.toISOString() };
  await db
    .insert(sessionHosts)
    .values(row)
    .onConflictDoUpdate({ target: sessionHosts.sessionId, set: { memberId, updatedAt: row.updatedAt } });
  return ok({ hostMemberId: memberId });
}
