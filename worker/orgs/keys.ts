// An organisation's API keys: created (the secret shown once), listed, revoked. What a key is and
// how a request's key is checked is auth's (auth/api-keys.ts). A key answers to the member who made
// it (directly in the hosted admin, or through a key of theirs): removing the member revokes it.

import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Role } from "../auth/admin-sessions";
import { newApiKey } from "../auth/api-keys";
import { apiKeys, members } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { newId } from "../ids/ids";

export type ApiKeyView = {
  id: string;
  prefix: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The member the key answers to (null: the org's own, such as its first key). */
  createdBy: string | null;
};

/** Who makes a key: a signed-in member, another key (through the API), or nobody (the org's first key). */
export type KeyMaker = { memberId: string } | { keyId: string } | null;

const columns = {
  id: apiKeys.id,
  prefix: apiKeys.prefix,
  label: apiKeys.label,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  createdBy: apiKeys.createdBy,
};

/**
 * A new key: its secret, its row to insert and its view, as the org's own (answering to nobody);
 * createApiKey names the member a maker's key answers to.
 */
export async function newKey(orgId: string, label: string, now: Date) {
  const { key, prefix, hash } = await newApiKey();
  const view: ApiKeyView = {
    id: newId("key"),
    prefix,
    label,
    createdAt: now.toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    createdBy: null,
  };
  return { key, view, row: { ...view, orgId, hash } satisfies typeof apiKeys.$inferInsert };
}

/**
 * A new key, answering to its maker's member. The maker is checked in the same statement that
 * inserts: a member removed, or a key revoked, a moment before makes nothing (`unauthenticated`).
 */
export async function createApiKey(
  database: D1Database,
  orgId: string,
  label: string,
  now: Date,
  maker: KeyMaker,
): Promise<Outcome<{ key: string; view: ApiKeyView }>> {
  const db = drizzle(database);
  const { key, view, row } = await newKey(orgId, label, now);
  if (maker === null) {
    await db.insert(apiKeys).values(row);
    return ok({ key, view });
  }
  const insert = (createdBy: unknown, createdWithKey: string | null, makerStands: unknown) =>
    db.run(sql`insert into api_keys (id, org_id, prefix, hash, label, created_at, created_by, created_with_key)
      select ${row.id}, ${orgId}, ${row.prefix}, ${row.hash}, ${label}, ${row.createdAt}, ${createdBy}, ${createdWithKey}
      where ${makerStands}`);
  let createdBy: string | null = null;
  if ("memberId" in maker) {
    createdBy = maker.memberId;
    const stands = sql`exists (select 1 from ${members} where ${members.id} = ${maker.memberId} and ${members.orgId} = ${orgId})`;
    if ((await insert(maker.memberId, null, stands)).meta.changes === 0) return fail("unauthenticated", "You are no longer a member.");
  } else {
    const alive = sql`${apiKeys.id} = ${maker.keyId} and ${apiKeys.orgId} = ${orgId} and ${apiKeys.revokedAt} is null`;
    const answersTo = sql`(select ${apiKeys.createdBy} from ${apiKeys} where ${alive})`;
    const stands = sql`exists (select 1 from ${apiKeys} where ${alive})`;
    if ((await insert(answersTo, maker.keyId, stands)).meta.changes === 0) return fail("unauthenticated", "This API key was revoked.");
    createdBy = (await db.select({ createdBy: apiKeys.createdBy }).from(apiKeys).where(eq(apiKeys.id, row.id)).get())?.createdBy ?? null;
  }
  return ok({ key, view: { ...view, createdBy } });
}

export async function listApiKeys(database: D1Database, orgId: string): Promise<(ApiKeyView & { createdByEmail: string | null })[]> {
  return drizzle(database)
    .select({ ...columns, createdByEmail: members.email })
    .from(apiKeys)
    .leftJoin(members, eq(members.id, apiKeys.createdBy))
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt));
}

/**
 * Who a key acts as: the member it answers to (their role now), or an owner for the org's own keys
 * (`memberId` null). Its name, for the record of changes.
 */
export async function keyAuthority(
  database: D1Database,
  orgId: string,
  keyId: string,
): Promise<{ role: Role; name: string; memberId: string | null } | null> {
  const row = await drizzle(database)
    .select({ label: apiKeys.label, prefix: apiKeys.prefix, createdBy: apiKeys.createdBy, role: members.role })
    .from(apiKeys)
    .leftJoin(members, eq(members.id, apiKeys.createdBy))
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId)))
    .get();
  if (!row) return null;
  return {
    role: row.createdBy === null ? "owner" : (row.role ?? "admin"),
    name: `API key “${row.label}” (${row.prefix}…)`,
    memberId: row.createdBy,
  };
}

export async function revokeApiKey(database: D1Database, orgId: string, keyId: string, now: Date): Promise<Outcome<ApiKeyView>> {
  const db = drizzle(database);
  await db
    .update(apiKeys)
    .set({ revokedAt: now.toISOString() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)));
  const row = await db
    .select(columns)
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId)))
    .get();
  return row ? ok(row) : fail("not_found", "No such API key.");
}
