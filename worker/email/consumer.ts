// The mail queues' consumers, thin shells over `deliver` and `nextStep`:
// - "rollcall-mail", and "rollcall-mail-urgent" for what someone waits for (queues.ts): each queue
//   message is a bundle (message.ts). Handle each email once per batch, skip what the log says
//   was already sent, look up the orgs' sender settings, deliver the rest, log each outcome, tell
//   the ledgers (one call per session), then for each bundle: ack it when everything in it is
//   decided, queue what is left again with the wait nextStep gives (a fresh queue message carrying
//   its retry state, so a 429 or a budget wait never spends the queue's retries), or hand it to
//   its ledger as dead letters after an hour of outage.
// - "rollcall-mail-dead": what the queue itself gave up on (the consumer kept failing before it
//   could decide): logged as failed and handed to the ledgers as dead letters.

import { DEFAULT_LOCALE } from "../i18n/locales";
import { randomSecret } from "../ids/ids";
import { mailHourlyBudget, mailWindow, reserveMail, secondsToNextWindow, takeBudgetAlert, urgentAllowance } from "../orgs/mail-budget";
import { orgsBySession, type SessionOrg } from "../orgs/orgs";
import { type DeadLetterSink, ledgerDeadLetters } from "./dead-letters";
import { callInterval, type DeliveryClock, deliver, type Envelope, systemDeliveryClock } from "./deliver";
import { devOutbox } from "./dev-outbox";
import { priceInvitations } from "./invitation-prices";
import { logRows, type MailLogEntry, type MailLogRow, writeLog } from "./log";
import type { Mailer } from "./mailer";
import { bundleOf, type MailBundle, type MailMessage, type QueuedMail } from "./message";
import { isUrgentMail, type MailQueue, mailQueues } from "./queues";
import { resendMailer } from "./resend-mailer";
import { nextStep, type RetryState, retryStateOf, type Setback } from "./retry";
import { mailSettingsOf, senderSettingsOf } from "./sender";
import { type DeliveryReporter, ledgerReporter, reportsFor } from "./status";

/** Queue names, as in wrangler.toml. */
export const MAIL_QUEUE = "rollcall-mail";
export const DEAD_MAIL_QUEUE = "rollcall-mail-dead";

/**
 * Resend takes 2 requests/s per team unless the account was granted more; RESEND_REQUESTS_PER_SECOND
 * says the account's own (the consumer runs one batch at a time: max_concurrency = 1).
 */
const DEFAULT_REQUESTS_PER_SECOND = 2;
/** A consumer invocation may run 15 minutes; stop starting calls well before. */
const ROUND_BUDGET_MS = 10 * 60_000;

export type ConsumerDeps = {
  mailer?: Mailer;
  clock?: DeliveryClock;
  report?: DeliveryReporter;
  deadLetters?: DeadLetterSink;
  /** Where bundles go to be tried again (both mail queues as one: queues.ts). */
  requeue?: MailQueue;
  /** Takes the messages another channel carries (texts: worker/sms/divert.ts); the rest stay emails. */
  divert?: MailDivert;
};

/** Hands some of the round's messages to another channel; resolves with the ids it took. */
export type MailDivert = (messages: MailMessage[], orgs: Map<string, SessionOrg>) => Promise<Set<string>>;

/** Resend when a key is set; the local outbox otherwise, except in production where that is a mistake. */
export function mailerFor(env: Env): Mailer {
  if (env.RESEND_API_KEY) return resendMailer({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL });
  if (env.ROLLCALL_ENV === "production") throw new Error("RESEND_API_KEY is not set in production");
  return devOutbox(env.DB);
}

export async function handleMailQueue(batch: MessageBatch<QueuedMail>, env: Env, deps: ConsumerDeps = {}): Promise<void> {
  if (batch.queue === DEAD_MAIL_QUEUE) return consumeDeadMail(batch, env, deps);
  return consumeMail(batch, env, deps);
}

/** One queue message as this round sees it: its bundle, its retry state, the emails still to send. */
type Held = { queued: Message<QueuedMail>; bundle: MailBundle; state: RetryState; pending: MailMessage[] };

