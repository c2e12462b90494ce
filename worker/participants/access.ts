// Opening a person's own page: a one-time link (256 random bits, D1 keeps their SHA-256, 15
// minutes, spent only by the POST behind the page's button so a mail scanner does not spend it),
// then an hour-long page session whose secret lives in a cookie scoped to /p (D1 keeps its hash).
// The same shape as the hosted admin's sign-in (auth/links.ts, auth/admin-sessions.ts).

import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { orgs, participantLinks, participantSessions } from "../db/schema";
import { randomSecret, sha256Hex } from "../ids/ids";
import { PAGE_LINK_TTL_MS, PAGE_SESSION_TTL_MS } from "./decide";

/** Whose page: in one org, an address (its key) and/or their contact. */
export type Person = { orgId: string; email: string | null; contactId: string | null };

export type PageIdentity = Person & { sessionHash: string; orgName: string; expiresAt: string };

const SECRET = /^[A-Za-z0-9_-]{43}$/;
export const pageLinkPath = (token: string) => `/p/l/${token}`;

export async function issuePageLink(database: D1Database, person: Person, now: Date): Promise<{ token: string; expiresAt: string }> {
  const token = randomSecret(32);
  const expiresAt = new Date(now.getTime() + PAGE_LINK_TTL_MS).toISOString();
  const db = drizzle(database);
  const day = new Date(now.getTime() - 24 * 60 * 60_000).toISOString();
  await db.batch([
    db.insert(participantLinks).values({ tokenHash: await sha256Hex(token), ...person, createdAt: now.toISOString(), expiresAt }),
    // Spent and long-expired links and page sessions are of no use to anyone.
    db.delete(participantLinks).where(lt(participantLinks.expiresAt, day)),
    db.delete(participantSessions).where(lt(participantSessions.expiresAt, now.toISOString())),
  ]);
  return { token, expiresAt };
}

/** The org a link opens, without spending it; `spent` for used or expired, null for unknown. */
export async function previewPageLink(database: D1Database, token: string, now: Date): Promise<{ orgName: string } | "spent" | null> {
  if (!SECRET.test(token)) return null;
  const row = await drizzle(database)
    .select({ usedAt: participantLinks.usedAt, expiresAt: participantLinks.expiresAt, orgName: orgs.name })
    .from(participantLinks)
    .innerJoin(orgs, eq(orgs.id, participantLinks.orgId))
    .where(eq(participantLinks.tokenHash, await sha256Hex(token)))
    .get();
  if (!row) return null;
  return row.usedAt || row.expiresAt <= now.toISOString() ? "spent" : { orgName: row.orgName };
}

/** Spends a link (check and spending in one statement: two racing clicks cannot both win) and opens a page session. */
export async function redeemPageLink(database: D1Database, token: string, now: Date): Promise<{ secret: string; expiresAt: Date } | null> {
  if (!SECRET.test(token)) return null;
  const db = drizzle(database);
  const nowIso = now.toISOString();
  const [link] = await db
    .update(participantLinks)
    .set({ usedAt: nowIso })
    .where(
      and(eq(participantLinks.tokenHash, await sha256Hex(token)), isNull(participantLinks.usedAt), gt(participantLinks.expiresAt, nowIso)),
    )
    .returning();
  if (!link) return null;
  const secret = randomSecret(32);
  const expiresAt = new Date(now.getTime() + PAGE_SESSION_TTL_MS);
  await db.insert(participantSessions).values({
    tokenHash: await sha256Hex(secret),
    orgId: link.orgId,
    email: link.email,
    contactId: link.contactId,
    createdAt: nowIso,
    expiresAt: expiresAt.toISOString(),
  });
  return { secret, expiresAt };
}

export async function resolvePageSession(database: D1Database, secret: string, now: Date): Promise<PageIdentity | null> {
  if (!SECRET.test(secret)) return null;
  const sessionHash = await sha256Hex(secret);
  const row = await drizzle(database)
    .select({
      orgId: participantSessions.orgId,
      email: participantSessions.email,
      contactId: participantSessions.contactId,
      expiresAt: participantSessions.expiresAt,
      orgName: orgs.name,
    })
    .from(participantSessions)
    .innerJoin(orgs, eq(orgs.id, participantSessions.orgId))
    .where(and(eq(participantSessions.tokenHash, sessionHash), gt(participantSessions.expiresAt, now.toISOString())))
    .get();
  return row ? { sessionHash, ...row } : null;
}

export async function endPageSession(database: D1Database, sessionHash: string): Promise<void> {
  await drizzle(database).delete(participantSessions).where(eq(participantSessions.tokenHash, sessionHash));
}
