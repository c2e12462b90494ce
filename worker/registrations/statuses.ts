// The words of a registration, declared once (schemas, the ledger's columns, the roster, the widget).

/**
 * `pending_confirmation`: a public registration in a session that confirms by email, holding its
 * seat (or its place on the waitlist) until the registrant confirms the address or the hold lapses.
 */
/**
 * `pending_payment`: a public registration in a priced session, holding its seat for 31 minutes
 * while the registrant pays at checkout; paid, it is confirmed; abandoned or lapsed, the seat frees.
 */
export const REGISTRATION_STATUSES = ["confirmed", "waitlisted", "cancelled", "pending_confirmation", "pending_payment"] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** Holding a seat or a place on the waitlist, confirmed or not yet. */
export const ACTIVE_REGISTRATION_STATUSES = [
  "confirmed",
  "waitlisted",
  "pending_confirmation",
  "pending_payment",
] as const satisfies readonly RegistrationStatus[];

/** Holding a place but no confirmed seat (what a client's cap counts). */
export const WAITING_REGISTRATION_STATUSES = [
  "waitlisted",
  "pending_confirmation",
  "pending_payment",
] as const satisfies readonly RegistrationStatus[];

/** Statuses whose seat is held until a moment (`confirmExpiresAt`), then lapses by the ledger's alarm. */
export const HOLDING_REGISTRATION_STATUSES = ["pending_confirmation", "pending_payment"] as const satisfies readonly RegistrationStatus[];

/** `host`: the session's host holding the host's seat (registrations/host-seat.ts). */
export const REGISTRATION_SOURCES = ["public", "invitation", "code", "provider", "host"] as const;
export type RegistrationSource = (typeof REGISTRATION_SOURCES)[number];

export const CANCELLED_BY = ["participant", "provider", "system"] as const;
export type CancelledBy = (typeof CANCELLED_BY)[number];
