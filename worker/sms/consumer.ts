// The SMS queue's consumer ("rollcall-sms"), a thin shell in the mail consumer's shape: each
// message is one text. Skip what the log says was sent; a text whose last try had no answer is
// first looked up at the provider (Twilio takes no idempotency key: a lost answer must not send it
// twice); send the rest paced within the account's rate; log and report each outcome to the
// session's ledger; then by email/retry.ts's nextStep: ack, queue again with the wait (429:
// Retry-After; outage: backoff, given up after an hour into the session's dead letters).
// A number that opted out since the text was decided gets the message by email instead.

import { type DeadLetterSink, ledgerDeadLetters } from "../email/dead-letters";
import { callInterval, type DeliveryClock, systemDeliveryClock } from "../email/deliver";
import type { SendFailure } from "../email/mailer";
import { type MailQueue, mailQueues, type Sends } from "../email/queues";
import { nextStep, type RetryState, type Setback } from "../email/retry";
import { type DeliveryReporter, ledgerReporter, reportsFor } from "../email/status";
import { devSmsOutbox } from "./dev-outbox";
import { applySmsStatus, clearIntent, optedOut, recordIntent, smsLogRows } from "./log";
import { type QueuedSms, smsQueues } from "./message";
import type { OutgoingSms, SmsSender } from "./sender";
import { twilioSettings } from "./settings";
import { twilioSender } from "./twilio";

/** Twilio queues 1 message/s per long-code number by default; TWILIO_MESSAGES_PER_SECOND says the account's own. */
const DEFAULT_PER_SECOND = 1;
/** A consumer invocation may run 15 minutes; stop starting calls well before. */
const ROUND_BUDGET_MS = 10 * 60_000;

export type SmsConsumerDeps = {
  sender?: SmsSender;
  clock?: DeliveryClock;
  report?: DeliveryReporter;
  deadLetters?: DeadLetterSink;
  /** Where texts go to be tried again (both SMS queues as one: message.ts). */
  requeue?: Pick<Sends<QueuedSms>, "send">;
  /** Where messages for numbers that opted out go (the mail queues). */
  mail?: MailQueue;
};

/** Twilio when it is configured, the local outbox otherwise; null in production without Twilio (texts stay emails). */
export function smsSenderFor(env: Env): SmsSender | null {
  const settings = twilioSettings(env);
  if (settings.kind === "complete") return twilioSender(settings.config);
  if (settings.kind === "partial") throw new Error(`Twilio settings are incomplete: ${settings.missing.join(", ")} not set`);
  return env.ROLLCALL_ENV === "production" ? null : devSmsOutbox(env.DB);
}

