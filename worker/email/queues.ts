// Which mail queue an email takes. A launch's confirmations go to Resend one request each (each
// carries its calendar file), two a second by default, so 300 of them keep the queue busy for
// two and a half minutes: a sign-in link or a one-time code queued behind them would arrive as
// late, to someone waiting for it with a page open. Those go on a queue of their own.

import { bundleOf, type MailTemplate, type QueuedMail } from "./message";

/** What someone waits for with a page open: a sign-in link, a code, the link to their own page or to manage their registration. */
export const URGENT_TEMPLATES: ReadonlySet<MailTemplate> = new Set<MailTemplate>([
  "sign_in",
  "one_time_code",
  "confirm_registration",
  "page_link",
  "manage_link",
]);

/** Whether a queue message carries an email someone waits for (one is enough: it must not wait for the others). */
export const isUrgent = (body: QueuedMail): boolean => bundleOf(body).messages.some((m) => URGENT_TEMPLATES.has(m.template));

/** Where mail is queued: both queues as one (mailQueues), or a test's stand-in. */
export type MailQueues = {
  send(body: QueuedMail, options?: QueueSendOptions): Promise<unknown>;
  sendBatch(requests: Iterable<MessageSendRequest<QueuedMail>>, options?: QueueSendBatchOptions): Promise<unknown>;
};

/** What sends single emails (a sign-in link, a page link). */
export type MailQueue = Pick<MailQueues, "send">;

/**
 * Both mail queues as one: each message goes to `URGENT_MAIL_QUEUE` when it is urgent, to
 * `MAIL_QUEUE` otherwise. Every sender of mail goes through this, retries included.
 */
export function mailQueues(env: Pick<Env, "MAIL_QUEUE" | "URGENT_MAIL_QUEUE">): MailQueues {
  const urgent = env.URGENT_MAIL_QUEUE as Queue<QueuedMail>;
  const bulk = env.MAIL_QUEUE as Queue<QueuedMail>;
  return {
    send: (body, options) => (isUrgent(body) ? urgent : bulk).send(body, options),
    async sendBatch(requests, options) {
      const all = [...requests];
      const first = all.filter((r) => isUrgent(r.body));
      const rest = all.filter((r) => !isUrgent(r.body));
      // The urgent ones first; a failure of either throws, and the caller sends both again (the
      // consumer skips what was sent already).
      if (first.length) await urgent.sendBatch(first, options);
      if (rest.length) await bulk.sendBatch(rest, options);
    },
  };
}
