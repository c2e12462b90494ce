// Groups of contacts in D1: a cohort, a class, a team. Names are unique per org whatever their case.

import { and, asc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { isUniqueViolation } from "../db/errors";
import { contacts, groupMembers, groups } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { newId } from "../ids/ids";
import { inviteJoined } from "../programs/fanout";
import { groupNameKey } from "./import";
import { addMemberships, writeWithMemberships } from "./store";

export type GroupView = { id: string; name: string; memberCount: number; createdAt: string; updatedAt: string };

const memberCount = sql<number>`(select count(*) from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`;

export async function listGroups(database: D1Database, orgId: string): Promise<GroupView[]> {
  return drizzle(database)
    .select({ id: groups.id, name: groups.name, memberCount, createdAt: groups.createdAt, updatedAt: groups.updatedAt })
    .from(groups)
    .where(eq(groups.orgId, orgId))
    .orderBy(asc(groups.nameKey));
}

export async function readGroup(database: D1Database, orgId: string, id: string): Promise<GroupView | null> {
  const row = await drizzle(database)
    .select({ id: groups.id, name: groups.name, memberCount, createdAt: groups.createdAt, updatedAt: groups.updatedAt })
    .from(groups)
    .where(and(eq(groups.orgId, orgId), eq(groups.id, id)))
    .get();
  return row ?? null;
}

const nameTaken = (name: string) => fail("group_exists", `The org already has a group named “${name}”.`);

export async function createGroup(database: D1Database, orgId: string, name: string, now: Date): Promise<Outcome<GroupView>> {
  const at = now.toISOString();
  const id = newId("grp");
  try {
    await drizzle(database)
      .insert(groups)
      .values({ id, orgId, name, nameKey: groupNameKey(name), createdAt: at, updatedAt: at });
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken(name);
    throw error;
  }
  return ok({ id, name, memberCount: 0, createdAt: at, updatedAt: at });
}

export async function renameGroup(database: D1Database, orgId: string, id: string, name: string, now: Date): Promise<Outcome<GroupView>> {
  try {
    const changed = await drizzle(database)
      .update(groups)
      .set({ name, nameKey: groupNameKey(name), updatedAt: now.toISOString() })
      .where(and(eq(groups.orgId, orgId), eq(groups.id, id)))
      .returning({ id: groups.id });
    if (!changed.length) return fail("not_found", "No such group.");
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken(name);
    throw error;
  }
  return ok((await readGroup(database, orgId, id))!);
}

/** Deletes a group; its members stay in the directory. */
export async function deleteGroup(database: D1Database, orgId: string, id: string): Promise<Outcome<{ id: string }>> {
  const db = drizzle(database);
  const [, deleted] = await db.batch([
    db.delete(groupMembers).where(and(eq(groupMembers.orgId, orgId), eq(groupMembers.groupId, id))),
    db
      .delete(groups)
      .where(and(eq(groups.orgId, orgId), eq(groups.id, id)))
      .returning({ id: groups.id }),
  ]);
  return deleted.length ? ok({ id }) : fail("not_found", "No such group.");
}

/** Which of these ids are the org's contacts not erased (the others are reported back). */
export async function ownContacts(database: D1Database, orgId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await drizzle(database)
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        eq(contacts.orgId, orgId),
        sql`${contacts.erasedAt} is null`,
        sql`${contacts.id} in (select value from json_each(${JSON.stringify(ids)}))`,
      ),
    );
  return new Set(rows.map((r) => r.id));
}

export type MembershipChange = { group: GroupView; changed: number; unknown: string[] };

/**
 * Adds (or removes) these contacts to a group; ids that are not the org's contacts are named back.
 * Those who joined are invited to the programs the group is assigned to.
 */
export async function changeMembers(
  env: Env,
  orgId: string,
  groupId: string,
  contactIds: string[],
  change: "add" | "remove",
  now: Date,
): Promise<Outcome<MembershipChange>> {
  const database = env.DB;
  const group = await readGroup(database, orgId, groupId);
  if (!group) return fail("not_found", "No such group.");
  const own = await ownContacts(database, orgId, contactIds);
  const unknown = contactIds.filter((id) => !own.has(id));
  if (unknown.length) return fail("validation_failed", "Some contact ids are not contacts of this org.", { unknown });
  let changed: number;
  if (change === "add") {
    const joined = await writeWithMemberships(
      database,
      [],
      addMemberships(
        database,
        orgId,
        [...own].map((contactId) => ({ groupId, contactId })),
        now.toISOString(),
      ),
    );
    changed = joined.length;
    await inviteJoined(env, orgId, joined, now);
  } else {
    const removed = await drizzle(database).run(sql`delete from ${groupMembers} where ${groupMembers.groupId} = ${groupId}
      and ${groupMembers.contactId} in (select value from json_each(${JSON.stringify([...own])}))`);
    changed = removed.meta.changes ?? 0;
  }
  return ok({ group: (await readGroup(database, orgId, groupId))!, changed, unknown });
}
