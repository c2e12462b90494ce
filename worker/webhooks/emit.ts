// Emitting an event decided outside a session's ledger (contacts, payments): the one function other
// folders call. It hands the event to the webhook queue; call it right after the D1 write that made
// the change has committed. A crash between that write and this call loses the event; the contact
// events avoid that through D1's outbox (outbox.ts), written in the batch of the change.

import { newEventId, type WebhookEvent, type WebhookEventType } from "./events";
import type { WebhookQueueMessage } from "./message";

/** An event of an org that belongs to no session (`sequence` null). */
export function orgEvent(orgId: string, type: WebhookEventType, data: Record<string, unknown>, now: Date): WebhookEvent {
  return { id: newEventId(), type, orgId, createdAt: now.toISOString(), sessionId: null, sequence: null, data };
}

/** Queues these events for the org's endpoints (100 per send, the queue's limit). */
export async function emitWebhookEvents(queue: Pick<Queue<WebhookQueueMessage>, "sendBatch">, events: WebhookEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 100)
    await queue.sendBatch(events.slice(i, i + 100).map((event) => ({ body: { event }, contentType: "json" as const })));
}
