// An organisation's API keys: created (the secret shown once), listed, revoked. What a key is and
// how a request's key is checked is auth's (auth/api-keys.ts).

import { and, desc, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { newApiKey } from "../auth/api-keys";
import { apiKeys } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { newId } from "../ids/ids";

export type ApiKeyView = {
  id: string;
  prefix: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export async function createApiKey(
  database: D1Database,
  orgId: string,
  label: string,
  now: Date,
): Promise<{ key: string; view: ApiKeyView }> {
  const { key, prefix, hash } = await newApiKey();
  const row = { id: newId("key"), orgId, prefix, hash, label, createdAt: now.toISOString() };
  await drizzle(database).insert(apiKeys).values(row);
  return { key, view: { id: row.id, prefix: row.prefix, label, createdAt: row.createdAt, lastUsedAt: null, revokedAt: null } };
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
