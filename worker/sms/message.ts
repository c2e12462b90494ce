// What one message of the SMS queue carries: the mail message it stands for (kept whole, so a text
// given up on becomes a dead letter its session can re-drive, and goes back to email when the
// number has opted out since), the text as it was decided, and its retry state.

import type { MailMessage } from "../email/message";
import { isUrgent, lanes, type Sends } from "../email/queues";

export type QueuedSms = {
  mail: MailMessage;
  /** E.164. */
  to: string;
  /** Rendered once, when the message was diverted: the same text on every try, which is how `find` recognises it. */
  body: string;
  segments: number;
  /** Twilio's status callback for this text (carries the message id), when the worker's origin is known. */
  statusCallback?: string;
  /** Rounds that tried this text before (the queue's own count starts again at each requeue). */
  attempts?: number;
  /** Outages met so far, in a row; a 429 does not count. */
  failures?: number;
  failingSince?: string;
};

/** Queue names, as in wrangler.toml. */
export const SMS_QUEUE = "rollcall-sms";
export const URGENT_SMS_QUEUE = "rollcall-sms-urgent";

/**
 * Both SMS queues as one: `URGENT_SMS_QUEUE` for a text standing for an email someone waits for
 * (email/queues.ts: a one-time code, a page link), `SMS_QUEUE` for the rest. Every sender of
 * texts goes through this, retries included.
 */
export const smsQueues = (env: Pick<Env, "SMS_QUEUE" | "URGENT_SMS_QUEUE">): Sends<QueuedSms> =>
  lanes(env.URGENT_SMS_QUEUE as Queue<QueuedSms>, env.SMS_QUEUE as Queue<QueuedSms>, (sms) => isUrgent(sms.mail));
