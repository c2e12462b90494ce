// The Resend mailer: `batch.send` for plain emails, `emails.send` for those with attachments.
// The base URL is always passed explicitly (in workerd the SDK cannot read RESEND_BASE_URL from
// the environment), so a local server speaking Resend's API can stand in.

import { Resend } from "resend";
import { systemClock } from "../time/clock";
import type { Mailer, OutgoingEmail, SendFailure } from "./mailer";

export type ResendConfig = { apiKey: string; baseUrl?: string };

/** Queues refuse delays above 12 hours. */
const MAX_RETRY_AFTER_SECONDS = 12 * 60 * 60;

export function resendMailer(config: ResendConfig): Mailer {
  const resend = new Resend(config.apiKey, { baseUrl: config.baseUrl?.replace(/\/+$/, "") || "https://api.resend.com" });
  return {
    transport: "resend",
    async sendBatch(emails, idempotencyKey) {
      const response = await resend.batch.send(emails.map(toResend), { idempotencyKey });
      if (response.error) return { ok: false, failure: classify(response.error, response.headers) };
      const ids = response.data.data.map((d) => d.id);
      if (ids.length !== emails.length) {
        return {
          ok: false,
          failure: { kind: "unavailable", status: null, detail: `Resend answered ${ids.length} ids for ${emails.length} emails.` },
        };
      }
      return { ok: true, providerIds: ids };
    },
    async send(email, idempotencyKey) {
      const response = await resend.emails.send(toResend(email), { idempotencyKey });
      if (response.error) return { ok: false, failure: classify(response.error, response.headers) };
      return { ok: true, providerIds: [response.data.id] };
    },
  };
}

/** The SDK's shape of an email; without a reply-to the payload is what it was before there was one. */
export function toResend(email: OutgoingEmail) {
  return {
    from: email.from,
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    to: [email.to],
    subject: email.subject,
    html: email.html,
    text: email.text,
    tags: email.tags,
    ...(email.attachments?.length
      ? { attachments: email.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })) }
      : {}),
  };
}

type ResendError = { statusCode: number | null; name: string; message: string };

/** What a failed call means for the messages it carried. */
export function classify(error: ResendError, headers: Record<string, string> | null): SendFailure {
  const status = error.statusCode ?? null;
  const detail = `${status ?? "network"} ${error.name}: ${error.message}`;
  if (status === 429 || error.name === "rate_limit_exceeded" || error.name.endsWith("_quota_exceeded")) {
    return { kind: "rate_limited", retryAfterSeconds: retryAfterSeconds(headers?.["retry-after"]), detail };
  }
  // Validation of the content itself. A bad sender address or key is ours to fix, not the
  // message's fault: those are retried like an outage, so they end in the dead-letter queue.
  if ((status === 400 || status === 422) && !["invalid_from_address", "invalid_idempotency_key", "invalid_api_key"].includes(error.name)) {
    return { kind: "refused", status, detail };
  }
  return { kind: "unavailable", status, detail };
}

/** `retry-after` in seconds or as an HTTP date; 1 s when absent or unreadable. */
export function retryAfterSeconds(header: string | undefined, now: number = systemClock.now().getTime()): number {
  if (!header) return 1;
  const seconds = Number(header);
  const value = Number.isFinite(seconds) ? seconds : (Date.parse(header) - now) / 1000;
  if (!Number.isFinite(value)) return 1;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(value)));
}
