// Shapes of webhook endpoints, their delivery log and the events they receive, for
// `/v1/webhook-endpoints` and the OpenAPI document's `webhooks` section.

import { z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES } from "./decide";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES, WebhookEventTypeSchema } from "./events";

const Url = z.string().max(2000).openapi({
  description: "Where events are POSTed: https:// (http://localhost only in development), no credentials, no private hosts in production.",
  example: "https://example.com/rollcall-events",
});
const Events = z
  .array(WebhookEventTypeSchema)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .openapi({ description: "The event types this endpoint receives." });
const Description = z.string().max(500);

export const EndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(WebhookEventTypeSchema),
    enabled: z.boolean(),
    disabledAt: z.string().nullable(),
    disabledReason: z
      .string()
      .nullable()
      .openapi({ description: "`failures`: every delivery failed for 3 days (the owners were emailed); `member`: turned off." }),
    failingSince: z.string().nullable().openapi({ description: "Since when every delivery has failed; null when the last one succeeded." }),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .openapi({ description: "After a rotation: until when the previous secret also signs (24 hours)." }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("WebhookEndpoint");

export const EndpointWithSecretSchema = z
  .object({
    endpoint: EndpointSchema,
    secret: z.string().openapi({
      description: "The signing secret (`whsec_…`), shown this once: verify `webhook-signature` with it (Standard Webhooks).",
    }),
  })
  .openapi("WebhookEndpointWithSecret");

export const EndpointListSchema = z.object({ endpoints: z.array(EndpointSchema) }).openapi("WebhookEndpointList");

export const EndpointBody = z
  .object({ url: Url, events: Events, description: Description.optional(), enabled: z.boolean().optional() })
  .strict()
  .openapi("WebhookEndpointBody");

export const EndpointPatchBody = z
  .object({ url: Url.optional(), events: Events.optional(), description: Description.optional(), enabled: z.boolean().optional() })
  .strict()
  .openapi("WebhookEndpointPatchBody");

export const DeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable().openapi({ description: "The last answer's HTTP status; null when none came." }),
    latencyMs: z.number().int().nullable(),
    responseExcerpt: z.string().nullable().openapi({ description: "The first 500 characters of the last answer (or the error)." }),
    lastAttemptAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("WebhookDelivery");

export const DeliveryListSchema = z
  .object({
    deliveries: z.array(DeliverySchema),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next, older page; null on the last page." }),
  })
  .openapi("WebhookDeliveryList");

export const DeliveryListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(100),
  cursor: z.string().max(500).optional().openapi({ description: "The `nextCursor` of the page before." }),
});

export const DeletedSchema = z.object({ id: z.string(), deleted: z.literal(true) }).openapi("WebhookEndpointDeleted");

export const TestEventSchema = z.object({ eventId: z.string() }).openapi("WebhookTestEvent");

export const DeliveryParams = z.object({
  id: z
    .string()
    .max(80)
    .openapi({ param: { name: "id", in: "path" } }),
  deliveryId: z
    .string()
    .max(80)
    .openapi({ param: { name: "deliveryId", in: "path" } }),
});

/** The body every endpoint receives: one event, `data` by the event's kind. */
export function eventSchema(type: string, data: z.ZodType) {
  return z.object({
    id: z.string().openapi({ description: "Stable for the event: the `webhook-id` header; de-duplicate by it." }),
    type: z.literal(type),
    orgId: z.string(),
    createdAt: z.string(),
    sessionId: z.string().nullable(),
    sequence: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Orders the events of one session (grows with each); null for events of no session." }),
    data,
  });
}

export const RegistrationEventData = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    status: z.string(),
    source: z.string(),
    invitationId: z.string().nullable(),
    name: z.string().nullable().openapi({ description: "Null once the person's data was erased." }),
    email: z.string().nullable(),
    createdAt: z.string(),
    promotedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    cancelledBy: z.string().nullable(),
  })
  .openapi("RegistrationEventData");

export const InvitationEventData = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    status: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    holdSeat: z.boolean(),
    delivery: z.string().nullable(),
    sentAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    registrationId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("InvitationEventData");

export const SessionEventData = z
  .object({
    id: z.string(),
    title: z.string(),
    startsAt: z.string(),
    timeZone: z.string(),
    durationMinutes: z.number().int(),
    capacity: z.number().int(),
    minParticipants: z.number().int(),
    location: z.string().nullable(),
    status: z.string(),
    minimumDecision: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi("SessionEventData");

export const ContactEventData = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    type: z.string(),
    status: z.enum(["active", "deactivated"]),
    createdAt: z.string(),
  })
  .passthrough()
  .openapi("ContactEventData");

export const PaymentEventData = RegistrationEventData.extend({
  registrationId: z.string().nullable().openapi({ description: "The registration paid for (the same as id)." }),
  amount: z.number().int().nullable().openapi({ description: "What was owed, in minor units (after any discount)." }),
  currency: z.string().nullable(),
  paidAt: z.string().nullable(),
  refundDueAt: z.string().nullable().openapi({ description: "When the payment fell due to go back (no seat for it, or a cancellation)." }),
  refundedAt: z
    .string()
    .nullable()
    .openapi({ description: "When money went back (payment.refunded), by Rollcall or in the payment provider's dashboard." }),
  refundedAmount: z.number().int().nullable().openapi({ description: "How much went back in all, in minor units." }),
})
  .passthrough()
  .openapi("PaymentEventData");

export const TestEventData = z.object({ endpointId: z.string(), message: z.string() }).openapi("TestEventData");

/** The payload schema of each event type, for the document's `webhooks` section. */
export function eventPayloads(): { type: string; schema: z.ZodType }[] {
  const dataOf = (type: string) =>
    type.startsWith("registration.")
      ? RegistrationEventData
      : type.startsWith("invitation.")
        ? InvitationEventData
        : type.startsWith("session.")
          ? SessionEventData
          : type.startsWith("contact.")
            ? ContactEventData
            : PaymentEventData;
  return [
    ...WEBHOOK_EVENT_TYPES.map((type) => ({ type, schema: eventSchema(type, dataOf(type)) })),
    { type: TEST_EVENT_TYPE, schema: eventSchema(TEST_EVENT_TYPE, TestEventData) },
  ];
}

/** The headers of every event's POST (Standard Webhooks). */
export const webhookHeaders = z.object({
  "webhook-id": z.string().openapi({ description: "The event id (`evt_…`), the same on every try and every re-delivery." }),
  "webhook-timestamp": z.string().openapi({ description: "Seconds since the epoch when this try was signed." }),
  "webhook-signature": z.string().openapi({
    description: "`v1,<base64 HMAC-SHA256>` of `id.timestamp.body` under the endpoint's secret; space-separated when several.",
  }),
});
