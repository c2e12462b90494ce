// Organisations: created with the root key, together with their owner and first API key; their
// settings, changed under the rules of settings.ts and recorded.

import { desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Role } from "../auth/admin-sessions";
import { apiKeys, members, type OrgSettings, orgSettingsChanges, orgs, sessions } from "../db/schema";
import { fieldError } from "../errors/fields";
import { fail, type Outcome, ok } from "../errors/problem";
import { DEFAULT_LOCALE, type Locale } from "../i18n/locales";
import { newId } from "../ids/ids";
import { type ApiKeyView, newKey } from "./keys";
import { applyPatch, type OrgStatePatch, type SettingChange, settingChanges, settingsRefusal } from "./settings";

export type OrgView = { id: string; name: string; createdAt: string };

/** The first key's label, in the org's language: the owner reads it in the keys list and the settings history. */
const FIRST_KEY_LABEL: Record<Locale, string> = { en: "First key", fr: "Première clé" };

/** A new org; `defaultLocale` is its default language (a setting), which its first key's label is written in. */
export async function createOrg(
  database: D1Database,
  input: { name: string; ownerEmail?: string | undefined; defaultLocale?: Locale | undefined },
  now: Date,
): Promise<{ org: OrgView; apiKey: string; apiKeyInfo: ApiKeyView }> {
  const db = drizzle(database);
  const org = { id: newId("org"), name: input.name, createdAt: now.toISOString() };
  // The first key answers to nobody: it is the org's own, and outlives any member.
  const firstKey = await newKey(org.id, FIRST_KEY_LABEL[input.defaultLocale ?? DEFAULT_LOCALE], now);
  // One batch, one transaction: an org is never left without its owner or its key.
  await db.batch([
    db.insert(orgs).values({ ...org, settings: input.defaultLocale ? { defaultLocale: input.defaultLocale } : {} }),
    db.insert(apiKeys).values(firstKey.row),
    ...(input.ownerEmail
      ? [
          db
            .insert(members)
            .values({ id: newId("mem"), orgId: org.id, email: input.ownerEmail.toLowerCase(), role: "owner", createdAt: org.createdAt }),
        ]
      : []),
  ]);
  return { org, apiKey: firstKey.key, apiKeyInfo: firstKey.view };
}

export type OrgWithSettings = OrgView & { slug: string | null; settings: OrgSettings };

/** The org's invitation link template, or null when invitations link to this worker's own page. */
/** What the org's settings give every new invitation: the link's template, and the language of people who have none of their own. */
export async function invitationSettings(database: D1Database, orgId: string): Promise<{ linkTemplate: string | null; locale: Locale }> {
  const org = await drizzle(database).select({ settings: orgs.settings }).from(orgs).where(eq(orgs.id, orgId)).get();
  return { linkTemplate: org?.settings.invitationLinkTemplate ?? null, locale: org?.settings.defaultLocale ?? DEFAULT_LOCALE };
}

export async function readOrg(database: D1Database, orgId: string): Promise<OrgWithSettings | null> {
  const row = await drizzle(database).select().from(orgs).where(eq(orgs.id, orgId)).get();
  return row ? { id: row.id, name: row.name, slug: row.slug, createdAt: row.createdAt, settings: row.settings } : null;
}

/**
 * Who a session belongs to, as its mail needs it: the org's id (its budget), name and settings
 * (sender name, reply-to), and its first owner's address (the reply-to when none is set).
 */
export type SessionOrg = { orgId: string; name: string; settings: OrgSettings; ownerEmail: string | null };

/**
 * The org of each of these sessions, in one query whatever their number (the ids travel as one
 * JSON parameter, so D1's limit on bound parameters does not split it). A session the D1
 * projection does not hold is absent from the map.
 */
