// Organisation API keys: `rk_<secret>`, shown once, stored as a SHA-256 hash.

import { and, desc, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { newId, randomSecret, sha256Hex } from "../ids/ids";

export type ApiKeyView = {
  id: string;
  prefix: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const LAST_USED_RESOLUTION_MS = 60_000;

export async function createApiKey(
  database: D1Database,
  orgId: string,
  label: string,
  now: Date,
): Promise<{ key: string; view: ApiKeyView }> {
  const key = `rk_${randomSecret(24)}`;
  const row = { id: newId("key"), orgId, prefix: key.slice(0, 10), hash: await sha256Hex(key), label, createdAt: now.toISOString() };
  await drizzle(database).insert(apiKeys).values(row);
  return { key, view: { id: row.id, prefix: row.prefix, label, createdAt: row.createdAt, lastUsedAt: null, revokedAt: null } };
}

/** The org a key acts for, or null when the key is unknown or revoked. */
export async function resolveApiKey(
  database: D1Database,
  key: string,
  now: Date,
): Promise<{ orgId: string; keyId: string; touch: Promise<unknown> | null } | null> {
  const db = drizzle(database);
  const row = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.hash, await sha256Hex(key)))
    .get();
  if (!row || row.revokedAt) return null;
  // "Last used" to the minute: one write per key per minute, not one per request.
  const stale = !row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > LAST_USED_RESOLUTION_MS;
  const touch = stale ? db.update(apiKeys).set({ lastUsedAt: now.toISOString() }).where(eq(apiKeys.id, row.id)).run() : null;
  return { orgId: row.orgId, keyId: row.id, touch };
}

export async function listApiKeys(database: D1Database, orgId: string): Promise<ApiKeyView[]> {
  return drizzle(database)
    .select({
      id: apiKeys.id,
      prefix: apiKeys.prefix,
      label: apiKeys.label,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(database: D1Database, orgId: string, keyId: string, now: Date): Promise<Outcome<ApiKeyView>> {
  const db = drizzle(database);
  await db
    .update(apiKeys)
    .set({ revokedAt: now.toISOString() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)));
  const row = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId)))
    .get();
  if (!row) return fail("not_found", "No such API key.");
  return ok({
    id: row.id,
    prefix: row.prefix,
    label: row.label,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  });
}
