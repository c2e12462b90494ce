// The one point where texts leave the mail pipeline: the mail consumer, once it knows each
// message's org, hands its messages here (ConsumerDeps.divert, wired in worker/index.ts). Each
// message an SMS contact should get as a text (channel.ts) is rendered (texts.ts) and queued on
// the SMS queue; the mail consumer drops it from the email round. Everything else, and everyone
// whose contact is missing a usable phone or opted out, stays an email.

import { and, eq, inArray, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { contacts } from "../db/schema";
import type { MailDivert } from "../email/consumer";
import type { MailMessage } from "../email/message";
import type { Sends } from "../email/queues";
import { participantPageUrl } from "../email/templates/strings";
import type { SessionOrg } from "../orgs/orgs";
import { emailKey } from "../recipients/address";
import { channelFor, type Recipient } from "./channel";
import { type InvitationChannel, optedOut, recordInvitationChannels } from "./log";
import { type QueuedSms, smsQueues } from "./message";
import { countSegments } from "./segments";
import { isSmsTemplate, type SmsTemplate, smsText } from "./texts";

const CHUNK = 80; // D1 binds at most 100 parameters per statement
/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

/** Where a message's status callback goes: the worker's own origin (the message's baseUrl). */
export const STATUS_CALLBACK_PATH = "/v1/webhooks/twilio";

export function smsDivert(env: Env, queue: Pick<Sends<QueuedSms>, "sendBatch"> = smsQueues(env)): MailDivert {
  return async (messages, orgs) => {
    const candidates = messages.filter((m) => isSmsTemplate(m.template) && m.sessionId && orgs.has(m.sessionId));
    if (candidates.length === 0) return new Set();
    const recipients = await recipientsOf(env.DB, candidates, orgs);
    const texts: QueuedSms[] = [];
    const decided: InvitationChannel[] = [];
    for (const message of candidates) {
      const org = orgs.get(message.sessionId!)!;
      const recipient = recipients.get(recipientKey(org.orgId, message.to)) ?? null;
      const choice = channelFor(message.template, recipient);
      if (message.invitationId)
        decided.push({
          invitationId: message.invitationId,
          sessionId: message.sessionId!,
          choice: recipient?.channel === "sms" ? choice : null,
        });
      if (choice.channel === "email") {
        if (choice.fallback) console.log(`sms: ${message.id} goes by email (${choice.fallback})`);
        continue;
      }
      texts.push(queuedText(message as MailMessage & { template: SmsTemplate }, choice.phone, org));
    }
    // Recorded before the texts leave: a round that fails here leaves no text queued, and is tried again.
    await recordInvitationChannels(env.DB, decided, new Date().toISOString());
    for (let i = 0; i < texts.length; i += SEND_BATCH)
      await queue.sendBatch(texts.slice(i, i + SEND_BATCH).map((body) => ({ body, contentType: "json" as const })));
    return new Set(texts.map((t) => t.mail.id));
  };
}

export function queuedText(
  message: MailMessage & { template: SmsTemplate },
  phone: string,
  org: Pick<SessionOrg, "name"> & { orgId?: string },
): QueuedSms {
  // A program's message carries its page's link, not the origin: the origin is the link's.
  const baseUrl = "baseUrl" in message.data ? message.data.baseUrl : new URL(message.data.link).origin;
  // Every text links to the person's own page for the org, as every email does.
  const body = smsText(message, org.name, participantPageUrl(baseUrl, org.orgId));
  return {
    mail: message,
    to: phone,
    body,
    segments: countSegments(body).segments,
    ...(/^https:\/\//.test(baseUrl) ? { statusCallback: `${baseUrl}${STATUS_CALLBACK_PATH}?m=${encodeURIComponent(message.id)}` } : {}),
  };
}

const recipientKey = (orgId: string, address: string) => `${orgId}\n${emailKey(address)}`;

/** The active contacts these messages go to, by org and address, with their numbers' opt-outs. */
async function recipientsOf(database: D1Database, messages: MailMessage[], orgs: Map<string, SessionOrg>): Promise<Map<string, Recipient>> {
  const db = drizzle(database);
  const byOrg = new Map<string, Set<string>>();
  for (const m of messages) {
    const orgId = orgs.get(m.sessionId!)!.orgId;
    byOrg.set(orgId, (byOrg.get(orgId) ?? new Set()).add(emailKey(m.to)));
  }
  const rows: { orgId: string; emailKey: string | null; channel: "email" | "sms"; phone: string | null }[] = [];
  for (const [orgId, keys] of byOrg) {
    const list = [...keys];
    for (let i = 0; i < list.length; i += CHUNK)
      rows.push(
        ...(await db
          .select({ orgId: contacts.orgId, emailKey: contacts.emailKey, channel: contacts.channel, phone: contacts.phone })
          .from(contacts)
          .where(
            and(
              eq(contacts.orgId, orgId),
              inArray(contacts.emailKey, list.slice(i, i + CHUNK)),
              eq(contacts.status, "active"),
              isNull(contacts.erasedAt),
            ),
          )),
      );
  }
  const stopped = await optedOut(
    database,
    rows.flatMap((r) => r.phone ?? []),
  );
  return new Map(
    rows.map((r) => [`${r.orgId}\n${r.emailKey}`, { channel: r.channel, phone: r.phone, optedOut: !!r.phone && stopped.has(r.phone) }]),
  );
}
