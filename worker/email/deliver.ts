// Delivery of a batch of mail messages through a Mailer: render, group, send, and decide for each
// message whether it was sent, should be tried again (and when), or can never be sent. No queue
// and no database here: the consumer applies the decisions, tests call this directly.
//
// - Each email's From and Reply-To follow the settings of its org (sender.ts).
// - Emails without attachments go in batches of at most 100 (one recipient each), sorted by
//   message id, with an Idempotency-Key derived from the ids they carry.
// - Emails with attachments (the .ics of a confirmation) go one by one.
// - 429: nothing more is sent in this round; everything unsent waits for `retry-after`.
// - 5xx / network: the messages wait with exponential backoff on their attempt count.
// - 400/422 for a batch: the batch is split in two and each half tried again, down to the one
//   message the provider refuses, which fails for good while the others go.

import { type Clock, systemClock } from "../time/clock";
import { BATCH_LIMIT, idempotencyKey, type Mailer, type OutgoingEmail, type SendFailure, type SendResult } from "./mailer";
import type { MailMessage } from "./message";
import { renderMail } from "./render";
import { type SenderSettings, senderOf } from "./sender";

/** A queued message as delivery sees it. */
export type Envelope = {
  message: MailMessage;
  /** 1 on the first delivery, then 2, 3… (the queue's count). */
  attempts: number;
  /** When the message was queued: stable across retries, so the rendered email is too. */
  queuedAt: Date;
  /**
   * The sender name and reply-to of the message's org, read again on every attempt. The email,
   * and so the payload under its Idempotency-Key, stays the same across retries unless the org
   * changes these settings in between; that is accepted. Then a retry of a request the provider
   * had accepted (only its answer was lost) is refused as a reused key with another payload, and
   * retried as an outage until it is dead-lettered; a retry of a request that was not accepted
   * goes out with the new settings.
   */
  senderSettings?: SenderSettings;
};

export type Decision =
  | { kind: "sent"; providerId: string; idempotencyKey: string; subject: string; at: string }
  | { kind: "retry"; delaySeconds: number; reason: string; subject: string | null }
  | { kind: "failed"; reason: string; subject: string | null };

export type DeliveryClock = Clock & { sleep(ms: number): Promise<void> };

