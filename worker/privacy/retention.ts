// The retention purge, run by the Cron Trigger (worker/index.ts `scheduled`): for each org, at
// its retention (orgs/retention.ts, 18 months unless set), the mail and SMS logs' old rows go (and
// the roster's notes on how an invitation went), and every
// session whose D1 copy still shows something due (privacy/rules.ts) is purged by its ledger,
// which writes the result through to D1, so the next run does not find it again.

import { and, eq, inArray, isNull, lt, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { devMail, invitationChannels, invitations, mailLog, orgs, registrations, sessions, smsLog } from "../db/schema";
import type { Outcome } from "../errors/problem";
import { DEFAULT_RETENTION_MONTHS } from "../orgs/retention";
import { sessionLedger } from "../sessions/ledger-client";
import { fewAtATime } from "./person";
import { retentionCutoff } from "./rules";
import type { PurgeCounts } from "./schemas";

/** Ledgers purged per run at most; a backlog (the first run after a deploy) continues at the next. */
export const SESSIONS_PER_RUN = 200;

export type PurgeReport = {
  sessions: number;
  registrations: number;
  invitations: number;
  mailLog: number;
  smsLog: number;
  failed: number;
};

/** Each org's retention in months, as SQL (the setting, or the default). */
const retentionMonths = sql<number>`coalesce(json_extract(${orgs.settings}, '$.retentionMonths'), ${DEFAULT_RETENTION_MONTHS})`;

/** Purges what each org's retention says is due at `now`. Idempotent: a second run finds nothing. */
export async function purgeExpired(env: Env, now: Date): Promise<PurgeReport> {
  const db = drizzle(env.DB);
  const report: PurgeReport = { sessions: 0, registrations: 0, invitations: 0, mailLog: 0, smsLog: 0, failed: 0 };
  // Orgs sharing a retention share a cutoff: one pass per distinct setting, not per org.
  const policies = await db.selectDistinct({ months: retentionMonths }).from(orgs);
  for (const { months } of policies) {
    const cutoff = retentionCutoff(now, Number(months)).toISOString();
    const orgIds = db.select({ id: orgs.id }).from(orgs).where(eq(retentionMonths, months));
    const orgSessions = db.select({ id: sessions.id }).from(sessions).where(inArray(sessions.orgId, orgIds));
    report.mailLog += await forgetMailBefore(db, cutoff, inArray(mailLog.sessionId, orgSessions));
    report.smsLog += await forgetTextsBefore(db, cutoff, inArray(smsLog.sessionId, orgSessions));
    await db.delete(invitationChannels).where(and(lt(invitationChannels.at, cutoff), inArray(invitationChannels.sessionId, orgSessions)));
    const due = await sessionsDue(db, orgIds, cutoff, SESSIONS_PER_RUN - report.sessions - report.failed);
    // One ledger that fails does not stop the others; it is due again at the next run.
    const outcomes = await fewAtATime(due, (s) =>
      sessionLedger(env, s.id)
        .purge(s.orgId, cutoff)
        .then((o) => o as Outcome<PurgeCounts>) // the RPC wrapper hides the union's narrowing
        .catch((error: unknown) => {
          console.error(`retention purge of ${s.id} failed`, error);
          return null;
        }),
    );
    for (const o of outcomes) {
      if (!o?.ok) {
        report.failed++;
        continue;
      }
      report.sessions++;
      report.registrations += o.value.registrations;
      report.invitations += o.value.invitations;
    }
  }
  // Mail about no session (sign-in links to members) is kept for the default retention.
  report.mailLog += await forgetMailBefore(db, retentionCutoff(now, DEFAULT_RETENTION_MONTHS).toISOString(), isNull(mailLog.sessionId));
  report.smsLog += await forgetTextsBefore(db, retentionCutoff(now, DEFAULT_RETENTION_MONTHS).toISOString(), isNull(smsLog.sessionId));
  // The STOP list (sms_opt_outs) stays: it holds hashes, names nobody, and must outlive everything.
  return report;
}

/** Deletes the SMS log's rows older than `cutoff` among `which`, and their dev outbox copies. */
async function forgetTextsBefore(db: DrizzleD1Database, cutoff: string, which: SQL): Promise<number> {
  const match = and(lt(smsLog.createdAt, cutoff), which)!;
  const [, removed] = await db.batch([
    db.delete(devMail).where(inArray(devMail.messageId, db.select({ id: smsLog.messageId }).from(smsLog).where(match))),
    db.delete(smsLog).where(match).returning({ id: smsLog.messageId }),
  ]);
  return removed.length;
}

/** Deletes the mail log's rows older than `cutoff` among `which`, and their dev outbox copies. */
async function forgetMailBefore(db: DrizzleD1Database, cutoff: string, which: SQL): Promise<number> {
  const match = and(lt(mailLog.createdAt, cutoff), which)!;
  const [, removed] = await db.batch([
    db.delete(devMail).where(inArray(devMail.messageId, db.select({ id: mailLog.messageId }).from(mailLog).where(match))),
    db.delete(mailLog).where(match).returning({ id: mailLog.messageId }),
  ]);
  return removed.length;
}

/**
 * Sessions of these orgs whose D1 copy holds a record due at `cutoff`: any record of a session that
 * ended before it, a registration cancelled before it, an invitation closed before it (or pending
 * and expired before it: the ledger closes it first). Erased records are not due again.
 */
async function sessionsDue(db: DrizzleD1Database, orgIds: SQLWrapper, cutoff: string, limit: number) {
  if (limit <= 0) return [];
  const ended = sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${sessions.startsAt}, '+' || ${sessions.durationMinutes} || ' minutes') < ${cutoff}`;
  const registrationDue = db
    .select({ one: sql`1` })
    .from(registrations)
    .where(
      and(
        eq(registrations.sessionId, sessions.id),
        isNull(registrations.erasedAt),
        sql`(${ended} or (${registrations.status} = 'cancelled' and ${registrations.cancelledAt} < ${cutoff}))`,
      ),
    );
  const invitationDue = db
    .select({ one: sql`1` })
    .from(invitations)
    .where(
      and(
        eq(invitations.sessionId, sessions.id),
        isNull(invitations.erasedAt),
        sql`(${ended}
          or (${invitations.status} = 'expired' and coalesce(${invitations.expiresAt}, ${invitations.updatedAt}) < ${cutoff})
          or (${invitations.status} in ('cancelled', 'declined') and ${invitations.updatedAt} < ${cutoff})
          or (${invitations.status} in ('draft', 'scheduled', 'sent') and ${invitations.expiresAt} < ${cutoff}))`,
      ),
    );
  return db
    .select({ id: sessions.id, orgId: sessions.orgId })
    .from(sessions)
    .where(and(inArray(sessions.orgId, orgIds), sql`(exists ${registrationDue} or exists ${invitationDue})`))
    .limit(limit);
}
