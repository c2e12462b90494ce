// Programs in D1: a named series of sessions, groups assigned to it, and its roster (every person
// of its groups or its sessions, by session). Seats stay each session's ledger's to decide.

import { and, asc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import {
  contacts,
  groupMembers,
  groups,
  invitations,
  programGroups,
  programSessions,
  programs,
  registrations,
  sessions,
} from "../db/schema";
import { fieldError } from "../errors/fields";
import { fail, type Outcome, ok } from "../errors/problem";
import { newId } from "../ids/ids";
import { emailKey } from "../recipients/address";
import { personName } from "../recipients/parse";
import type { CreateProgramInput, ProgramView, UpdateProgramInput } from "./schemas";

const json = (value: unknown) => JSON.stringify(value);
const notFound = () => fail("not_found", "No such program.");

export async function readProgram(database: D1Database, orgId: string, id: string): Promise<ProgramView | null> {
  const db = drizzle(database);
  const program = await db
    .select()
    .from(programs)
    .where(and(eq(programs.orgId, orgId), eq(programs.id, id)))
    .get();
  if (!program) return null;
  const [sessionRows, groupRows] = await Promise.all([
    db
      .select({ id: sessions.id, title: sessions.title, startsAt: sessions.startsAt, timeZone: sessions.timeZone, status: sessions.status })
      .from(programSessions)
      .innerJoin(sessions, eq(sessions.id, programSessions.sessionId))
      .where(eq(programSessions.programId, id))
      .orderBy(asc(sessions.startsAt)),
    db
      .select({
        id: groups.id,
        name: groups.name,
        memberCount: sql<number>`(select count(*) from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`,
      })
      .from(programGroups)
      .innerJoin(groups, eq(groups.id, programGroups.groupId))
      .where(eq(programGroups.programId, id))
      .orderBy(asc(groups.nameKey)),
  ]);
  const { orgId: _org, ...fields } = program;
  return { ...fields, sessions: sessionRows, groups: groupRows };
}

export async function listPrograms(database: D1Database, orgId: string): Promise<ProgramView[]> {
  const rows = await drizzle(database)
    .select({ id: programs.id })
    .from(programs)
    .where(eq(programs.orgId, orgId))
    .orderBy(asc(programs.startsOn), asc(programs.id));
  return (await Promise.all(rows.map((r) => readProgram(database, orgId, r.id)))).filter((p) => p !== null);
}

export async function createProgram(database: D1Database, orgId: string, input: CreateProgramInput, now: Date): Promise<ProgramView> {
  const at = now.toISOString();
  const id = newId("prg");
  await drizzle(database)
    .insert(programs)
    .values({
      id,
      orgId,
      name: input.name,
      startsOn: input.startsOn,
      endsOn: input.endsOn ?? null,
      timeZone: input.timeZone,
      locale: input.locale ?? null,
      createdAt: at,
      updatedAt: at,
    });
  return (await readProgram(database, orgId, id))!;
}

export async function updateProgram(
  database: D1Database,
  orgId: string,
  id: string,
  input: UpdateProgramInput,
  now: Date,
): Promise<Outcome<ProgramView>> {
  const current = await readProgram(database, orgId, id);
  if (!current) return notFound();
  const endsOn = input.endsOn === undefined ? current.endsOn : input.endsOn;
  const startsOn = input.startsOn ?? current.startsOn;
  if (endsOn && endsOn < startsOn)
    return fail("validation_failed", "endsOn must not be before startsOn.", undefined, [
      fieldError("endsOn", "ends_before_start", "must not be before startsOn"),
    ]);
  await drizzle(database)
    .update(programs)
    .set({ ...input, updatedAt: now.toISOString() })
    .where(and(eq(programs.orgId, orgId), eq(programs.id, id)));
  return ok((await readProgram(database, orgId, id))!);
}

/** Deletes a program; its sessions and groups stay as they are. */
export async function deleteProgram(database: D1Database, orgId: string, id: string): Promise<Outcome<{ id: string }>> {
  const deleted = await drizzle(database)
    .delete(programs)
    .where(and(eq(programs.orgId, orgId), eq(programs.id, id)))
    .returning({ id: programs.id });
  return deleted.length ? ok({ id }) : notFound();
}

/**
 * Attaches sessions of the org to a program. A session of another org is unknown; a session of
 * another program is refused (a session belongs to at most one), naming each.
 */
export async function attachSessions(
  database: D1Database,
  orgId: string,
  id: string,
  sessionIds: string[],
  now: Date,
): Promise<Outcome<ProgramView>> {
  if (!(await readProgram(database, orgId, id))) return notFound();
  const db = drizzle(database);
  const ids = [...new Set(sessionIds)];
  const [own, taken] = await Promise.all([
    db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.orgId, orgId), sql`${sessions.id} in (select value from json_each(${json(ids)}))`)),
    db
      .select({ sessionId: programSessions.sessionId, programId: programSessions.programId })
      .from(programSessions)
      .where(sql`${programSessions.sessionId} in (select value from json_each(${json(ids)}))`),
  ]);
  const ownIds = new Set(own.map((s) => s.id));
  const unknown = ids.filter((s) => !ownIds.has(s));
  if (unknown.length) return fail("validation_failed", "Some session ids are not sessions of this org.", { unknown });
  const elsewhere = taken.filter((t) => t.programId !== id).map((t) => t.sessionId);
  if (elsewhere.length)
    return fail("session_in_program", "A session belongs to at most one program; detach it from its program first.", {
      sessionIds: elsewhere,
    });
  await database
    .prepare(
      `insert into program_sessions (session_id, program_id, org_id, added_at)
       select value, ?1, ?2, ?3 from json_each(?4) where true on conflict do nothing`,
    )
    .bind(id, orgId, now.toISOString(), json(ids))
    .run();
  return ok((await readProgram(database, orgId, id))!);
}

