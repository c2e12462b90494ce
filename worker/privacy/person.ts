// One person's data across an organisation: the export and the erasure. D1's projection says
// which sessions hold records of an address; each of those sessions' ledgers (the source of
// truth) exports or erases them and writes the erasure through to D1; the mail log is D1's own.

import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { devMail, invitations, mailLog, orgs, registrations, sessions, smsLog } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { PENDING_INVITATION_STATUSES } from "../invitations/statuses";
import { emailKey } from "../recipients/address";
import { ACTIVE_REGISTRATION_STATUSES } from "../registrations/statuses";
import { sessionLedger } from "../sessions/ledger-client";
import type { Clock } from "../time/clock";
import type { Erasure, MailRecord, PersonExport, PersonInSession, SessionErasure } from "./schemas";

/** Ledgers called at once: enough to overlap their round trips, few enough to stay polite. */
const LEDGER_CALLS_AT_ONCE = 8;

/** `f` over `items`, a few at a time, results in order. */
export async function fewAtATime<T, R>(items: T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += LEDGER_CALLS_AT_ONCE)
    results.push(...(await Promise.all(items.slice(i, i + LEDGER_CALLS_AT_ONCE).map(f))));
  return results;
}

/**
 * An address column equal to this address. SQLite's lower() folds ASCII letters only, so both the
 * address's key and the address as typed are compared: an accented capital written differently in
 * two sessions is the one case this misses (the ledgers compare full keys).
 */
export function sameAddress(
  column: typeof registrations.email | typeof invitations.email | typeof mailLog.to | typeof smsLog.email,
  email: string,
): SQL {
  const forms = [...new Set([emailKey(email), email.trim().replace(/[A-Z]/g, (c) => c.toLowerCase())])];
  return inArray(sql`lower(${column})`, forms);
}

/**
 * The org's sessions whose D1 copy still holds a record of this address; with `openAt`, only those
 * where something is still open at that instant: a pending invitation, or a live registration to a
 * session not yet started (what deactivating a contact closes; its ledger decides exactly).
 */
export async function sessionsHolding(database: D1Database, orgId: string, email: string, openAt?: Date): Promise<string[]> {
  const db = drizzle(database);
  const upcoming = db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.orgId, orgId), eq(sessions.status, "scheduled"), sql`${sessions.startsAt} > ${openAt?.toISOString() ?? ""}`));
  const rows = await db
    .select({ id: registrations.sessionId })
    .from(registrations)
    .where(
      and(
        eq(registrations.orgId, orgId),
        isNull(registrations.erasedAt),
        sameAddress(registrations.email, email),
        openAt
          ? and(inArray(registrations.status, [...ACTIVE_REGISTRATION_STATUSES]), inArray(registrations.sessionId, upcoming))
          : undefined,
      ),
    )
    .union(
      db
        .select({ id: invitations.sessionId })
        .from(invitations)
        .where(
          and(
            eq(invitations.orgId, orgId),
            isNull(invitations.erasedAt),
            sameAddress(invitations.email, email),
            openAt ? inArray(invitations.status, [...PENDING_INVITATION_STATUSES]) : undefined,
          ),
        ),
    );
  return rows.map((r) => r.id);
}

/** Mail log rows to this address about the org's sessions (or one of them). */
function mailTo(db: DrizzleD1Database, orgId: string, email: string, sessionId: string | null): SQL {
  const ofOrg = db.select({ id: sessions.id }).from(sessions).where(eq(sessions.orgId, orgId));
  return and(sameAddress(mailLog.to, email), sessionId ? eq(mailLog.sessionId, sessionId) : inArray(mailLog.sessionId, ofOrg))!;
}

