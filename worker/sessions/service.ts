// Creating a session (one path for the API and the hosted admin), naming its host, and listing
// sessions from the D1 projection.

import { and, asc, desc, eq, gt, inArray, lt, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sessionHosts, sessions } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { encodeCursor, readCursor } from "../http/cursor";
import { newSessionId } from "../ids/ids";
import { checkHost, type HostPerson, hostChange, hostPerson, sessionHostOf, setSessionHost } from "./hosts";
import { type SessionLedgerStub, sessionLedger } from "./ledger-client";
import type { CreateSessionInput, ProviderSessionView, SessionView, UpdateSessionInput } from "./schemas";
import { registrationState } from "./seats";

/**
 * A new session of the org, under a fresh id, its links built on `baseUrl`. The ledger checks the
 * input's coherence and answers with the session or why it refused.
 */
export async function createSession(
  env: Env,
  orgId: string,
  input: CreateSessionInput,
  baseUrl: string,
  host?: { person: HostPerson | null; assigned: boolean },
): Promise<Outcome<SessionView>> {
  const id = newSessionId();
  // The RPC stub's typing loses the failure branch of the ledger's Outcome.
  return (await sessionLedger(env, id).create({ ...input, id, orgId, baseUrl, ...(host ? { host } : {}) })) as Outcome<SessionView>;
}

/**
 * A new session of the org and who hosts it (null: nobody). A host who is not the org's member is
 * refused before anything is created. When the host counts as a participant, the host holds the
 * host's seat as a person from the start (ledger/host-seat.ts).
 */
export async function createHostedSession(
  env: Env,
  orgId: string,
  input: CreateSessionInput,
  baseUrl: string,
  now: Date,
): Promise<Outcome<ProviderSessionView>> {
  const { hostMemberId = null, ...fields } = input;
  if (hostMemberId !== null) {
    const checked = await checkHost(env.DB, orgId, hostMemberId);
    if (!checked.ok) return checked;
  }
  const person = hostMemberId === null ? null : await hostPerson(env.DB, orgId, hostMemberId);
  const created = await createSession(env, orgId, fields, baseUrl, person ? { person, assigned: true } : undefined);
  if (!created.ok) return created;
  if (hostMemberId === null) return ok({ ...created.value, hostMemberId });
  const host = await setSessionHost(env.DB, orgId, created.value.id, hostMemberId, now);
  return host.ok ? ok({ ...created.value, ...host.value }) : host;
}

/**
 * A provider's edit of the session and of who hosts it. The host is checked before the ledger
 * changes anything, and changed only once the ledger took the edit; an edit of the host alone is
 * refused for a cancelled session, as any other edit. The host's seat follows, in the ledger's
 * same transaction as the edit.
 */
export async function editHostedSession(
  env: Env,
  ledger: SessionLedgerStub,
  orgId: string,
  sessionId: string,
  patch: UpdateSessionInput,
  actor: string,
  now: Date,
): Promise<Outcome<ProviderSessionView>> {
  const { hostMemberId, ...fields } = patch;
  if (hostMemberId) {
    const checked = await checkHost(env.DB, orgId, hostMemberId);
    if (!checked.ok) return checked;
  }
  const edits = Object.keys(fields).length > 0 || hostMemberId !== undefined;
  const { change } = edits ? await hostChange(env.DB, orgId, sessionId, hostMemberId) : { change: undefined };
  // The RPC stub's typing loses the failure branch of the ledger's Outcome.
  const edited = (edits ? await ledger.update(orgId, fields, actor, change) : await ledger.read(orgId)) as Outcome<SessionView>;
  if (!edited.ok) return edited;
  if (hostMemberId === undefined) return withHost(env.DB, orgId, edited.value);
  if (edited.value.status === "cancelled") return fail("session_cancelled", "A cancelled session cannot be edited.");
  const host = await setSessionHost(env.DB, orgId, edited.value.id, hostMemberId, now);
  return host.ok ? ok({ ...edited.value, ...host.value }) : host;
}

