// What a contact's events carry (contact.created, contact.deactivated): who the contact is, never
// its notes, phone or tags. Plain functions; contacts/store.ts and contacts/service.ts write the
// rows they decide into the D1 outbox (outbox.ts) in the batch of the change itself.

import { newEventId, type WebhookEventType } from "./events";

export type ContactLike = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  type: string;
  status: string;
  createdAt: string;
};

/** One row of the D1 outbox: an event not yet handed to the webhook queue. */
export type OutboxRow = { id: string; orgId: string; type: WebhookEventType; data: string; createdAt: string };

export function contactData(c: ContactLike): Record<string, unknown> {
  return {
    id: c.id,
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    type: c.type,
    status: c.status,
    createdAt: c.createdAt,
  };
}

/** The outbox row announcing this contact's creation or deactivation, decided at `now`. */
export function contactEventRow(
  orgId: string,
  type: "contact.created" | "contact.deactivated",
  contact: ContactLike,
  now: string,
): OutboxRow {
  return { id: newEventId(), orgId, type, data: JSON.stringify(contactData(contact)), createdAt: now };
}
