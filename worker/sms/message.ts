// What one message of the SMS queue carries: the mail message it stands for (kept whole, so a text
// given up on becomes a dead letter its session can re-drive, and goes back to email when the
// number has opted out since), the text as it was decided, and its retry state.

import type { MailMessage } from "../email/message";

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