export async function detachSessions(database: D1Database, orgId: string, id: string, sessionIds: string[]): Promise<Outcome<ProgramView>> {
  if (!(await readProgram(database, orgId, id))) return notFound();
  await drizzle(database)
    .delete(programSessions)
    .where(and(eq(programSessions.programId, id), sql`${programSessions.sessionId} in (select value from json_each(${json(sessionIds)}))`));
  return ok((await readProgram(database, orgId, id))!);
}

export async function assignGroups(
  database: D1Database,
  orgId: string,
  id: string,
  groupIds: string[],
  now: Date,
): Promise<Outcome<ProgramView>> {
  if (!(await readProgram(database, orgId, id))) return notFound();
  const ids = [...new Set(groupIds)];
  const own = await drizzle(database)
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.orgId, orgId), sql`${groups.id} in (select value from json_each(${json(ids)}))`));
  const ownIds = new Set(own.map((g) => g.id));
  const unknown = ids.filter((g) => !ownIds.has(g));
  if (unknown.length) return fail("validation_failed", "Some group ids are not groups of this org.", { unknown });
  await database
    .prepare(
      `insert into program_groups (program_id, group_id, org_id, assigned_at)
       select ?1, value, ?2, ?3 from json_each(?4) where true on conflict do nothing`,
    )
    .bind(id, orgId, now.toISOString(), json(ids))
    .run();
  return ok((await readProgram(database, orgId, id))!);
}

export async function unassignGroups(database: D1Database, orgId: string, id: string, groupIds: string[]): Promise<Outcome<ProgramView>> {
  if (!(await readProgram(database, orgId, id))) return notFound();
  await drizzle(database)
    .delete(programGroups)
    .where(and(eq(programGroups.programId, id), sql`${programGroups.groupId} in (select value from json_each(${json(groupIds)}))`));
  return ok((await readProgram(database, orgId, id))!);
}

export type ProgramRoster = {
  sessions: ProgramView["sessions"];
  people: { email: string; name: string | null; contactId: string | null; statuses: (string | null)[] }[];
};

/**
 * Every person × session of a program: the members of its groups and whoever is invited to or
 * registered for one of its sessions, each with their status there (a registration's status wins
 * over an invitation's; null where they have neither).
 */
export async function programRoster(database: D1Database, orgId: string, id: string): Promise<Outcome<ProgramRoster>> {
  const program = await readProgram(database, orgId, id);
  if (!program) return notFound();
  const db = drizzle(database);
  const sessionIds = json(program.sessions.map((s) => s.id));
  const [members, invited, registered] = await Promise.all([
    db
      .selectDistinct({ id: contacts.id, email: contacts.email, firstName: contacts.firstName, lastName: contacts.lastName })
      .from(programGroups)
      .innerJoin(groupMembers, eq(groupMembers.groupId, programGroups.groupId))
      .innerJoin(contacts, eq(contacts.id, groupMembers.contactId))
      .where(and(eq(programGroups.programId, id), sql`${contacts.email} is not null`)),
    db
      .select({ sessionId: invitations.sessionId, email: invitations.email, name: invitations.name, status: invitations.status })
      .from(invitations)
      .where(sql`${invitations.sessionId} in (select value from json_each(${sessionIds}))`),
    db
      .select({ sessionId: registrations.sessionId, email: registrations.email, name: registrations.name, status: registrations.status })
      .from(registrations)
      .where(sql`${registrations.sessionId} in (select value from json_each(${sessionIds}))`),
  ]);
  const index = new Map(program.sessions.map((s, i) => [s.id, i]));
  const people = new Map<string, ProgramRoster["people"][number]>();
  const person = (email: string, name: string | null, contactId: string | null) => {
    const key = emailKey(email);
    let entry = people.get(key);
    if (!entry) {
      entry = { email, name, contactId, statuses: program.sessions.map(() => null) };
      people.set(key, entry);
    }
    entry.name ??= name;
    entry.contactId ??= contactId;
    return entry;
  };
  for (const m of members) person(m.email!, personName(m), m.id);
  for (const i of invited) {
    const at = index.get(i.sessionId);
    const entry = person(i.email, i.name, null);
    if (at !== undefined) entry.statuses[at] ??= i.status;
  }
  for (const r of registered) {
    const at = index.get(r.sessionId);
    if (at !== undefined) person(r.email, r.name, null).statuses[at] = r.status;
  }
  return ok({ sessions: program.sessions, people: [...people.values()].sort((a, b) => a.email.localeCompare(b.email)) });
}
