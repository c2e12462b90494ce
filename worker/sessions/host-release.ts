// A member removed from the org stops hosting: every session they host that has not ended loses its
// host, and the host's seat they held is released as an edit naming nobody releases it (the
// ledger's releaseHost). A member may host many sessions, so each is one message on the fan-out
// queue (`rollcall-fanout`, whose consumer in programs/fanout.ts hands these here), one ledger call
// each. The D1 row naming the host stays until its session's seat is released, so:
// - a message delivered twice finds the row gone, or the ledger's seat released, and does nothing;
// - a removal whose messages never reached the queue leaves rows naming a member who is no longer
//   there, and the hourly cron queues them again (sweepDepartedHosts).
// Sessions that ended keep their host's seat (it was used): their rows go with the member.

import { and, eq, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { members, sessionHosts, sessions } from "../db/schema";
import type { Outcome } from "../errors/problem";
import { sessionLedger } from "./ledger-client";
import type { SessionView } from "./schemas";

/**
 * One session whose host left the org. `email`: the member's address, so the ledger releases only
 * their seat; null when the sweep finds the row after the member (and their address) are gone.
 */
export type HostReleaseMessage = { kind: "host_left"; orgId: string; sessionId: string; memberId: string; email: string | null };

/** Messages per `sendBatch` (the queue's limit). */
const SEND_BATCH = 100;
/** Rows the cron's sweep queues per run; more wait for the next hour. */
export const SWEEP_LIMIT = 500;

/** A session_hosts row whose session has ended by `now`, as D1's projection of the session says. */
export const sessionEnded = (now: Date) =>
  sql`exists (select 1 from ${sessions} where ${sessions.id} = ${sessionHosts.sessionId}
    and datetime(${sessions.startsAt}, '+' || ${sessions.durationMinutes} || ' minutes') <= datetime(${now.toISOString()}))`;

/** Queues one release per session the member (already removed) still hosts. */
export async function queueHostReleases(
  database: D1Database,
  queue: Pick<Queue<HostReleaseMessage>, "sendBatch">,
  member: { orgId: string; memberId: string; email: string },
): Promise<number> {
  const rows = await drizzle(database)
    .select({ sessionId: sessionHosts.sessionId })
    .from(sessionHosts)
    .where(and(eq(sessionHosts.orgId, member.orgId), eq(sessionHosts.memberId, member.memberId)));
  const messages = rows.map((r) => ({ body: { kind: "host_left" as const, ...member, sessionId: r.sessionId } }));
  for (let at = 0; at < messages.length; at += SEND_BATCH) await queue.sendBatch(messages.slice(at, at + SEND_BATCH));
  return messages.length;
}

/**
 * One message: while D1 still names the departed member as the session's host, the ledger releases
 * their seat, then the row goes. A ledger that refuses for another reason than a session it does
 * not know throws, so the queue delivers the message again.
 */
export async function runHostRelease(env: Env, msg: HostReleaseMessage): Promise<"released" | "already"> {
  const db = drizzle(env.DB);
  const row = await db
    .select({ memberId: sessionHosts.memberId })
    .from(sessionHosts)
    .where(and(eq(sessionHosts.sessionId, msg.sessionId), eq(sessionHosts.orgId, msg.orgId)))
    .get();
  if (row?.memberId !== msg.memberId) return "already";
  // Only a member who is gone stops hosting (a message for one still there changes nothing).
  const member = await db.select({ id: members.id }).from(members).where(eq(members.id, msg.memberId)).get();
  if (member) return "already";
  // The RPC stub's typing loses the failure branch of the ledger's Outcome.
  const released = (await sessionLedger(env, msg.sessionId).releaseHost(msg.orgId, msg.email, "system")) as Outcome<SessionView>;
  if (!released.ok && released.error.code !== "session_not_found")
    throw new Error(`host's seat not released: ${released.error.code} ${released.error.detail}`);
  await db
    .delete(sessionHosts)
    .where(and(eq(sessionHosts.sessionId, msg.sessionId), eq(sessionHosts.orgId, msg.orgId), eq(sessionHosts.memberId, msg.memberId)));
  return "released";
}

/**
 * The cron's sweep: rows naming a host who is no longer a member (their removal's messages never
 * reached the queue) are queued again, at most SWEEP_LIMIT a run. A row released meanwhile makes
 * its message do nothing.
 */
export async function sweepDepartedHosts(env: Env): Promise<{ queued: number }> {
  const rows = await drizzle(env.DB)
    .select({ sessionId: sessionHosts.sessionId, orgId: sessionHosts.orgId, memberId: sessionHosts.memberId })
    .from(sessionHosts)
    .leftJoin(members, eq(members.id, sessionHosts.memberId))
    .where(isNull(members.id))
    .limit(SWEEP_LIMIT);
  const messages = rows.map((r) => ({ body: { kind: "host_left" as const, ...r, email: null } satisfies HostReleaseMessage }));
  for (let at = 0; at < messages.length; at += SEND_BATCH) await env.FANOUT_QUEUE.sendBatch(messages.slice(at, at + SEND_BATCH));
  return { queued: messages.length };
}
