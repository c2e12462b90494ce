// Organisations: created with the root key, together with their owner and first API key.

import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { members, type OrgSettings, orgs, sessions } from "../db/schema";
import { newId } from "../ids/ids";
import { type ApiKeyView, createApiKey } from "./keys";

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
    ? db
        .insert(members)
        .values({ id: newId("mem"), orgId: org.id, email: input.ownerEmail.toLowerCase(), role: "owner", createdAt: org.createdAt })
    : null;
  await db.batch(owner ? [inserts[0]!, owner] : [inserts[0]!]);
  const { key, view } = await createApiKey(database, org.id, "First key", now);
  return { org, apiKey: key, apiKeyInfo: view };
}

export type OrgWithSettings = OrgView & { settings: OrgSettings };

/** The org's invitation link template, or null when invitations link to this worker's own page. */
export async function invitationLinkTemplate(database: D1Database, orgId: string): Promise<string | null> {
  const org = await drizzle(database).select({ settings: orgs.settings }).from(orgs).where(eq(orgs.id, orgId)).get();
  return org?.settings.invitationLinkTemplate ?? null;
}

export async function readOrg(database: D1Database, orgId: string): Promise<OrgWithSettings | null> {
  const row = await drizzle(database).select().from(orgs).where(eq(orgs.id, orgId)).get();
  return row ? { id: row.id, name: row.name, createdAt: row.createdAt, settings: row.settings } : null;
}

/** What the mail sent for an org's sessions needs of the org: its settings, its name and its owner's address. */
export type OrgMailSettings = OrgSettings & { orgName: string; ownerEmail: string | null };

/**
 * The settings, name and first owner's address of the org of each of these sessions, in one query
 * whatever their number (the ids travel as one JSON parameter, so D1's limit on bound parameters
 * does not split it). A session the D1 projection does not hold is absent from the map.
 */
export async function orgSettingsBySession(database: D1Database, sessionIds: string[]): Promise<Map<string, OrgMailSettings>> {
  const ids = [...new Set(sessionIds)];
  if (ids.length === 0) return new Map();
  const rows = await drizzle(database)
    .select({
      sessionId: sessions.id,
      settings: orgs.settings,
      name: orgs.name,
      ownerEmail: sql<
        string | null
      >`(select ${members.email} from ${members} where ${members.orgId} = ${orgs.id} and ${members.role} = 'owner' order by ${members.createdAt}, ${members.id} limit 1)`,
    })
    .from(sessions)
    .innerJoin(orgs, eq(orgs.id, sessions.orgId))
    .where(sql`${sessions.id} in (select value from json_each(${JSON.stringify(ids)}))`);
  return new Map(rows.map((r) => [r.sessionId, { ...r.settings, orgName: r.name, ownerEmail: r.ownerEmail }]));
}

/** Changes the org's name and settings; `null` clears a setting. */
export async function updateOrg(
  database: D1Database,
  orgId: string,
  patch: { name?: string; settings?: { [K in keyof OrgSettings]?: OrgSettings[K] | null } },
): Promise<OrgWithSettings | null> {
  const current = await readOrg(database, orgId);
  if (!current) return null;
  const settings: OrgSettings = { ...current.settings };
  for (const [k, v] of Object.entries(patch.settings ?? {})) {
    if (v === null) delete settings[k as keyof OrgSettings];
    else (settings as Record<string, unknown>)[k] = v;
  }
  await drizzle(database)
    .update(orgs)
    .set({ name: patch.name ?? current.name, settings })
    .where(eq(orgs.id, orgId));
  return { ...current, name: patch.name ?? current.name, settings };
}