export async function orgsBySession(database: D1Database, sessionIds: string[]): Promise<Map<string, SessionOrg>> {
  const ids = [...new Set(sessionIds)];
  if (ids.length === 0) return new Map();
  const rows = await drizzle(database)
    .select({
      sessionId: sessions.id,
      orgId: orgs.id,
      name: orgs.name,
      settings: orgs.settings,
      ownerEmail: sql<
        string | null
      >`(select ${members.email} from ${members} where ${members.orgId} = ${orgs.id} and ${members.role} = 'owner' order by ${members.createdAt}, ${members.id} limit 1)`,
    })
    .from(sessions)
    .innerJoin(orgs, eq(orgs.id, sessions.orgId))
    .where(sql`${sessions.id} in (select value from json_each(${JSON.stringify(ids)}))`);
  return new Map(rows.map(({ sessionId, ...org }) => [sessionId, org]));
}

/** Who changes the org's settings: their role, `member:<id>` or `key:<id>`, and a name people read. */
export type SettingsActor = { role: Role; actor: string; name: string };

/**
 * Changes the org's name and settings (`null` clears a setting, absent leaves it) when the actor's
 * role allows, and records what changed, by whom, in the same transaction.
 */
export async function updateOrg(
  database: D1Database,
  orgId: string,
  patch: OrgStatePatch,
  by: SettingsActor,
  now: Date,
): Promise<Outcome<OrgWithSettings>> {
  const current = await readOrg(database, orgId);
  if (!current) return fail("not_found", "No such organisation.");
  const next = applyPatch(current, patch);
  const changes = settingChanges(current, next);
  const refusal = settingsRefusal(by.role, changes);
  if (refusal) return { ok: false, error: refusal };
  if (changes.length === 0) return ok(current);
  const db = drizzle(database);
  const slugChanged = changes.some((c) => c.field === "slug");
  if (slugChanged && next.slug && (await orgBySlug(database, next.slug))) return slugTaken();
  try {
    await db.batch([
      db.update(orgs).set(next).where(eq(orgs.id, orgId)),
      db
        .insert(orgSettingsChanges)
        .values({ id: newId("chg"), orgId, at: now.toISOString(), actor: by.actor, actorName: by.name, changes }),
    ]);
  } catch (error) {
    // Two orgs claiming the same slug at once: the unique index keeps one, the other is told.
    if (slugChanged && String(error).includes("orgs.slug")) return slugTaken();
    throw error;
  }
  return ok({ ...current, ...next });
}

const slugTaken = () =>
  fail("slug_taken", "Another organisation already uses this slug.", undefined, [fieldError("slug", "taken", "is taken; choose another")]);

/** The org whose public slug this is. */
export async function orgBySlug(database: D1Database, slug: string): Promise<{ id: string; name: string; settings: OrgSettings } | null> {
  const row = await drizzle(database)
    .select({ id: orgs.id, name: orgs.name, settings: orgs.settings })
    .from(orgs)
    .where(eq(orgs.slug, slug))
    .get();
  return row ?? null;
}

export type SettingsChangeView = { at: string; actor: string; actorName: string; changes: SettingChange[] };

/** The org's latest changes of settings, newest first. */
export async function settingsChangesOf(database: D1Database, orgId: string, limit = 50): Promise<SettingsChangeView[]> {
  const rows = await drizzle(database)
    .select({
      at: orgSettingsChanges.at,
      actor: orgSettingsChanges.actor,
      actorName: orgSettingsChanges.actorName,
      changes: orgSettingsChanges.changes,
    })
    .from(orgSettingsChanges)
    .where(eq(orgSettingsChanges.orgId, orgId))
    .orderBy(desc(orgSettingsChanges.at), desc(sql`rowid`))
    .limit(limit);
  return rows as SettingsChangeView[];
}

/** The org's owners and admins (every member has one of these roles), to ask them about a session. */
export async function membersOf(database: D1Database, orgId: string): Promise<{ id: string; email: string; role: string }[]> {
  return drizzle(database)
    .select({ id: members.id, email: members.email, role: members.role })
    .from(members)
    .where(eq(members.orgId, orgId));
}

/** One member, if it still is one (a removed member's links answer nothing). */
export async function memberById(database: D1Database, memberId: string): Promise<{ id: string; orgId: string; email: string } | null> {
  const row = await drizzle(database)
    .select({ id: members.id, orgId: members.orgId, email: members.email })
    .from(members)
    .where(eq(members.id, memberId))
    .get();
  return row ?? null;
}
