// The local SMS sender: with no Twilio settings, texts are kept beside the emails in D1's dev_mail
// (channel "sms": the number, the text, its segment count), read at /dev/mail. Never used in
// production.

import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { devMail } from "../db/schema";
import { systemClock } from "../time/clock";
import type { SmsSender } from "./sender";

export function devSmsOutbox(database: D1Database, now: () => Date = () => systemClock.now()): SmsSender {
  const db = drizzle(database);
  return {
    transport: "dev",
    async send(sms) {
      const id = `dev_${sms.messageId}`;
      // The same message twice keeps one copy (its id is the message's).
      await db
        .insert(devMail)
        .values({
          id,
          messageId: sms.messageId,
          template: sms.template,
          from: "SMS",
          to: sms.to,
          subject: sms.body.length > 60 ? `${sms.body.slice(0, 57)}...` : sms.body,
          html: "",
          text: sms.body,
          createdAt: now().toISOString(),
          channel: "sms",
          segments: sms.segments,
        })
        .onConflictDoNothing();
      return { ok: true, sid: id };
    },
    async find(sms) {
      const [row] = await db
        .select({ id: devMail.id })
        .from(devMail)
        .where(eq(devMail.id, `dev_${sms.messageId}`));
      return row?.id ?? null;
    },
  };
}
