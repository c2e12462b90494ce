// Resend's delivery webhooks: verified over the raw body (Svix / Standard Webhooks signature,
// timestamps older than 5 minutes refused), replays ignored by their svix-id, and each email
// event applied to the message's log row and its invitation through nextDeliveryStatus, so
// events arriving out of order cannot move a status backwards.

import { Resend } from "resend";
import { fail, type Outcome, ok } from "../errors/problem";
import { handleOnce } from "../http/handled-once";
import { systemClock } from "../time/clock";
import type { DeliveryStatus } from "./delivery";
import { applyProviderStatus, writeLog } from "./log";
import type { DeliveryReporter } from "./status";

/** The Resend events that say something about delivery; the others (opened, clicked…) are ignored. */
export const eventStatus: Record<string, DeliveryStatus> = {
  "email.sent": "sent",
  "email.delivered": "delivered",
  "email.delivery_delayed": "delayed",
  "email.bounced": "bounced",
  "email.complained": "complained",
  "email.failed": "failed",
};

export type WebhookHeaders = { id: string | null; timestamp: string | null; signature: string | null };

type EventTags = Record<string, string> | { name: string; value: string }[];

export type EmailEvent = {
  type: string;
  created_at?: string;
  data?: { email_id?: string; created_at?: string; to?: string[]; tags?: EventTags };
};

export type WebhookOutcome = { result: "applied" | "replayed" | "ignored" | "unknown_email"; status?: DeliveryStatus };

/** Checks the signature with the SDK's verifier (standardwebhooks): HMAC over id.timestamp.body. */
export function verifyWebhook(secret: string, rawBody: string, headers: WebhookHeaders): Outcome<EmailEvent> {
  if (!headers.id || !headers.timestamp || !headers.signature)
    return fail("invalid_signature", "The svix-id, svix-timestamp and svix-signature headers are required.");
  try {
    // Verifying needs only the signing secret, but the SDK's constructor insists on an API key.
    const webhooks = new Resend("re_verification_only").webhooks;
    const event = webhooks.verify({
      payload: rawBody,
      headers: { id: headers.id, timestamp: headers.timestamp, signature: headers.signature },
      webhookSecret: secret,
    }) as unknown as EmailEvent;
    return ok(event);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(
      "invalid_signature",
      /too old|too new/i.test(reason) ? "The webhook timestamp is outside the 5-minute window." : "The webhook signature does not match.",
    );
  }
}

export async function handleWebhook(
  env: Env,
  rawBody: string,
  headers: WebhookHeaders,
  report: DeliveryReporter,
  now: Date = systemClock.now(),
): Promise<Outcome<WebhookOutcome>> {
  // Trimmed as the Stripe and Twilio secrets are: a blank value is no secret (nothing is accepted),
  // and one pasted with a line break still verifies.
  const secret = env.RESEND_WEBHOOK_SECRET?.trim();
  if (!secret) return fail("unavailable", "RESEND_WEBHOOK_SECRET is not configured; Resend will retry.");
  const verified = verifyWebhook(secret, rawBody, headers);
  if (!verified.ok) return verified;
  const event = verified.value;
  const eventId = headers.id!;

  const handled = await handleOnce(env.DB, { id: eventId, type: event.type }, now, () => applyEvent(env, event, report, now));
  return ok(handled.replayed ? { result: "replayed" } : handled.value);
}

async function applyEvent(env: Env, event: EmailEvent, report: DeliveryReporter, now: Date): Promise<WebhookOutcome> {
  const status = eventStatus[event.type];
  const providerId = event.data?.email_id;
  if (!status || !providerId) return { result: "ignored" };
  const at = event.created_at ?? event.data?.created_at ?? now.toISOString();

  const row = await applyProviderStatus(env.DB, providerId, status, at);
  let target = row ? { invitationId: row.invitationId, sessionId: row.sessionId } : null;
  if (!row) {
    // The webhook can outrun the consumer's log write: the tags we set on the email say whose it is.
    const tags = tagMap(event.data?.tags);
    if (!tags.message_id) return { result: "unknown_email" };
    target = { invitationId: tags.invitation_id ?? null, sessionId: tags.session_id ?? null };
    await writeLog(env.DB, [
      {
        messageId: tags.message_id,
        transport: "resend",
        to: event.data?.to?.[0] ?? "",
        template: tags.template ?? "unknown",
        subject: null,
        invitationId: target.invitationId,
        sessionId: target.sessionId,
        status,
        at,
        providerId,
        attempts: 1,
      },
    ]);
  }
  if (target?.invitationId && target.sessionId) {
    const { unreachable } = await report([{ invitationId: target.invitationId, sessionId: target.sessionId, status, at }]);
    // Answering 500 makes Resend send the event again; applying it twice changes nothing.
    if (unreachable) throw new Error(`the ledger of ${target.sessionId} could not be reached`);
  }
  return { result: "applied", status };
}

/** Resend sends tags as an object; accept the array form too. */
function tagMap(tags: EventTags | undefined): Record<string, string> {
  if (!tags) return {};
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((t) => [t.name, t.value]));
  return tags;
}