export async function consumeMail(batch: MessageBatch<QueuedMail>, env: Env, deps: ConsumerDeps = {}): Promise<void> {
  const clock = deps.clock ?? systemDeliveryClock;
  const report = deps.report ?? ledgerReporter(env);
  const transport: "resend" | "dev" = deps.mailer?.transport ?? (env.RESEND_API_KEY ? "resend" : "dev");
  const settle = settler(env, deps, clock, transport);

  // Each email once per batch: a bundle queued twice (a drain retried after its send went through)
  // is sent once; the copy is acked with nothing left in it.
  const seen = new Set<string>();
  const held: Held[] = batch.messages.map((queued) => {
    const bundle = bundleOf(queued.body);
    const pending: MailMessage[] = [];
    for (const m of bundle.messages) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      pending.push(m);
    }
    return { queued, bundle, state: retryStateOf(bundle, queued.attempts), pending };
  });

  // A message whose send was logged but whose ack was lost comes back: do not send it twice.
  const logged = await logRows(env.DB, [...seen]).catch((error) => {
    console.warn("mail: log unreadable, relying on idempotency keys", error);
    return new Map<string, MailLogRow>();
  });
  const active: Held[] = [];
  for (const h of held) {
    h.pending = h.pending.filter((m) => !logged.get(m.id)?.providerId);
    if (h.pending.length) active.push(h);
    else h.queued.ack();
  }
  if (active.length === 0) return;

  const outageForAll = (reason: string) =>
    settle(
      active.map((h) => ({ h, unsent: h.pending.map((message) => ({ message, setback: outage(reason), subject: null })) })),
      [],
    );
  let mailer: Mailer;
  try {
    mailer = deps.mailer ?? mailerFor(env);
  } catch (error) {
    console.error("mail: no mailer", error);
    return outageForAll(`no mailer: ${String(error)}`);
  }

  // The orgs of the batch's sessions (sender names, reply-tos, budgets): one D1 query. Sending
  // without them would put the wrong sender on the mail: wait for D1 instead.
  let orgs: Map<string, SessionOrg>;
  try {
    orgs = await orgsBySession(
      env.DB,
      active.flatMap((h) => h.pending.flatMap((m) => m.sessionId ?? [])),
    );
  } catch (error) {
    console.error("mail: org settings unreadable", error);
    return outageForAll(`org settings unreadable: ${String(error)}`);
  }
  const settings = new Map([...orgs].map(([sessionId, org]) => [sessionId, mailSettingsOf(org)]));
  // An invitation's discount code with what it leaves to pay; without the catalogue, the email
  // still names the code, and the link's page says the price.
  await priceInvitations(
    env.DB,
    active.flatMap((h) => h.pending),
    orgs,
    clock.now(),
  ).catch((error) => console.warn("mail: invitation prices unreadable", error));

  if (deps.divert) {
    try {
      const diverted = await deps.divert(
        active.flatMap((h) => h.pending),
        orgs,
      );
      for (const h of active) h.pending = h.pending.filter((m) => !diverted.has(m.id));
    } catch (error) {
      console.error("mail: divert failed", error);
      return outageForAll(`divert failed: ${String(error)}`);
    }
  }

  const entries: MailLogEntry[] = [];
  const outcomes: { h: Held; unsent: Unsent[] }[] = [];
  const counted = await countAgainstBudgets(active, orgs, env, deps, clock, transport);
  entries.push(...counted.entries);
  outcomes.push(...counted.outages);
  const sending = active.filter((h) => h.pending.length > 0 && !counted.outages.some((o) => o.h === h));
  for (const h of active) if (h.pending.length === 0) outcomes.push({ h, unsent: [] });

  const envelopes: Envelope[] = sending.flatMap((h, bundle) =>
    h.pending.map((message) => ({
      message,
      attempts: h.state.attempts,
      failures: h.state.failures,
      bundle,
      queuedAt: h.queued.timestamp,
      senderSettings: senderSettingsOf(message, settings),
    })),
  );
  const decisions = await deliver(envelopes, mailer, clock, {
    from: env.MAIL_FROM,
    minIntervalMs: callInterval(env.RESEND_REQUESTS_PER_SECOND, DEFAULT_REQUESTS_PER_SECOND),
    budgetMs: ROUND_BUDGET_MS,
  });

  const now = clock.now().toISOString();
  const sent: MailMessage[] = [];
  const failed: MailMessage[] = [];
  for (const h of sending) {
    const unsent: Unsent[] = [];
    for (const message of h.pending) {
      const d = decisions.get(message.id) ?? { kind: "retry", ...outage("not attempted"), subject: null };
      const base = entryBase(message, transport, h.state.attempts);
      if (d.kind === "sent") {
        entries.push({ ...base, subject: d.subject, status: "sent", at: d.at, providerId: d.providerId, idempotencyKey: d.idempotencyKey });
        sent.push(message);
      } else if (d.kind === "failed") {
        entries.push({ ...base, subject: d.subject, status: "failed", at: now, error: d.reason });
        failed.push(message);
      } else {
        unsent.push({ message, setback: d, subject: d.subject });
      }
    }
    outcomes.push({ h, unsent });
  }
  await report([...reportsFor(sent, "sent", now), ...reportsFor(failed, "failed", now)]);
  await settle(outcomes, entries);
}