export async function handleSmsQueue(batch: MessageBatch<QueuedSms>, env: Env, deps: SmsConsumerDeps = {}): Promise<void> {
  const clock = deps.clock ?? systemDeliveryClock;
  const report = deps.report ?? ledgerReporter(env);
  const requeue = deps.requeue ?? smsQueues(env);
  const deadLetters = deps.deadLetters ?? ledgerDeadLetters(env);

  // Each text once per batch; a copy is acked.
  const seen = new Set<string>();
  const held: Message<QueuedSms>[] = [];
  for (const queued of batch.messages) {
    if (seen.has(queued.body.mail.id)) queued.ack();
    else {
      seen.add(queued.body.mail.id);
      held.push(queued);
    }
  }
  const logged = await smsLogRows(env.DB, [...seen]);
  const stopped = await optedOut(
    env.DB,
    held.map((q) => q.body.to),
  );

  let sender: SmsSender | null;
  try {
    sender = deps.sender ?? smsSenderFor(env);
  } catch (error) {
    console.error("sms: no sender", error);
    sender = null;
  }

  const started = clock.now().getTime();
  const interval = callInterval(env.TWILIO_MESSAGES_PER_SECOND, DEFAULT_PER_SECOND);
  let lastCall = -Infinity;
  /** Set once the provider answers 429 or fails: nothing more is sent this round. */
  let halt: Setback | null = null;

  for (const queued of held) {
    const sms = queued.body;
    const row = logged.get(sms.mail.id);
    if (row?.sid) {
      queued.ack();
      continue;
    }
    const at = () => clock.now().toISOString();
    if (stopped.has(sms.to)) {
      // STOP since the text was decided: the message goes by email (the divert sees the opt-out).
      try {
        await (deps.mail ?? mailQueues(env)).send(sms.mail, { contentType: "json" });
        if (row) await applySmsStatus(env.DB, sms.mail.id, { status: null, at: at(), error: "opted out: sent by email instead" });
        queued.ack();
      } catch (error) {
        console.warn("sms: could not hand an opted-out text back to email; the queue retries it", error);
        queued.retry({ delaySeconds: 30 });
      }
      continue;
    }

    const state = stateOf(sms, queued.attempts);
    const setback = await (async (): Promise<Setback | null> => {
      if (!sender) return { cause: "outage", delaySeconds: 0, reason: "no SMS sender: Twilio settings missing or incomplete" };
      if (halt) return halt;
      if (clock.now().getTime() - started > ROUND_BUDGET_MS)
        return { cause: "waiting", delaySeconds: 1, reason: "time budget of this round used up" };
      const outgoing = outgoingOf(sms);
      try {
        // A try whose answer never came: ask the provider before sending again.
        if (row?.intentAt) {
          const sid = await sender.find(outgoing, row.intentAt);
          if (sid) {
            await sent(sid);
            return null;
          }
        }
        const wait = Math.max(0, lastCall + interval - clock.now().getTime());
        if (wait > 0) await clock.sleep(wait);
        await recordIntent(env.DB, sms, sender.transport, at());
        lastCall = clock.now().getTime();
        const result = await sender.send(outgoing);
        if (result.ok) {
          await sent(result.sid);
          return null;
        }
        return await failed(result.failure);
      } catch (error) {
        halt = { cause: "outage", delaySeconds: 0, reason: `sms: ${String(error)}` };
        return halt;
      }
    })();

    async function sent(sid: string) {
      const now = at();
      await applySmsStatus(env.DB, sms.mail.id, { status: "sent", at: now, sid, error: null });
      await report(reportsFor([sms.mail], "sent", now));
    }
    async function failed(failure: SendFailure): Promise<Setback | null> {
      if (failure.kind === "unavailable") {
        // No answer, or a 5xx: the text may have gone; the intent stays, and the next try looks first.
        halt = { cause: "outage", delaySeconds: 0, reason: failure.detail };
        return halt;
      }
      await clearIntent(env.DB, sms.mail.id, failure.detail);
      if (failure.kind === "rate_limited") {
        halt = { cause: "rate_limited", delaySeconds: failure.retryAfterSeconds, reason: failure.detail };
        return halt;
      }
      const now = at();
      await applySmsStatus(env.DB, sms.mail.id, { status: "failed", at: now, error: failure.detail });
      await report(reportsFor([sms.mail], "failed", now));
      return null;
    }

    if (!setback) {
      queued.ack();
      continue;
    }
    await settle(queued, state, setback);
  }

  async function settle(queued: Message<QueuedSms>, state: RetryState, setback: Setback) {
    const step = nextStep(state, [setback], clock.now());
    const sms = queued.body;
    try {
      if (step.kind === "requeue") {
        await requeue.send({ ...sms, ...step.state }, { contentType: "json", delaySeconds: step.delaySeconds });
      } else if (step.kind === "dead") {
        const now = clock.now().toISOString();
        await applySmsStatus(env.DB, sms.mail.id, { status: "failed", at: now, error: step.reason });
        await deadLetters([sms.mail], step.reason, now);
      }
      queued.ack();
    } catch (error) {
      console.warn("sms: could not settle a text; the queue retries it", error);
      queued.retry({ delaySeconds: 60 });
    }
  }
}

function stateOf(sms: QueuedSms, queueAttempts: number): RetryState {
  return {
    attempts: (sms.attempts ?? 0) + Math.max(1, queueAttempts),
    failures: sms.failures ?? 0,
    ...(sms.failingSince ? { failingSince: sms.failingSince } : {}),
  };
}

function outgoingOf(sms: QueuedSms): OutgoingSms {
  return {
    messageId: sms.mail.id,
    template: sms.mail.template,
    to: sms.to,
    body: sms.body,
    segments: sms.segments,
    ...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {}),
  };
}
