// Organisations: created with the root key, together with their owner and first API key.

import { drizzle } from "drizzle-orm/d1";
import { members, orgs } from "../db/schema";
import { newId } from "../ids/ids";
import { createApiKey, type ApiKeyView } from "./keys";

export type OrgView = { id: string; name: string; createdAt: string };

export async function createOrg(
  database: D1Database,
  input: { name: string; ownerEmail?: string },
  now: Date,
): Promise<{ org: OrgView; apiKey: string; apiKeyInfo: ApiKeyView }> {
  const db = drizzle(database);
  const org = { id: newId("org"), name: input.name, createdAt: now.toISOString() };
  const inserts = [db.insert(orgs).values({ ...org, settings: {} })];
  const owner = input.ownerEmail
    ? db.insert(members).values({ id: newId("mem"), orgId: org.id, email: input.ownerEmail.toLowerCase(), role: "owner", createdAt: org.createdAt })
    : null;
  await db.batch(owner ? [inserts[0]!, owner] : [inserts[0]!]);
  const { key, view } = await createApiKey(database, org.id, "First key", now);
  return { org, apiKey: key, apiKeyInfo: view };
}
