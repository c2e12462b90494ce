// The words of an invitation's life, declared once (the schemas, the ledger's columns, the roster
// and the widget derive theirs from these arrays).

export const INVITATION_STATUSES = ["draft", "scheduled", "sent", "accepted", "declined", "expired", "cancelled"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** Not yet answered: "to send", scheduled, or sent and waiting (expiry aside). */
export const PENDING_INVITATION_STATUSES = ["draft", "scheduled", "sent"] as const satisfies readonly InvitationStatus[];
export type PendingInvitationStatus = (typeof PENDING_INVITATION_STATUSES)[number];

/** Not sent yet, kept or scheduled: the roster's "Invitations to send", which "Send all" sends now. */
export const TO_SEND_INVITATION_STATUSES = ["draft", "scheduled"] as const satisfies readonly InvitationStatus[];

export function isPending(status: InvitationStatus): status is PendingInvitationStatus {
  return (PENDING_INVITATION_STATUSES as readonly string[]).includes(status);
}

export const INVITATION_ACTIONS = ["send", "resend", "cancel", "accept", "decline", "expire", "reopen"] as const;
export type InvitationAction = (typeof INVITATION_ACTIONS)[number];

/** What the provider can do to invitations from the roster, one or many at once. */
export const BULK_INVITATION_ACTIONS = ["send", "resend", "cancel"] as const satisfies readonly InvitationAction[];
export type BulkInvitationAction = (typeof BULK_INVITATION_ACTIONS)[number];

/** What became of an invitation's email (the mail provider's reports, ranked in email/delivery.ts). */
export const DELIVERY_STATUSES = ["queued", "sent", "delivered", "delayed", "bounced", "complained", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What an invitation's history records: its creation and every move of its status. */
export const INVITATION_EVENTS = ["created", "sent", "resent", "accepted", "declined", "reopened", "expired", "cancelled"] as const;
export type InvitationEvent = (typeof INVITATION_EVENTS)[number];
