// The events an org's webhook endpoints can subscribe to (SPEC, "The platform around it"), and the
// pure rules that say which event a write of a ledger row is. The ledger's store calls these on
// every write of a registration, an invitation or the session, so every path emits the same way.

import { z } from "@hono/zod-openapi";

export const WEBHOOK_EVENT_TYPES = [
  "registration.created",
  "registration.cancelled",
  "registration.promoted",
  "invitation.created",
  "invitation.sent",
  "invitation.accepted",
  "invitation.declined",
  "invitation.expired",
  "invitation.cancelled",
  "invitation.bounced",
  "session.created",
  "session.updated",
  "session.cancelled",
  "session.decided",
  "contact.created",
  "contact.deactivated",
  "payment.succeeded",
  "payment.refunded",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

/** What "send test event" sends: not an event of the SPEC, and no endpoint subscribes to it. */
export const TEST_EVENT_TYPE = "webhook.test";

/** The object an event is about, by its kind (the prefix of the event type). */
export type WebhookSubject = "registration" | "invitation" | "session" | "contact" | "payment";

/**
 * One event as it travels and as endpoints receive it (the body of the POST). `id` is stable: every
 * delivery and re-delivery of the event carries it (and it is the `webhook-id` header), so a
 * receiver de-duplicates by it. `sequence` orders the events of one session (the ledger's outbox
 * id); there is no order across sessions.
 */
export type WebhookEvent = {
  id: string;
  type: WebhookEventType | typeof TEST_EVENT_TYPE;
  orgId: string;
  createdAt: string;
  sessionId: string | null;
  sequence: number | null;
  data: Record<string, unknown>;
};

type RegistrationLike = {
  id: string;
  status: string;
  source: string;
  invitationId: string | null;
  name: string;
  email: string;
  createdAt: string;
  cancelledAt: string | null;
  cancelledBy?: string | null;
  promotedAt?: string | null;
  erasedAt: string | null;
};

type EventStatus = { status: string; refundedAt?: string | null };

/** What a write of a registration announces, or null. */
export function registrationEventType(before: EventStatus | undefined, after: EventStatus): WebhookEventType | null {
  if (!before) return "registration.created";
  // Money went back (made by us, or by the provider's dashboard): announced once, when first recorded.
  if (!before.refundedAt && after.refundedAt) return "payment.refunded";
  if (before.status === after.status) return null;
  if (after.status === "cancelled") return "registration.cancelled";
  if (before.status === "waitlisted" && after.status === "confirmed") return "registration.promoted";
  if (before.status === "pending_payment" && after.status === "confirmed") return "payment.succeeded";
  return null;
}

export function registrationData(sessionId: string, r: RegistrationLike): Record<string, unknown> {
  const erased = r.erasedAt !== null;
  return {
    id: r.id,
    sessionId,
    status: r.status,
    source: r.source,
    invitationId: r.invitationId,
    name: erased ? null : r.name,
    email: erased ? null : r.email,
    createdAt: r.createdAt,
    promotedAt: r.promotedAt ?? null,
    cancelledAt: r.cancelledAt,
    cancelledBy: r.cancelledBy ?? null,
  };
}

type PaymentLike = RegistrationLike & {
  amountDue: number | null;
  currency: string | null;
  paidAt: string | null;
  refundDueAt: string | null;
  refundedAt: string | null;
  refundedAmount: number | null;
};

/**
 * payment.succeeded and payment.refunded: the registration's data and its payment's: what was owed
 * (minor units) and its currency, when it was paid, when a refund fell due, when and how much (in
 * all) went back.
 */
export function paymentData(sessionId: string, r: PaymentLike): Record<string, unknown> {
  return {
    ...registrationData(sessionId, r),
    registrationId: r.id,
    amount: r.amountDue,
    currency: r.currency,
    paidAt: r.paidAt,
    refundDueAt: r.refundDueAt,
    refundedAt: r.refundedAt,
    refundedAmount: r.refundedAmount,
  };
}

type InvitationLike = {
  id: string;
  status: string;
  sendCount: number;
  delivery: string | null;
  email: string;
  name: string | null;
  holdSeat: boolean;
  expiresAt: string | null;
  sentAt: string | null;
  registrationId: string | null;
  createdAt: string;
  erasedAt: string | null;
};

/** What a write of an invitation announces (a resend and a re-open are `invitation.sent` again). */
export function invitationEventType(before: InvitationLike | undefined, after: InvitationLike): WebhookEventType | null {
  if (!before) return "invitation.created";
  if (before.delivery !== "bounced" && after.delivery === "bounced") return "invitation.bounced";
  if (before.status === after.status) return after.status === "sent" && after.sendCount > before.sendCount ? "invitation.sent" : null;
  switch (after.status) {
    case "sent":
      return "invitation.sent";
    case "accepted":
      return "invitation.accepted";
    case "declined":
      return "invitation.declined";
    case "expired":
      return "invitation.expired";
    case "cancelled":
      return "invitation.cancelled";
    default:
      return null;
  }
}

export function invitationData(sessionId: string, r: InvitationLike): Record<string, unknown> {
  const erased = r.erasedAt !== null;
  return {
    id: r.id,
    sessionId,
    status: r.status,
    email: erased ? null : r.email,
    name: erased ? null : r.name,
    holdSeat: r.holdSeat,
    delivery: r.delivery,
    sentAt: r.sentAt,
    expiresAt: r.expiresAt,
    registrationId: r.registrationId,
    createdAt: r.createdAt,
  };
}

type SessionLike = {
  id: string;
  title: string;
  description: string;
  startsAt: string;
  timeZone: string;
  durationMinutes: number;
  capacity: number;
  minParticipants: number;
  location: string | null;
  status: string;
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
  waitlist: boolean;
  listed: boolean;
  minimumDecision: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
};

/** The session's fields a subscriber sees; a change of one of them is `session.updated`. */
const SESSION_FIELDS = [
  "title",
  "description",
  "startsAt",
  "timeZone",
  "durationMinutes",
  "capacity",
  "minParticipants",
  "location",
  "registrationOpensAt",
  "registrationClosesAt",
  "waitlist",
  "listed",
] as const satisfies readonly (keyof SessionLike)[];

/**
 * What a write of the session row announces. Seat counters move on every registration and are
 * not a change of the session; a cancellation and a final decision about the minimum are named.
 */
export function sessionEventType(before: SessionLike | undefined, after: SessionLike): WebhookEventType | null {
  if (!before) return "session.created";
  if (before.status !== "cancelled" && after.status === "cancelled") return "session.cancelled";
  if (before.minimumDecision !== after.minimumDecision && (after.minimumDecision === "run" || after.minimumDecision === "cancelled"))
    return "session.decided";
  return SESSION_FIELDS.some((f) => before[f] !== after[f]) ? "session.updated" : null;
}

export function sessionData(s: SessionLike): Record<string, unknown> {
  return {
    id: s.id,
    title: s.title,
    startsAt: s.startsAt,
    timeZone: s.timeZone,
    durationMinutes: s.durationMinutes,
    capacity: s.capacity,
    minParticipants: s.minParticipants,
    location: s.location,
    status: s.status,
    minimumDecision: s.minimumDecision,
    cancelledAt: s.cancelledAt,
    updatedAt: s.updatedAt,
  };
}

/** The id of an event: `evt_` and 24 random base32 characters (never reused, whatever re-delivers it). */
export function newEventId(): string {
  const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
  let id = "evt_";
  for (const byte of crypto.getRandomValues(new Uint8Array(24))) id += alphabet[byte & 31];
  return id;
}