const outage = (reason: string): Setback => ({ cause: "outage", delaySeconds: 0, reason });

/**
 * Counts each bundle not counted yet against its org's hourly budget (orgs/mail-budget.ts): what
 * fits stays in this round (and the bundle is never counted or split again, so a retry is the same
 * request), what does not waits for the next hour as a bundle of its own, not as a failure, and
 * the org's owners are told once that hour. A bundle carrying an email someone waits for (a code)
 * may go past the budget by its allowance (orgs/mail-budget.ts). Mail of no org is never counted.
 */
async function countAgainstBudgets(
  active: Held[],
  orgs: Map<string, SessionOrg>,
  env: Env,
  deps: ConsumerDeps,
  clock: DeliveryClock,
  transport: "resend" | "dev",
): Promise<{ entries: MailLogEntry[]; outages: { h: Held; unsent: Unsent[] }[] }> {
  const requeue = deps.requeue ?? mailQueues(env);
  const limit = mailHourlyBudget(env);
  const now = clock.now();
  const entries: MailLogEntry[] = [];
  const outages: { h: Held; unsent: Unsent[] }[] = [];
  const alerted = new Set<string>();
  for (const h of active) {
    const sessionId = h.pending[0]?.sessionId;
    const org = sessionId ? orgs.get(sessionId) : undefined;
    if (h.state.budgeted || !org) continue;
    try {
      const ceiling = h.pending.some(isUrgentMail) ? limit + urgentAllowance(limit) : limit;
      const granted = await reserveMail(env.DB, org.orgId, h.pending.length, ceiling, now);
      if (granted >= h.pending.length) {
        h.state = { ...h.state, budgeted: true };
        continue;
      }
      const later = h.pending.slice(granted);
      const reason = `mail_budget_exceeded: the org's ${limit} emails of this hour are spent; waits for the next hour`;
      await requeue.send({ messages: later, attempts: h.state.attempts } satisfies MailBundle, {
        contentType: "json",
        delaySeconds: secondsToNextWindow(now),
      });
      h.pending = h.pending.slice(0, granted);
      h.state = { ...h.state, budgeted: true };
      for (const m of later)
        entries.push({
          ...entryBase(m, transport, h.state.attempts),
          subject: null,
          status: "queued",
          at: now.toISOString(),
          error: reason,
        });
      if (!alerted.has(org.orgId)) {
        alerted.add(org.orgId);
        await alertOwners(env, requeue, org, limit, now);
      }
    } catch (error) {
      console.error("mail: budget unreadable", error);
      outages.push({
        h,
        unsent: h.pending.map((message) => ({ message, setback: outage(`budget unreadable: ${String(error)}`), subject: null })),
      });
    }
  }
  return { entries, outages };
}