/** Everything the org holds about one address, from each session's ledger and the mail log. */
export async function exportPerson(env: Env, orgId: string, email: string, now: Date): Promise<Outcome<PersonExport>> {
  const db = drizzle(env.DB);
  const org = await db.select({ id: orgs.id, name: orgs.name }).from(orgs).where(eq(orgs.id, orgId)).get();
  if (!org) return fail("not_found", "No such organisation.");
  const ids = await sessionsHolding(env.DB, orgId, email);
  const found = (await fewAtATime(ids, (id) => sessionLedger(env, id).personRecords(orgId, email))) as Outcome<PersonInSession>[];
  const inSessions = found
    .flatMap((o) => (o.ok ? [o.value] : []))
    .filter((p) => p.registrations.length || p.invitations.length)
    .sort((a, b) => (a.session.startsAt < b.session.startsAt ? -1 : 1));
  const mail: MailRecord[] = await db
    .select({
      messageId: mailLog.messageId,
      template: mailLog.template,
      subject: mailLog.subject,
      sessionId: mailLog.sessionId,
      invitationId: mailLog.invitationId,
      status: mailLog.status,
      statusAt: mailLog.statusAt,
      createdAt: mailLog.createdAt,
      sentAt: mailLog.sentAt,
    })
    .from(mailLog)
    .where(mailTo(db, orgId, email, null))
    .orderBy(mailLog.createdAt);
  return ok({ email: email.trim(), exportedAt: now.toISOString(), org, sessions: inSessions, mail });
}

/**
 * Erases one address from the org's sessions (or from one session): in each ledger, then in the
 * mail log and the dev outbox. Idempotent: what was erased is not found again, and the answer of a
 * repeat lists no session.
 */
export async function erasePerson(
  env: Env,
  orgId: string,
  email: string,
  sessionId: string | null,
  clock: Clock,
): Promise<Outcome<Erasure>> {
  const ids = sessionId ? [sessionId] : await sessionsHolding(env.DB, orgId, email);
  const outcomes = (await fewAtATime(ids, (id) => sessionLedger(env, id).erasePerson(orgId, email))) as Outcome<SessionErasure>[];
  // One named session of another org (or none) is not found; the org's own sessions always answer.
  for (const o of outcomes) if (sessionId && !o.ok) return fail(o.error.code, o.error.detail);
  const erased = outcomes.flatMap((o) => (o.ok ? [o.value] : [])).filter((e) => e.registrations || e.invitations);
  const mailLogRemoved = await forgetMail(env.DB, orgId, email, sessionId);
  const smsLogRemoved = await forgetTexts(env.DB, orgId, email, sessionId);
  const sum = (k: "registrations" | "invitations" | "invitationsCancelled") => erased.reduce((n, e) => n + e[k], 0);
  return ok({
    // Once every ledger is done: no erased row is dated after the answer.
    erasedAt: clock.now().toISOString(),
    sessions: erased,
    registrations: sum("registrations"),
    invitations: sum("invitations"),
    invitationsCancelled: sum("invitationsCancelled"),
    mailLog: mailLogRemoved,
    smsLog: smsLogRemoved,
  });
}

/** Removes the mail log's rows to this address (and their copies in the dev outbox); returns how many. */
async function forgetMail(database: D1Database, orgId: string, email: string, sessionId: string | null): Promise<number> {
  const db = drizzle(database);
  const match = mailTo(db, orgId, email, sessionId);
  const [, removed] = await db.batch([
    db.delete(devMail).where(inArray(devMail.messageId, db.select({ id: mailLog.messageId }).from(mailLog).where(match))),
    db.delete(mailLog).where(match).returning({ id: mailLog.messageId }),
  ]);
  return removed.length;
}

/**
 * Removes the SMS log's rows of texts that stood for mail to this address (their number and text
 * with them), and their copies in the dev outbox; returns how many. The STOP list is left alone: it
 * holds only a hash of the number (sms/opt-outs.ts), so an erased person who said STOP is still
 * never texted.
 */
async function forgetTexts(database: D1Database, orgId: string, email: string, sessionId: string | null): Promise<number> {
  const db = drizzle(database);
  const ofOrg = db.select({ id: sessions.id }).from(sessions).where(eq(sessions.orgId, orgId));
  const match = and(sameAddress(smsLog.email, email), sessionId ? eq(smsLog.sessionId, sessionId) : inArray(smsLog.sessionId, ofOrg))!;
  const [, removed] = await db.batch([
    db.delete(devMail).where(inArray(devMail.messageId, db.select({ id: smsLog.messageId }).from(smsLog).where(match))),
    db.delete(smsLog).where(match).returning({ id: smsLog.messageId }),
  ]);
  return removed.length;
}
