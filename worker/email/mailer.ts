// The one door mail leaves through. Two implementations: Resend (resend-mailer.ts) and the local
// outbox read at /dev/mail (dev-outbox.ts). Both answer with the provider's ids or a failure
// classified by what the sender should do about it.

import { sha256Hex } from "../ids/ids";
import type { MailAttachment } from "./render";
import { displayNameText } from "./sender";

export type OutgoingEmail = {
  /** The MailMessage id this email comes from. */
  messageId: string;
  template: string;
  /** MAIL_FROM, or the org's sender name in front of MAIL_FROM's address (see sender.ts). */
  from: string;
  /** The org's reply-to address, when it set one. */
  replyTo?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: MailAttachment[];
  /** Returned in webhook events: how a delivery report finds its invitation even without the log. */
  tags: { name: string; value: string }[];
};

export type SendFailure =
  /** Too many requests: try again after `retryAfterSeconds`, nothing was sent. */
  | { kind: "rate_limited"; retryAfterSeconds: number; detail: string }
  /** 5xx, network trouble, or a configuration problem: worth trying again later, unchanged. */
  | { kind: "unavailable"; status: number | null; detail: string }
  /** The provider refuses this content (400/422 validation): sending it again will not help. */
  | { kind: "refused"; status: number; detail: string };

export type SendResult = { ok: true; providerIds: string[] } | { ok: false; failure: SendFailure };

export interface Mailer {
  readonly transport: "resend" | "dev";
  /** Up to 100 emails without attachments, all accepted or all refused; ids in the same order. */
  sendBatch(emails: OutgoingEmail[], idempotencyKey: string): Promise<SendResult>;
  /** One email, attachments allowed. */
  send(email: OutgoingEmail, idempotencyKey: string): Promise<SendResult>;
}

export const BATCH_LIMIT = 100;

/**
 * The Idempotency-Key of a request carrying these messages: the same messages give the same key,
 * so a retried request is recognised by the provider (kept 24 h) and never delivered twice.
 * Callers send batch members in id order, so the payload is identical as well. Batches and single
 * sends never share a key: the provider refuses a key reused with another payload.
 */
export async function idempotencyKey(kind: "batch" | "single", messageIds: string[]): Promise<string> {
  if (kind === "single" && messageIds.length === 1) return `rollcall-mail-${messageIds[0]}`;
  const joined = [...messageIds].sort().join("\n");
  return `rollcall-batch-${await sha256Hex(joined)}`;
}

/**
 * The subject as its header carries it: one line. A CR or LF (from a session title or an
 * organiser's subject) would end the header or start another; every control character goes, and
 * whitespace runs fold to one space, as in a sender's display name.
 */
export function subjectLine(subject: string): string {
  return displayNameText(subject);
}
