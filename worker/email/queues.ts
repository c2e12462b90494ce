// Which mail queue an email takes. A launch's confirmations go to Resend one request each (each
// carries its calendar file), two a second by default, so 300 of them keep the queue busy for
// two and a half minutes: a sign-in link or a one-time code queued behind them would arrive as
// late, to someone waiting for it with a page open. Those go on a queue of their own.

import { bundleOf, type MailMessage, type MailTemplate, type QueuedMail } from "./message";

/** What someone waits for with a page open: a sign-in link, a code, the link to their own page or to manage their registration. */
export const URGENT_TEMPLATES: ReadonlySet<MailTemplate> = new Set<MailTemplate>([
  "sign_in",
  "one_time_code",
  "confirm_registration",
  "page_link",
  "manage_link",
]);

/** Whether someone waits for this email. */
export const isUrgentMail = (message: MailMessage): boolean => URGENT_TEMPLATES.has(message.template);

/** Whether a queue message carries an email someone waits for (one is enough: it must not wait for the others). */
export const isUrgent = (body: QueuedMail): boolean => bundleOf(body).messages.some(isUrgentMail);

/** A queue, or two as one (lanes), as senders see it; or a test's stand-in. */
export type Sends<T> = {
  send(body: T, options?: QueueSendOptions): Promise<unknown>;
  sendBatch(requests: Iterable<MessageSendRequest<T>>, options?: QueueSendBatchOptions): Promise<unknown>;
};

/** Where mail is queued: both queues as one (mailQueues), or a test's stand-in. */
export type MailQueues = Sends<QueuedMail>;

/** What sends single emails (a sign-in link, a page link). */
export type MailQueue = Pick<MailQueues, "send">;

/**
 * Two queues as one: each message goes to `urgent` when `isUrgent` says so, to `bulk` otherwise;
 * in a batch, the urgent ones first. A failure of either send throws, and the caller sends both
 * again (the consumers skip what was sent already).
 */
export function lanes<T>(urgent: Sends<T>, bulk: Sends<T>, urgentOne: (body: T) => boolean): Sends<T> {
  return {
    send: (body, options) => (urgentOne(body) ? urgent : bulk).send(body, options),
    async sendBatch(requests, options) {
      const all = [...requests];
      const first = all.filter((r) => urgentOne(r.body));
      const rest = all.filter((r) => !urgentOne(r.body));
      if (first.length) await urgent.sendBatch(first, options);
      if (rest.length) await bulk.sendBatch(rest, options);
    },
  };
}

/**
 * Both mail queues as one: `URGENT_MAIL_QUEUE` for a message carrying an email someone waits for,
 * `MAIL_QUEUE` for the rest. Every sender of mail goes through this, retries included.
 */
export const mailQueues = (env: Pick<Env, "MAIL_QUEUE" | "URGENT_MAIL_QUEUE">): MailQueues =>
  lanes(env.URGENT_MAIL_QUEUE as Queue<QueuedMail>, env.MAIL_QUEUE as Queue<QueuedMail>, isUrgent);
