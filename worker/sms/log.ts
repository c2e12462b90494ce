// The SMS log in D1: one row per text, keyed by its mail message id. It answers "was this text
// sent?" before a send, "did a try whose answer was lost go through?" (intent_at without a sid),
// and "which invitation is this provider message about?" when a status callback arrives.

import { eq, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { smsLog, smsOptOuts } from "../db/schema";
import { type DeliveryStatus, nextDeliveryStatus } from "../email/delivery";
import type { QueuedSms } from "./message";

export type SmsLogRow = typeof smsLog.$inferSelect;

const CHUNK = 90; // D1 binds at most 100 parameters per statement

export async function smsLogRows(database: D1Database, messageIds: string[]): Promise<Map<string, SmsLogRow>> {
  const db = drizzle(database);
  const found = new Map<string, SmsLogRow>();
  for (let i = 0; i < messageIds.length; i += CHUNK) {
    const rows = await db
      .select()
      .from(smsLog)
      .where(inArray(smsLog.messageId, messageIds.slice(i, i + CHUNK)));
    for (const row of rows) found.set(row.messageId, row);
  }
  return found;
}

/** Numbers among these that opted out. */
export async function optedOut(database: D1Database, phones: string[]): Promise<Set<string>> {
  const db = drizzle(database);
  const found = new Set<string>();
  const unique = [...new Set(phones)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .select({ phone: smsOptOuts.phone })
      .from(smsOptOuts)
      .where(inArray(smsOptOuts.phone, unique.slice(i, i + CHUNK)));
    for (const row of rows) found.add(row.phone);
  }
  return found;
}

/** Before a call to the provider: the text's row, its first intent kept (a lookup looks from there). */
export async function recordIntent(database: D1Database, sms: QueuedSms, transport: "twilio" | "dev", at: string): Promise<void> {
  const row = {
    messageId: sms.mail.id,
    transport,
    to: sms.to,
    template: sms.mail.template,
    body: sms.body,
    segments: sms.segments,
    invitationId: sms.mail.invitationId ?? null,
    sessionId: sms.mail.sessionId ?? null,
    status: "queued" as const,
    statusAt: at,
    intentAt: at,
    attempts: 1,
    createdAt: at,
  };
  await drizzle(database)
    .insert(smsLog)
    .values(row)
    .onConflictDoUpdate({
      target: smsLog.messageId,
      set: { intentAt: sql`coalesce(${smsLog.intentAt}, ${at})`, attempts: sql`${smsLog.attempts} + 1`, transport },
    });
}

/** The provider answered without taking the text: a later try needs no lookup. */
export async function clearIntent(database: D1Database, messageId: string, error: string): Promise<void> {
  await drizzle(database).update(smsLog).set({ intentAt: null, error }).where(eq(smsLog.messageId, messageId));
}

/** A text's news: its sid when newly known, its status through nextDeliveryStatus. Null when no such text. */
export async function applySmsStatus(
  database: D1Database,
  messageId: string,
  change: { status: DeliveryStatus | null; at: string; sid?: string; error?: string | null },
): Promise<SmsLogRow | null> {
  const db = drizzle(database);
  const [row] = await db.select().from(smsLog).where(eq(smsLog.messageId, messageId)).limit(1);
  if (!row) return null;
  const status = change.status ? nextDeliveryStatus(row.status, change.status) : row.status;
  const updated = {
    ...row,
    sid: row.sid ?? change.sid ?? null,
    status,
    statusAt: status === row.status ? row.statusAt : change.at,
    error: change.error === undefined ? row.error : change.error,
  };
  await db
    .update(smsLog)
    .set({ sid: updated.sid, status: updated.status, statusAt: updated.statusAt, error: updated.error })
    .where(eq(smsLog.messageId, messageId));
  return updated;
}
