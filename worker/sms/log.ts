// The SMS log in D1: one row per text, keyed by its mail message id. It answers "was this text
// sent?" before a send, "did a try whose answer was lost go through?" (intent_at without a sid),
// and "which invitation is this provider message about?" when a status callback arrives.

import { eq, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { invitationChannels, smsLog, smsOptOuts } from "../db/schema";
import { type DeliveryStatus, nextDeliveryStatus } from "../email/delivery";
import type { ChannelChoice, SmsFallback } from "./channel";
import type { QueuedSms } from "./message";
import { optOutKey } from "./opt-outs";

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

/** Numbers among these that opted out (the list holds their hashes: opt-outs.ts). */
export async function optedOut(database: D1Database, phones: string[]): Promise<Set<string>> {
  const db = drizzle(database);
  const found = new Set<string>();
  const byKey = new Map<string, string>();
  for (const phone of new Set(phones)) byKey.set(await optOutKey(phone), phone);
  const keys = [...byKey.keys()];
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db
      .select({ key: smsOptOuts.phoneHash })
      .from(smsOptOuts)
      .where(inArray(smsOptOuts.phoneHash, keys.slice(i, i + CHUNK)));
    for (const row of rows) found.add(byKey.get(row.key)!);
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
    email: sms.mail.to,
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

/** How a message about an invitation went, as the divert decided it; `choice` null: the person does not choose SMS. */
export type InvitationChannel = { invitationId: string; sessionId: string; choice: ChannelChoice | null };

/**
 * The roster's note on each invitation (invitation_channels): by SMS, or by email and why, for a
 * person who chose SMS; no row for one who does not (any earlier row goes). One statement each.
 */
export async function recordInvitationChannels(database: D1Database, decided: InvitationChannel[], at: string): Promise<void> {
  if (!decided.length) return;
  const chose = decided.flatMap(({ invitationId, sessionId, choice }) =>
    choice
      ? [{ invitationId, sessionId, channel: choice.channel, fallback: choice.channel === "email" ? (choice.fallback ?? null) : null }]
      : [],
  );
  const not = decided.flatMap((d) => (d.choice ? [] : [d.invitationId]));
  const statements: D1PreparedStatement[] = [];
  if (chose.length)
    statements.push(
      database
        .prepare(
          `insert into invitation_channels (invitation_id, session_id, channel, fallback, at)
           select json_extract(value, '$.invitationId'), json_extract(value, '$.sessionId'), json_extract(value, '$.channel'),
             json_extract(value, '$.fallback'), ?2
           from json_each(?1) where true
           on conflict (invitation_id) do update set channel = excluded.channel, fallback = excluded.fallback, at = excluded.at
           where excluded.at >= invitation_channels.at`,
        )
        .bind(JSON.stringify(chose), at),
    );
  if (not.length)
    statements.push(
      database
        .prepare("delete from invitation_channels where invitation_id in (select value from json_each(?1))")
        .bind(JSON.stringify(not)),
    );
  await database.batch(statements);
}

export type InvitationChannelNote = { channel: "email" | "sms"; fallback: SmsFallback | null };

/** The note of each invitation of a session that has one, by invitation id. */
export async function invitationChannelsOf(database: D1Database, sessionId: string): Promise<Map<string, InvitationChannelNote>> {
  const rows = await drizzle(database)
    .select({ invitationId: invitationChannels.invitationId, channel: invitationChannels.channel, fallback: invitationChannels.fallback })
    .from(invitationChannels)
    .where(eq(invitationChannels.sessionId, sessionId));
  return new Map(rows.map(({ invitationId, ...note }) => [invitationId, note]));
}
