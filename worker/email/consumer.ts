// The mail queues' consumers, thin shells over `deliver`:
// - "rollcall-mail": skip what the log says was already sent, look up the orgs' sender settings,
//   deliver the rest, log each outcome, tell the ledgers (one call per session), then ack or retry
//   each message (the queue dead-letters a message after its last retry).
// - "rollcall-mail-dead": what could not be delivered after every retry; logged as failed and
//   reported to the invitation.

import { orgSettingsBySession } from "../orgs/orgs";
import { backoffSeconds, type DeliveryClock, deliver, type Envelope, systemDeliveryClock } from "./deliver";
import { devOutbox } from "./dev-outbox";
import { logRows, type MailLogEntry, writeLog } from "./log";
import type { Mailer } from "./mailer";
import type { MailMessage } from "./message";
import { resendMailer } from "./resend-mailer";
import { type SenderSettings, senderSessionOf, senderSettingsOf } from "./sender";
import { type DeliveryReporter, ledgerReporter, reportsFor } from "./status";

/** Queue names, as in wrangler.toml. */
export const MAIL_QUEUE = "rollcall-mail";
export const DEAD_MAIL_QUEUE = "rollcall-mail-dead";

/** Resend's default limit is 2 requests/s per team. */
const MIN_INTERVAL_MS = 500;
/** A consumer invocation may run 15 minutes; stop starting calls well before. */
const ROUND_BUDGET_MS = 10 * 60_000;

export type ConsumerDeps = { mailer?: Mailer; clock?: DeliveryClock; report?: DeliveryReporter };

/** Resend when a key is set; the local outbox otherwise, except in production where that is a mistake. */
export function mailerFor(env: Env): Mailer {
  if (env.RESEND_API_KEY) return resendMailer({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL });
  if (env.ROLLCALL_ENV === "production") throw new Error("RESEND_API_KEY is not set in production");
  return devOutbox(env.DB);
}

export async function handleMailQueue(batch: MessageBatch<MailMessage>, env: Env, deps: ConsumerDeps = {}): Promise<void> {
  if (batch.queue === DEAD_MAIL_QUEUE) return consumeDeadMail(batch, env, deps);
  return consumeMail(batch, env, deps);
}

export async function consumeMail(batch: MessageBatch<MailMessage>, env: Env, deps: ConsumerDeps = {}): Promise<void> {
  const clock = deps.clock ?? systemDeliveryClock;
  const report = deps.report ?? ledgerReporter(env);
  let mailer: Mailer;
  try {
    mailer = deps.mailer ?? mailerFor(env);
  } catch (error) {
    console.error("mail: no mailer", error);
    for (const m of batch.messages) m.retry({ delaySeconds: backoffSeconds(m.attempts) });
    return;
  }

  // A message whose send was logged but whose ack was lost comes back: do not send it twice.
  const logged = await logRows(
    env.DB,
    batch.messages.map((m) => m.body.id),
  ).catch((error) => {
    console.warn("mail: log unreadable, relying on idempotency keys", error);
    return new Map();
  });
  const fresh: Message<MailMessage>[] = [];
  for (const m of batch.messages) {
    if (logged.get(m.body.id)?.providerId) m.ack();
    else fresh.push(m);
  }
  if (fresh.length === 0) return;

  // The orgs' sender names and reply-tos: one D1 query for all the sessions of the batch. Sending
  // without them would put the wrong sender on the mail: wait for D1 instead.
  let settings: Map<string, SenderSettings>;
  try {
    settings = await orgSettingsBySession(
      env.DB,
      fresh.flatMap((m) => senderSessionOf(m.body) ?? []),
    );
  } catch (error) {
    console.error("mail: org settings unreadable", error);
    for (const m of fresh) m.retry({ delaySeconds: backoffSeconds(m.attempts) });
    return;
  }

  const envelopes: Envelope[] = fresh.map((m) => ({
    message: m.body,
    attempts: m.attempts,
    queuedAt: m.timestamp,
    senderSettings: senderSettingsOf(m.body, settings),
  }));
  const decisions = await deliver(envelopes, mailer, clock, {
    from: env.MAIL_FROM,
    minIntervalMs: MIN_INTERVAL_MS,
    budgetMs: ROUND_BUDGET_MS,
  });

  const now = clock.now().toISOString();
  const entries: MailLogEntry[] = [];
  const sent: MailMessage[] = [];
  const failed: MailMessage[] = [];
  for (const m of fresh) {
    const d = decisions.get(m.body.id) ?? {
      kind: "retry" as const,
      delaySeconds: backoffSeconds(m.attempts),
      reason: "not attempted",
      subject: null,
    };
    const base = entryBase(m.body, mailer.transport, m.attempts);
    if (d.kind === "sent") {
      entries.push({ ...base, subject: d.subject, status: "sent", at: d.at, providerId: d.providerId, idempotencyKey: d.idempotencyKey });
      sent.push(m.body);
    } else if (d.kind === "failed") {
      entries.push({ ...base, subject: d.subject, status: "failed", at: now, error: d.reason });
      failed.push(m.body);
    } else {
      entries.push({ ...base, subject: d.subject, status: "queued", at: now, error: d.reason });
    }
  }
  // Sent is sent: a log or ledger hiccup must not make the queue send it again (a ledger that
  // misses "sent" still hears "delivered" from the webhook).
  await writeLog(env.DB, entries).catch((error) => console.error("mail: log write failed", error));
  await report([...reportsFor(sent, "sent", now), ...reportsFor(failed, "failed", now)]);

  for (const m of fresh) {
    const d = decisions.get(m.body.id);
    if (d?.kind === "sent" || d?.kind === "failed") m.ack();
    else m.retry({ delaySeconds: d?.kind === "retry" ? d.delaySeconds : backoffSeconds(m.attempts) });
  }
}

export async function consumeDeadMail(batch: MessageBatch<MailMessage>, env: Env, deps: ConsumerDeps = {}): Promise<void> {
  const report = deps.report ?? ledgerReporter(env);
  const now = (deps.clock ?? systemDeliveryClock).now().toISOString();
  const logged = await logRows(
    env.DB,
    batch.messages.map((m) => m.body.id),
  );
  // A message that did get through before its last retry failed is not a failure.
  const dead = batch.messages.filter((m) => !logged.get(m.body.id)?.providerId).map((m) => m.body);
  await writeLog(
    env.DB,
    dead.map((message) => ({
      ...entryBase(message, env.RESEND_API_KEY ? "resend" : "dev", logged.get(message.id)?.attempts ?? 1),
      subject: null,
      status: "failed" as const,
      at: now,
      error: logged.get(message.id)?.error ?? "dead-lettered after the last retry",
    })),
  );
  await report(reportsFor(dead, "failed", now));
  batch.ackAll();
}

function entryBase(message: MailMessage, transport: "resend" | "dev", attempts: number) {
  return {
    messageId: message.id,
    transport,
    to: message.to,
    template: message.template,
    invitationId: message.invitationId ?? null,
    sessionId: message.sessionId ?? null,
    attempts,
  };
}
