// Delivery of a round of mail messages through a Mailer: group, render, send, and decide for each
// message whether it was sent, should be tried again (why, and when), or can never be sent. No
// queue and no database here: the consumer applies the decisions, tests call this directly.
//
// - Each email's From and Reply-To follow the settings of its org (sender.ts).
// - The emails of one bundle (one queue message) without attachments go in one batch request (one
//   recipient each), sorted by message id, with an Idempotency-Key derived from the ids they carry.
//   Requests never mix bundles, so however the queue regroups its messages, a retried request
//   carries the same emails under the same key. A lone email goes alone, keyed by its own id.
// - Emails with attachments (the .ics of a confirmation) go one by one.
// - Each request's emails are rendered just before it goes (see deliver).
// - 429: nothing more is sent in this round; everything unsent waits for `retry-after`.
// - 5xx / network: the messages wait with exponential backoff on their count of outages.
// - 400/422 for a batch: the batch is split in two and each half tried again, down to the one
//   message the provider refuses, which fails for good while the others go.

import { type Clock, systemClock } from "../time/clock";
import { BATCH_LIMIT, idempotencyKey, type Mailer, type OutgoingEmail, type SendFailure, type SendResult, subjectLine } from "./mailer";
import type { MailMessage } from "./message";
import { calendarMethodOf, renderMail } from "./render";
import { backoffSeconds, type RetryCause } from "./retry";
import { type SenderSettings, senderOf } from "./sender";

