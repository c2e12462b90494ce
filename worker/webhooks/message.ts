// What one message of the webhook queue carries: one event, for every endpoint of its org that
// subscribes to its type, or (`endpointId`) for one endpoint only: a test event, or a delivery a
// member sends again.

import type { WebhookEvent } from "./events";

export const WEBHOOK_QUEUE = "rollcall-webhooks";

export type WebhookQueueMessage = {
  event: WebhookEvent;
  endpointId?: string;
  /** Sent again by a member: deliver even if the endpoint already took it. */
  again?: boolean;
};
