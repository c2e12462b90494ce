// The local mailer: with no RESEND_API_KEY, emails are kept in D1 (table dev_mail) and read by a
// person at /dev/mail or by a test at /dev/mail.json. Never used in production.

import { drizzle } from "drizzle-orm/d1";
import { devMail } from "../db/schema";
import type { Mailer, OutgoingEmail, SendResult } from "./mailer";

export function devOutbox(database: D1Database, now: () => Date = () => new Date()): Mailer {
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
