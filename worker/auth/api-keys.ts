// Organisation API keys as credentials: `rk_<secret>`, shown once, stored as a SHA-256 hash. The
// format is made here and checked here; orgs/keys.ts lists, creates and revokes them.

import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys } from "../db/schema";
import { randomSecret, sha256Hex } from "../ids/ids";

const LAST_USED_RESOLUTION_MS = 60_000;

/** A new key: the secret to show once, the prefix to show always, the hash to keep. */
export async function newApiKey(): Promise<{ key: string; prefix: string; hash: string }> {
  const key = `rk_${randomSecret(24)}`;
  return { key, prefix: key.slice(0, 10), hash: await sha256Hex(key) };
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
