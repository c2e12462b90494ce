// Steps the email tests share: a tenant of the Resend stand-in of this run, and driving the real
// queue handler with the consumer pointed at it.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { inject } from "vitest";
import { bundleOf, type MailBundle, type MailMessage, type QueuedMail } from "../../worker/email/message";
import worker from "../../worker/index";
import { newOrg, newSession } from "./helpers";
import { captureMail, invited, ledgerStub, listInvitations, mailSoFar } from "./invitation-helpers";

declare module "vitest" {
  interface ProvidedContext {
    resendStandinUrl: string;
  }
}

/** One API key of the stand-in: its own rate limit, failures and log. */
export function standinTenant() {
  const url = inject("resendStandinUrl");
  const key = `re_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json() as Promise<any>;
  };
  return {
    url,
    key,
    /** The worker's env with mail going to this tenant. */
    env: { ...env, RESEND_API_KEY: key, RESEND_BASE_URL: url } as Env,
    /** "network": the request never arrives; "lost": it is accepted, and its answer is lost. */
    fail: (order: { status: number | "network" | "lost"; times?: number; retryAfter?: number; path?: string }) =>
      call("POST", "/_control/fail", order),
    reject: (addresses: string[]) => call("POST", "/_control/reject", { addresses }),
    config: (config: { rateLimit?: number }) => call("POST", "/_control/config", config),
    requests: async () => (await call("GET", "/_control/requests")).requests as any[],
    emails: async () => (await call("GET", "/_control/emails")).emails as any[],
  };
}

export type QueuedEntry = { message: QueuedMail; attempts?: number; timestamp?: Date };

/** How a test names a queue message: a bare email by its id, a bundle by its emails' ids. */
export const entryId = (body: QueuedMail) =>
  bundleOf(body)
    .messages.map((m) => m.id)
    .join("+");

/**
 * Runs the worker's queue handler on one batch, as the platform would, and says what it decided:
 * which messages were acked or retried by the queue, and which bundles were queued again (with
 * their delay) instead.
 */
export async function runQueue(queue: string, mail: QueuedEntry[], workerEnv: Env) {
  const batch = createMessageBatch<QueuedMail>(
    queue,
    mail.map((m, i) => ({
      id: `q${i}-${entryId(m.message)}`,
      timestamp: m.timestamp ?? new Date("2026-05-01T10:00:00Z"),
      attempts: m.attempts ?? 1,
      body: m.message,
    })),
  );
  // The test harness records that a message was retried but not its delay: note it on the way.
  const delays = new Map<string, number | undefined>();
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    Object.defineProperty(m, "retry", {
      value: (options?: QueueRetryOptions) => {
        delays.set(m.id, options?.delaySeconds);
        retry(options);
      },
    });
  }
  // What went back to each of the two mail queues (worker/email/queues.ts).
  const requeued: { bundle: MailBundle; delaySeconds: number | undefined }[] = [];
  const requeuedUrgent: typeof requeued = [];
  const capture = (into: typeof requeued) => ({
    send: async (body: MailBundle, options?: QueueSendOptions) => {
      into.push({ bundle: body, delaySeconds: options?.delaySeconds });
    },
    sendBatch: async () => {
      throw new Error("the consumer queues bundles again one by one");
    },
  });
  const ctx = createExecutionContext();
  await worker.queue(batch, {
    ...workerEnv,
    MAIL_QUEUE: capture(requeued) as unknown as Queue,
    URGENT_MAIL_QUEUE: capture(requeuedUrgent) as unknown as Queue,
  });
  const result = await getQueueResult(batch, ctx);
  const idOf = (queueId: string) => entryId(mail[Number(queueId.slice(1, queueId.indexOf("-")))]!.message);
  return {
    acked: result.explicitAcks.map(idOf),
    ackedAll: result.ackAll,
    retried: result.retryMessages.map((r: { msgId: string }) => ({ id: idOf(r.msgId), delaySeconds: delays.get(r.msgId) })),
    requeued,
    requeuedUrgent,
  };
}

/** Mail log rows by message id. */
export async function mailLog(ids?: string[]) {
  const rows = (await env.DB.prepare("select * from mail_log").all<Record<string, any>>()).results;
  return new Map(rows.filter((r) => !ids || ids.includes(r.message_id)).map((r) => [r.message_id as string, r]));
}

export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A session with real invitations whose emails the test holds instead of the queue: `mail` the
 * emails, `bundles` the queue messages the ledger's drain made of them.
 */
export async function invitationMail(count: number, addresses?: string[]) {
  const { key, orgId } = await newOrg();
  const s = await newSession(key, { maxParticipants: count + 10 });
  const captured = await captureMail(s.id);
  const recipients = addresses ?? Array.from({ length: count }, (_, i) => `guest${i}@example.org`);
  await invited(key, s.id, { recipients: recipients.join(", "), send: "now" });
  await ledgerStub(s.id).drain();
  const mail = (await mailSoFar(s.id, captured)).filter((m) => m.template === "invitation") as MailMessage<"invitation">[];
  if (mail.length !== count) throw new Error(`expected ${count} invitation emails, got ${mail.length}`);
  const bundles = captured.bundles
    .map((b) => ({ messages: b.messages.filter((m) => m.template === "invitation") }))
    .filter((b) => b.messages.length > 0);
  const delivery = async () => new Map((await listInvitations(key, s.id)).map((i) => [i.email as string, i.delivery as string | null]));
  return { key, orgId, sessionId: s.id, mail, bundles, delivery };
}