export const systemDeliveryClock: DeliveryClock = {
  now: () => systemClock.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type DeliveryOptions = {
  /** MAIL_FROM: the sender of messages without org settings, and the address of every sender. */
  from: string;
  /** Space between two calls to the provider (Resend allows 2 requests/s by default). */
  minIntervalMs?: number;
  /** Backoff after an outage: base × 2^(attempts−1), capped. */
  backoffBaseSeconds?: number;
  backoffMaxSeconds?: number;
  /** Stop starting new calls after this long; what is left is retried at once. */
  budgetMs?: number;
};

export const DEFAULT_BACKOFF_BASE_SECONDS = 5;
export const DEFAULT_BACKOFF_MAX_SECONDS = 15 * 60;

export function backoffSeconds(attempts: number, base = DEFAULT_BACKOFF_BASE_SECONDS, max = DEFAULT_BACKOFF_MAX_SECONDS): number {
  return Math.min(max, base * 2 ** Math.max(0, attempts - 1));
}

type Unit = { kind: "batch" | "single"; emails: (OutgoingEmail & { attempts: number })[] };

export async function deliver(
  envelopes: Envelope[],
  mailer: Mailer,
  clock: DeliveryClock,
  options: DeliveryOptions,
): Promise<Map<string, Decision>> {
  const decisions = new Map<string, Decision>();
  const plain: Unit["emails"] = [];
  const singles: Unit["emails"] = [];

  for (const { message, attempts, queuedAt, senderSettings } of envelopes) {
    let email: OutgoingEmail;
    try {
      const rendered = renderMail(message, queuedAt, senderSettings);
      email = {
        messageId: message.id,
        template: message.template,
        ...senderOf(options.from, senderSettings),
        to: message.to,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        attachments: rendered.attachments,
        tags: tagsOf(message),
      };
    } catch (error) {
      decisions.set(message.id, { kind: "failed", reason: `could not render: ${String(error)}`, subject: null });
      continue;
    }
    (email.attachments?.length ? singles : plain).push({ ...email, attempts });
  }

  plain.sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
  const units: Unit[] = [];
  for (let i = 0; i < plain.length; i += BATCH_LIMIT) units.push({ kind: "batch", emails: plain.slice(i, i + BATCH_LIMIT) });
  for (const email of singles) units.push({ kind: "single", emails: [email] });

  const started = clock.now().getTime();
  let lastCall = -Infinity;
  const backoff = (attempts: number) => backoffSeconds(attempts, options.backoffBaseSeconds, options.backoffMaxSeconds);
  const retryAll = (rest: Unit[], delay: (attempts: number) => number, reason: string) => {
    for (const unit of rest) {
      for (const e of unit.emails)
        decisions.set(e.messageId, { kind: "retry", delaySeconds: delay(e.attempts), reason, subject: e.subject });
    }
  };

  while (units.length > 0) {
    const unit = units.shift()!;
    const wait = Math.max(0, lastCall + (options.minIntervalMs ?? 0) - clock.now().getTime());
    if (options.budgetMs !== undefined && clock.now().getTime() + wait - started > options.budgetMs) {
      retryAll([unit, ...units], () => 1, "time budget of this round used up");
      break;
    }
    if (wait > 0) await clock.sleep(wait);
    lastCall = clock.now().getTime();

    const ids = unit.emails.map((e) => e.messageId);
    const key = await idempotencyKey(unit.kind, ids);
    const result =
      unit.kind === "batch"
        ? await safely(() => mailer.sendBatch(unit.emails.map(strip), key))
        : await safely(() => mailer.send(strip(unit.emails[0]!), key));
    const at = clock.now().toISOString();

    if (result.ok) {
      for (const [i, e] of unit.emails.entries()) {
        decisions.set(e.messageId, { kind: "sent", providerId: result.providerIds[i]!, idempotencyKey: key, subject: e.subject, at });
      }
      continue;
    }
    const failure: SendFailure = result.failure;
    if (failure.kind === "rate_limited") {
      // The provider said when: nothing more this round, everything unsent waits that long.
      retryAll([unit, ...units], () => failure.retryAfterSeconds, failure.detail);
      break;
    }
    if (failure.kind === "unavailable") {
      retryAll([unit, ...units], backoff, failure.detail);
      break;
    }
    // refused
    if (unit.emails.length === 1) {
      decisions.set(ids[0]!, { kind: "failed", reason: failure.detail, subject: unit.emails[0]!.subject });
    } else {
      const half = Math.ceil(unit.emails.length / 2);
      units.unshift({ kind: "batch", emails: unit.emails.slice(0, half) }, { kind: "batch", emails: unit.emails.slice(half) });
    }
  }
  return decisions;
}

function strip({ attempts: _attempts, ...email }: OutgoingEmail & { attempts: number }): OutgoingEmail {
  return email;
}

/** A mailer that throws is treated as an outage, never as a refusal. */
async function safely(call: () => Promise<SendResult>): Promise<SendResult> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, failure: { kind: "unavailable", status: null, detail: `mailer threw: ${String(error)}` } };
  }
}

/** Tags let a webhook find the invitation even before the mail log has the provider's id. */
function tagsOf(message: MailMessage): { name: string; value: string }[] {
  const tags = [
    { name: "message_id", value: message.id },
    { name: "template", value: message.template },
  ];
  if (message.invitationId) tags.push({ name: "invitation_id", value: message.invitationId });
  if (message.sessionId) tags.push({ name: "session_id", value: message.sessionId });
  return tags.filter((t) => /^[A-Za-z0-9_-]{1,256}$/.test(t.value));
}