/** A queued message as delivery sees it. */
export type Envelope = {
  message: MailMessage;
  /** 1 on the first delivery, then 2, 3… */
  attempts: number;
  /** Outages met so far (the backoff grows with them); 0 when absent. */
  failures?: number;
  /** The queue message it came in: emails of one bundle go in one request, never with others. */
  bundle?: number;
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
  | { kind: "retry"; cause: RetryCause; delaySeconds: number; reason: string; subject: string | null }
  | { kind: "failed"; reason: string; subject: string | null };

export type DeliveryClock = Clock & { sleep(ms: number): Promise<void> };

export const systemDeliveryClock: DeliveryClock = {
  now: () => systemClock.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The space between two calls to a provider that takes `perSecond` requests a second (a setting
 * from wrangler.toml: RESEND_REQUESTS_PER_SECOND, TWILIO_MESSAGES_PER_SECOND); a setting that is
 * not a positive number is the provider's default, `fallback`.
 */
export function callInterval(perSecond: string | undefined, fallback: number): number {
  const rate = Number(perSecond);
  return 1000 / (perSecond && Number.isFinite(rate) && rate > 0 ? rate : fallback);
}

export type DeliveryOptions = {
  /** MAIL_FROM: the sender of messages without org settings, and the address of every sender. */
  from: string;
  /** Space between two calls to the provider (callInterval). */
  minIntervalMs?: number;
  /** Stop starting new calls after this long; what is left is retried at once. */
  budgetMs?: number;
};

/** An email of the round: its envelope, and once rendered, the email itself. */
type Pending = { envelope: Envelope; failures: number; bundle: number; email?: OutgoingEmail };
type Unit = { kind: "batch" | "single"; emails: Pending[] };

/**
 * Each request's emails are rendered just before it is sent, not the whole round first: a round
 * sends what its time budget allows (confirmations go one by one, two a second), and the rest
 * waits for the next round, so rendering it now would be work done again then, and memory held
 * meanwhile. Which request an email goes in is known before rendering: only an email with a
 * calendar file has attachments (calendarMethodOf).
 */
export async function deliver(
  envelopes: Envelope[],
  mailer: Mailer,
  clock: DeliveryClock,
  options: DeliveryOptions,
): Promise<Map<string, Decision>> {
  const decisions = new Map<string, Decision>();
  const plain = new Map<number, Pending[]>();
  const singles: Pending[] = [];

  for (const [i, envelope] of envelopes.entries()) {
    // Without a bundle, each envelope is its own.
    const pending = { envelope, failures: envelope.failures ?? 0, bundle: envelope.bundle ?? -1 - i };
    if (calendarMethodOf(envelope.message)) singles.push(pending);
    else plain.set(pending.bundle, [...(plain.get(pending.bundle) ?? []), pending]);
  }

  const units: Unit[] = [];
  for (const emails of plain.values()) {
    emails.sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
    if (emails.length === 1) units.push({ kind: "single", emails });
    else for (let i = 0; i < emails.length; i += BATCH_LIMIT) units.push({ kind: "batch", emails: emails.slice(i, i + BATCH_LIMIT) });
  }
  for (const email of singles) units.push({ kind: "single", emails: [email] });

  /** The unit's emails rendered (once: a batch split in halves keeps them); one that cannot be fails alone. */
  const rendered = (unit: Unit): OutgoingEmail[] => {
    const emails: OutgoingEmail[] = [];
    for (const pending of unit.emails) {
      pending.email ??= renderOne(pending.envelope, options.from, decisions);
      if (pending.email) emails.push(pending.email);
    }
    return emails;
  };

  const started = clock.now().getTime();
  let lastCall = -Infinity;
  const retryAll = (rest: Unit[], cause: RetryCause, delay: (e: Pending) => number, reason: string) => {
    for (const unit of rest) {
      for (const e of unit.emails) {
        if (decisions.has(idOf(e))) continue;
        decisions.set(idOf(e), { kind: "retry", cause, delaySeconds: delay(e), reason, subject: e.email?.subject ?? null });
      }
    }
  };

  while (units.length > 0) {
    const unit = units.shift()!;
    const wait = Math.max(0, lastCall + (options.minIntervalMs ?? 0) - clock.now().getTime());
    if (options.budgetMs !== undefined && clock.now().getTime() + wait - started > options.budgetMs) {
      retryAll([unit, ...units], "waiting", () => 1, "time budget of this round used up");
      break;
    }
    const emails = rendered(unit);
    if (emails.length === 0) continue;
    if (wait > 0) await clock.sleep(wait);
    lastCall = clock.now().getTime();

    const ids = emails.map((e) => e.messageId);
    const key = await idempotencyKey(unit.kind, ids);
    const result =
      unit.kind === "batch" ? await safely(() => mailer.sendBatch(emails, key)) : await safely(() => mailer.send(emails[0]!, key));
    const at = clock.now().toISOString();

    if (result.ok) {
      for (const [i, e] of emails.entries()) {
        decisions.set(e.messageId, { kind: "sent", providerId: result.providerIds[i]!, idempotencyKey: key, subject: e.subject, at });
      }
      continue;
    }
    const failure: SendFailure = result.failure;
    if (failure.kind === "rate_limited") {
      // The provider said when: nothing more this round, everything unsent waits that long.
      retryAll([unit, ...units], "rate_limited", () => failure.retryAfterSeconds, failure.detail);
      break;
    }
    if (failure.kind === "unavailable") {
      retryAll([unit, ...units], "outage", (e) => backoffSeconds(e.failures + 1), failure.detail);
      break;
    }
    // refused
    const tried = unit.emails.filter((e) => e.email);
    if (tried.length === 1) {
      decisions.set(ids[0]!, { kind: "failed", reason: failure.detail, subject: emails[0]!.subject });
    } else {
      const half = Math.ceil(tried.length / 2);
      units.unshift({ kind: "batch", emails: tried.slice(0, half) }, { kind: "batch", emails: tried.slice(half) });
    }
  }
  return decisions;
}

const idOf = (pending: Pending) => pending.envelope.message.id;

/** The email of an envelope, From and Reply-To as its org says; none (and the message failed) when it cannot be rendered. */
function renderOne(envelope: Envelope, from: string, decisions: Map<string, Decision>): OutgoingEmail | undefined {
  const { message, queuedAt, senderSettings } = envelope;
  try {
    const rendered = renderMail(message, queuedAt, senderSettings, from);
    return {
      messageId: message.id,
      template: message.template,
      ...senderOf(from, senderSettings),
      to: message.to,
      subject: subjectLine(rendered.subject),
      html: rendered.html,
      text: rendered.text,
      attachments: rendered.attachments,
      tags: tagsOf(message),
    };
  } catch (error) {
    decisions.set(message.id, { kind: "failed", reason: `could not render: ${String(error)}`, subject: null });
    return undefined;
  }
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