/** The ledger's view of a session with who hosts it, as the provider sees it. */
export async function withHost(database: D1Database, orgId: string, view: SessionView): Promise<Outcome<ProviderSessionView>> {
  return ok({ ...view, hostMemberId: await sessionHostOf(database, orgId, view.id) });
}

/**
 * A projected snapshot with its registration state brought up to `now`: the snapshot was taken at
 * the session's last change, and a registration window may have opened or closed since.
 */
function asOf(view: SessionView, now: Date): SessionView {
  const policy = {
    capacity: view.seats.capacity,
    hostCountsAsParticipant: view.hostCountsAsParticipant,
    waitlist: view.waitlist,
    status: view.status,
    startsAt: view.startsAt,
    registrationOpensAt: view.registrationOpensAt,
    registrationClosesAt: view.registrationClosesAt,
  };
  // Snapshots projected before sessions could confirm by email lack the field until their next change.
  return {
    ...view,
    confirmByEmail: view.confirmByEmail ?? false,
    listed: view.listed ?? true,
    tags: view.tags ?? [],
    location: view.location ?? null,
    onlineUrl: view.onlineUrl ?? null,
    price: view.price ?? null,
    refundUntilDays: view.refundUntilDays ?? null,
    registrationState: registrationState(policy, view.seats, now),
  };
}

/** `sessionId` narrows the list to one session (a widget token scoped to it). */
/** `hostMemberId`: only the sessions this member hosts (a host's own list). */
export type ListQuery = {
  when: "upcoming" | "past" | "all";
  limit: number;
  cursor?: string;
  sessionId?: string | null;
  hostMemberId?: string;
};

/**
 * Sessions of an org, each with who hosts it, in start order (newest first for past ones), `limit` at a time. The cursor
 * is the last row's (startsAt, id), so pages stay stable while sessions are added.
 */
export async function listSessions(
  database: D1Database,
  orgId: string,
  query: ListQuery,
  now: Date,
): Promise<Outcome<{ sessions: ProviderSessionView[]; nextCursor: string | null }>> {
  const read = readCursor(query.cursor);
  if (!read.ok) return read;
  const cursor = read.value;
  const descending = query.when === "past";
  const after = cursor
    ? descending
      ? or(lt(sessions.startsAt, cursor.s), and(eq(sessions.startsAt, cursor.s), lt(sessions.id, cursor.i)))
      : or(gt(sessions.startsAt, cursor.s), and(eq(sessions.startsAt, cursor.s), gt(sessions.id, cursor.i)))
    : undefined;
  const nowIso = now.toISOString();
  // A session under way is still "upcoming" for the provider: it is past once it has ended.
  const ends = sql`datetime(${sessions.startsAt}, '+' || ${sessions.durationMinutes} || ' minutes')`;
  const when =
    query.when === "upcoming"
      ? sql`${ends} > datetime(${nowIso})`
      : query.when === "past"
        ? sql`${ends} <= datetime(${nowIso})`
        : undefined;
  const db = drizzle(database);
  const hosted = query.hostMemberId
    ? inArray(
        sessions.id,
        db
          .select({ id: sessionHosts.sessionId })
          .from(sessionHosts)
          .where(and(eq(sessionHosts.orgId, orgId), eq(sessionHosts.memberId, query.hostMemberId))),
      )
    : undefined;
  const rows = await db
    .select({ id: sessions.id, startsAt: sessions.startsAt, snapshot: sessions.snapshot, hostMemberId: sessionHosts.memberId })
    .from(sessions)
    .leftJoin(sessionHosts, and(eq(sessionHosts.sessionId, sessions.id), eq(sessionHosts.orgId, orgId)))
    .where(and(eq(sessions.orgId, orgId), query.sessionId ? eq(sessions.id, query.sessionId) : undefined, hosted, when, after))
    .orderBy(...(descending ? [desc(sessions.startsAt), desc(sessions.id)] : [asc(sessions.startsAt), asc(sessions.id)]))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return ok({
    sessions: page.map((r) => ({ ...asOf(JSON.parse(r.snapshot) as SessionView, now), hostMemberId: r.hostMemberId ?? null })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ s: last.startsAt, i: last.id }) : null,
  });
}
