// The words of a registration, declared once (schemas, the ledger's columns, the roster, the widget).

/**
 * `pending_confirmation`: a public registration in a session that confirms by email, holding its
 * seat (or its place on the waitlist) until the registrant confirms the address or the hold lapses.
 */
export const REGISTRATION_STATUSES = ["confirmed", "waitlisted", "cancelled", "pending_confirmation"] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** Holding a seat or a place on the waitlist, confirmed or not yet. */
export const ACTIVE_REGISTRATION_STATUSES = [
  "confirmed",
  "waitlisted",
  "pending_confirmation",
] as const satisfies readonly RegistrationStatus[];

/** Holding a place but no confirmed seat (what a client's cap counts). */
export const WAITING_REGISTRATION_STATUSES = ["waitlisted", "pending_confirmation"] as const satisfies readonly RegistrationStatus[];

export const REGISTRATION_SOURCES = ["public", "invitation", "code", "provider"] as const;
export type RegistrationSource = (typeof REGISTRATION_SOURCES)[number];

export const CANCELLED_BY = ["participant", "provider", "system"] as const;
export type CancelledBy = (typeof CANCELLED_BY)[number];
