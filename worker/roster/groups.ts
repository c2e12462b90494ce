// The roster's groups and flags, declared once and in the order the roster shows them. Free of
// imports, so the widget can take the array itself as well as its type.

export const ROSTER_GROUPS = ["confirmed", "waitlist", "invitations_sent", "invitations_to_send", "closed"] as const;
export type RosterGroup = (typeof ROSTER_GROUPS)[number];

export const ROSTER_FLAGS = [
  "email_mismatch",
  "bounced",
  "complained",
  "delivery_failed",
  "capacity_raised",
  "reopened",
  "erased",
  "host",
] as const;
export type RosterFlag = (typeof ROSTER_FLAGS)[number];
