// The one door texts leave through. Two implementations: Twilio's REST API, or any server speaking
// it (twilio.ts), and the local outbox read at /dev/mail (dev-outbox.ts). Failures are classified
// by what the consumer should do about them, as the mailer's are (email/mailer.ts).

import type { SendFailure } from "../email/mailer";

export type OutgoingSms = {
  /** The mail message id this text comes from: stable across retries. */
  messageId: string;
  template: string;
  /** E.164. */
  to: string;
  body: string;
  segments: number;
  /** Where the provider reports the text's delivery, when it does. */
  statusCallback?: string;
};

export type SmsSendResult = { ok: true; sid: string } | { ok: false; failure: SendFailure };

export interface SmsSender {
  readonly transport: "twilio" | "dev";
  send(sms: OutgoingSms): Promise<SmsSendResult>;
  /**
   * The id of this text if the provider already has it (sent at or after `since`, same recipient,
   * same body): how a send whose answer was lost is recognised before it is tried again. Throws
   * when the provider cannot be asked.
   */
  find(sms: OutgoingSms, since: string): Promise<string | null>;
}
