// The local mailer: with no RESEND_API_KEY, emails are kept in D1 (table dev_mail) and read by a
// person at /dev/mail or by a test at /dev/mail.json. Never used in production.

import { and, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { devMail } from "../db/schema";
import { systemClock } from "../time/clock";
import type { Mailer, OutgoingEmail, SendResult } from "./mailer";

export type DevMailRow = typeof devMail.$inferSelect;

export function devOutbox(database: D1Database, now: () => Date = () => systemClock.now()): Mailer {
  const db = drizzle(database);
  async function keep(emails: OutgoingEmail[]): Promise<SendResult> {
    const at = now().toISOString();
    const rows = emails.map((e) => ({
      id: `dev_${e.messageId}`,
      messageId: e.messageId,
      template: e.template,
      from: e.from,
      replyTo: e.replyTo ?? null,
      to: e.to,
      subject: e.subject,
      html: e.html,
      text: e.text,
      attachments: e.attachments ?? null,
      createdAt: at,
    }));
    // One statement per email keeps each under D1's bound-parameter limit.
    const [first, ...rest] = rows.map((row) => db.insert(devMail).values(row).onConflictDoNothing());
    if (first) await db.batch([first, ...rest]);
    return { ok: true, providerIds: rows.map((r) => r.id) };
  }
  return {
    transport: "dev",
    sendBatch: (emails) => keep(emails),
    send: (email) => keep([email]),
  };
}

type KeptQuery = { to?: string; template?: string; limit: number };

/**
 * The recipient asked for in `?to=`: an address, or a number. A number typed into an address bar
 * as `?to=+336…` arrives as " 336…" (a `+` in a query is a space): digits alone are that number.
 */
export function recipientAsked(raw: string | undefined): string | undefined {
  const to = raw?.trim();
  if (!to) return undefined;
  return /^\d{6,15}$/.test(to) ? `+${to}` : to;
}

/** `to` narrows the kept mail to one recipient (any case), `template` to one template. */
const matching = (query: KeptQuery) =>
  and(
    query.to ? eq(sql`lower(${devMail.to})`, query.to.toLowerCase()) : undefined,
    query.template ? eq(devMail.template, query.template) : undefined,
  );

/** The kept mail, newest first. */
export function keptMail(database: D1Database, query: KeptQuery): Promise<DevMailRow[]> {
  return drizzle(database)
    .select()
    .from(devMail)
    .where(matching(query))
    .orderBy(desc(devMail.createdAt), desc(sql`rowid`))
    .limit(query.limit);
}

/** The list of kept mail, without the bodies. */
export function keptMailHeaders(database: D1Database, query: KeptQuery) {
  return drizzle(database)
    .select({
      id: devMail.id,
      from: devMail.from,
      to: devMail.to,
      subject: devMail.subject,
      template: devMail.template,
      createdAt: devMail.createdAt,
      channel: devMail.channel,
      segments: devMail.segments,
    })
    .from(devMail)
    .where(matching(query))
    .orderBy(desc(devMail.createdAt), desc(sql`rowid`))
    .limit(query.limit);
}

export async function keptMessage(database: D1Database, id: string): Promise<DevMailRow | undefined> {
  const [row] = await drizzle(database).select().from(devMail).where(eq(devMail.id, id));
  return row;
}

export async function forgetKeptMail(database: D1Database): Promise<void> {
  await drizzle(database).delete(devMail);
}