/** Tells the org's owners, the first time this hour, that its budget ran out. */
async function alertOwners(env: Env, queue: MailQueue, org: SessionOrg, limit: number, now: Date): Promise<void> {
  try {
    const owners = await takeBudgetAlert(env.DB, org.orgId, now);
    if (!owners.ok) return;
    const resumesAt = mailWindow(now).end.toISOString();
    for (const to of owners.value) {
      const alert: MailMessage<"mail_budget_alert"> = {
        id: `msg_${randomSecret(12)}`,
        template: "mail_budget_alert",
        to,
        locale: org.settings.defaultLocale ?? DEFAULT_LOCALE,
        data: { orgName: org.name, limit, resumesAt },
      };
      await queue.send(alert, { contentType: "json" });
    }
  } catch (error) {
    console.warn(`mail: budget alert for ${org.orgId} not sent`, error);
  }
}

/** An email of a bundle still unsent after the round, why, and the subject it was rendered with. */
type Unsent = { message: MailMessage; setback: Setback; subject: string | null };

/**
 * Ends the round for each bundle, by nextStep: ack it, queue what is left again with its retry
 * state (the queue's own retry is the fallback when that fails), or hand what is left to its
 * ledger as dead letters. The round's log entries, these included, are written once.
 */
function settler(env: Env, deps: ConsumerDeps, clock: DeliveryClock, transport: "resend" | "dev") {
  const requeue = deps.requeue ?? mailQueues(env);
  const deadLetters = deps.deadLetters ?? ledgerDeadLetters(env);
  return async (outcomes: { h: Held; unsent: Unsent[] }[], entries: MailLogEntry[]) => {
    const now = clock.now();
    const at = now.toISOString();
    const steps = outcomes.map(({ h, unsent }) => {
      const step = nextStep(
        h.state,
        unsent.map((u) => u.setback),
        now,
      );
      for (const u of unsent) {
        const dead = step.kind === "dead";
        entries.push({
          ...entryBase(u.message, transport, h.state.attempts),
          subject: u.subject,
          status: dead ? "failed" : "queued",
          at,
          error: dead ? step.reason : u.setback.reason,
        });
      }
      return { h, unsent: unsent.map((u) => u.message), step };
    });
    // Sent is sent: a log hiccup must not make the queue send it again (a ledger that misses
    // "sent" still hears "delivered" from the webhook).
    await writeLog(env.DB, entries).catch((error) => console.error("mail: log write failed", error));

    for (const { h, unsent, step } of steps) {
      if (step.kind === "done") {
        h.queued.ack();
      } else if (step.kind === "requeue") {
        try {
          await requeue.send({ messages: unsent, ...step.state } satisfies MailBundle, {
            contentType: "json",
            delaySeconds: step.delaySeconds,
          });
          h.queued.ack();
        } catch (error) {
          console.warn("mail: could not queue a bundle again; the queue retries it", error);
          h.queued.retry({ delaySeconds: step.delaySeconds });
        }
      } else {
        try {
          await deadLetters(unsent, step.reason, at);
          h.queued.ack();
        } catch (error) {
          console.error("mail: dead letters not kept; the queue retries them", error);
          h.queued.retry({ delaySeconds: 60 });
        }
      }
    }
  };
}

export async function consumeDeadMail(batch: MessageBatch<QueuedMail>, env: Env, deps: ConsumerDeps = {}): Promise<void> {
  const deadLetters = deps.deadLetters ?? ledgerDeadLetters(env);
  const now = (deps.clock ?? systemDeliveryClock).now().toISOString();
  const messages = batch.messages.flatMap((m) => bundleOf(m.body).messages);
  const logged = await logRows(
    env.DB,
    messages.map((m) => m.id),
  );
  // A message that did get through before its last retry failed is not a failure.
  const dead = [...new Map(messages.filter((m) => !logged.get(m.id)?.providerId).map((m) => [m.id, m])).values()];
  const reason = "dead-lettered after the queue's last retry";
  await writeLog(
    env.DB,
    dead.map((message) => ({
      ...entryBase(message, env.RESEND_API_KEY ? "resend" : "dev", logged.get(message.id)?.attempts ?? 1),
      subject: null,
      status: "failed" as const,
      at: now,
      error: logged.get(message.id)?.error ?? reason,
    })),
  );
  await deadLetters(dead, reason, now);
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
