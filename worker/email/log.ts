// The mail log in D1: one row per message the consumer handled. It answers "was this message
// already sent?" before a send, and "which invitation is this provider email about?" when a
// webhook arrives. Status changes go through nextDeliveryStatus, so order does not matter.

import { eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { mailLog } from "../db/schema";
import { type DeliveryStatus, nextDeliveryStatus } from "./delivery";

export type MailLogRow = typeof mailLog.$inferSelect;

/** What the consumer learned about one message in this attempt. */
export type MailLogEntry = {
  messageId: string;
  transport: "resend" | "dev";
  to: string;
  template: string;
  subject: string | null;
  invitationId: string | null;
  sessionId: string | null;
  status: DeliveryStatus;
  at: string;
  providerId?: string | null;
  idempotencyKey?: string | null;
  attempts: number;
  error?: string | null;
};

const CHUNK = 90; // D1 binds at most 100 parameters per statement

export async function logRows(database: D1Database, messageIds: string[]): Promise<Map<string, MailLogRow>> {
  const db = drizzle(database);
  const found = new Map<string, MailLogRow>();
  for (let i = 0; i < messageIds.length; i += CHUNK) {
    const rows = await db
      .select()
      .from(mailLog)
      .where(inArray(mailLog.messageId, messageIds.slice(i, i + CHUNK)));
    for (const row of rows) found.set(row.messageId, row);
  }
  return found;
}

/** Writes entries, merging each status with what is already recorded (a webhook may be first). */
export async function writeLog(database: D1Database, entries: MailLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const db = drizzle(database);
  const existing = await logRows(
    database,
    entries.map((e) => e.messageId),
  );
  const statements = entries.map((e) => {
    const before = existing.get(e.messageId);
    const status = nextDeliveryStatus(before?.status ?? null, e.status);
    const row = {
      messageId: e.messageId,
      transport: e.transport,
      to: e.to,
      template: e.template,
      subject: e.subject ?? before?.subject ?? null,
      invitationId: e.invitationId,
      sessionId: e.sessionId,
      status,
      statusAt: status === before?.status ? before.statusAt : e.at,
      providerId: e.providerId ?? before?.providerId ?? null,
      idempotencyKey: e.idempotencyKey ?? before?.idempotencyKey ?? null,
      attempts: Math.max(e.attempts, before?.attempts ?? 0),
      error: e.error ?? null,
      createdAt: before?.createdAt ?? e.at,
      sentAt: before?.sentAt ?? (e.status === "sent" ? e.at : null),
    };
    const { messageId: _id, createdAt: _created, ...changes } = row;
    return db.insert(mailLog).values(row).onConflictDoUpdate({ target: mailLog.messageId, set: changes });
  });
  const [first, ...rest] = statements;
  await db.batch([first!, ...rest]);
}

/**
 * Applies a provider's report to the message it sent. Returns the row as it now is, or null when
 * no message of ours has that provider id.
 */
export async function applyProviderStatus(
  database: D1Database,
  providerId: string,
  status: DeliveryStatus,
  at: string,
): Promise<MailLogRow | null> {
  const db = drizzle(database);
  const [row] = await db.select().from(mailLog).where(eq(mailLog.providerId, providerId)).limit(1);
  if (!row) return null;
  const next = nextDeliveryStatus(row.status, status);
  if (next === row.status) return row;
  const updated = { ...row, status: next, statusAt: at };
  await db.update(mailLog).set({ status: next, statusAt: at }).where(eq(mailLog.messageId, row.messageId));
  return updated;
}
