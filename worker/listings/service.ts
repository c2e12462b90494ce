// The public listing of an org's sessions, read from the D1 projection (no ledger is woken): its
// upcoming, scheduled, listed sessions in start order, a page at a time, with the programs and tags
// they carry for filters. Only what the session's public page shows leaves here.

import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { members, programSessions, programs, sessionHosts, sessions } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { encodeCursor, readCursor } from "../http/cursor";
import { memberByPublicSlug } from "../members/public-page";
import { orgBySlug } from "../orgs/orgs";
import { slugProblem } from "../orgs/slug";
import type { SessionView } from "../sessions/schemas";
import { registrationState } from "../sessions/seats";
import type { Listing, ListingQueryInput } from "./schemas";

const noSuchOrg = () => fail("not_found", "No organisation has this public address.");
const noSuchHost = () =>
  fail("not_found", "No host of this organisation has this public page: check the address, or list the whole organisation's sessions.");

/** A host's public page, under the org's. */
export const hostPagePath = (orgSlug: string, hostSlug: string) => `/o/${orgSlug}/hosts/${hostSlug}`;

/** The org's listing under `slug`, or not_found (an unknown slug and one never valid alike). */
export async function listingOf(database: D1Database, slug: string, query: ListingQueryInput, now: Date): Promise<Outcome<Listing>> {
  if (slugProblem(slug)) return noSuchOrg();
  const org = await orgBySlug(database, slug);
  if (!org) return noSuchOrg();
  const read = readCursor(query.cursor);
  if (!read.ok) return read;
  const cursor = read.value;
  const host = query.host ? await memberByPublicSlug(database, org.id, query.host) : null;
  if (query.host && !host) return noSuchHost();

  const db = drizzle(database);
  const nowIso = now.toISOString();
  // Upcoming: not started yet (a session under way can no longer be joined from a listing). A
  // host's page lists theirs, and its filters are made of theirs.
  const visible = and(
    eq(sessions.orgId, org.id),
    eq(sessions.status, "scheduled"),
    eq(sessions.listed, true),
    gt(sessions.startsAt, nowIso),
    host
      ? sql`exists (select 1 from ${sessionHosts} where ${sessionHosts.sessionId} = ${sessions.id} and ${sessionHosts.memberId} = ${host.id})`
      : undefined,
  );
  const filters = and(
    visible,
    query.program ? eq(programSessions.programId, query.program) : undefined,
    query.tag ? sql`exists (select 1 from json_each(${sessions.tags}) where value = ${query.tag})` : undefined,
  );
  const after = cursor ? or(gt(sessions.startsAt, cursor.s), and(eq(sessions.startsAt, cursor.s), gt(sessions.id, cursor.i))) : undefined;

  const [rows, programRows, tagRows] = await db.batch([
    db
      .select({
        id: sessions.id,
        title: sessions.title,
        startsAt: sessions.startsAt,
        timeZone: sessions.timeZone,
        durationMinutes: sessions.durationMinutes,
        status: sessions.status,
        capacity: sessions.capacity,
        available: sessions.available,
        waitlisted: sessions.waitlisted,
        registrationOpensAt: sessions.registrationOpensAt,
        registrationClosesAt: sessions.registrationClosesAt,
        tags: sessions.tags,
        snapshot: sessions.snapshot,
        // Named apart: D1 answers rows keyed by column name, and both tables have an "id".
        programId: programSessions.programId,
        programName: sql<string | null>`${programs.name}`.as("program_name"),
        hostName: sql<string | null>`${members.publicName}`.as("host_name"),
        hostSlug: sql<string | null>`${members.publicSlug}`.as("host_slug"),
      })
      .from(sessions)
      .leftJoin(programSessions, eq(programSessions.sessionId, sessions.id))
      .leftJoin(programs, eq(programs.id, programSessions.programId))
      .leftJoin(sessionHosts, eq(sessionHosts.sessionId, sessions.id))
      .leftJoin(members, and(eq(members.id, sessionHosts.memberId), eq(members.orgId, sessions.orgId)))
      .where(and(filters, after))
      .orderBy(asc(sessions.startsAt), asc(sessions.id))
      .limit(query.limit + 1),
    db
      .selectDistinct({ id: programs.id, name: programs.name })
      .from(sessions)
      .innerJoin(programSessions, eq(programSessions.sessionId, sessions.id))
      .innerJoin(programs, eq(programs.id, programSessions.programId))
      .where(visible)
      .orderBy(asc(programs.name), asc(programs.id)),
    db
      .select({ tag: sql<string>`distinct t.value` })
      .from(sql`${sessions}, json_each(${sessions.tags}) as t`)
      .where(visible)
      .orderBy(sql`t.value`),
  ]);

  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const publicHost = (name: string | null, hostSlug: string | null) =>
    name && hostSlug ? { name, slug: hostSlug, url: hostPagePath(slug, hostSlug) } : null;
  return ok({
    org: { name: org.name, slug },
    host: host && publicHost(host.publicName, host.publicSlug),
    sessions: page.map((r) => {
      // The snapshot holds private fields too (the registration code): only these two are read from it.
      const { description, waitlist, price } = JSON.parse(r.snapshot) as Pick<SessionView, "description" | "waitlist" | "price">;
      const seats = { capacity: r.capacity, available: r.available, waitlisted: r.waitlisted };
      return {
        id: r.id,
        title: r.title,
        description,
        startsAt: r.startsAt,
        endsAt: new Date(Date.parse(r.startsAt) + r.durationMinutes * 60_000).toISOString(),
        timeZone: r.timeZone,
        durationMinutes: r.durationMinutes,
        waitlist,
        // Snapshots projected before sessions had prices lack the field until their next change.
        price: price ?? null,
        seats,
        registrationState: registrationState({ ...r, hostCountsAsParticipant: false, waitlist }, seats, now),
        program: r.programId && r.programName ? { id: r.programId, name: r.programName } : null,
        tags: r.tags,
        url: `/s/${r.id}`,
        host: publicHost(r.hostName, r.hostSlug),
      };
    }),
    next: rows.length > query.limit && last ? encodeCursor({ s: last.startsAt, i: last.id }) : null,
    facets: { programs: programRows, tags: tagRows.map((t) => t.tag) },
  });
}
