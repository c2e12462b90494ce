// The words of a session, declared once.

export const SESSION_STATUSES = ["scheduled", "cancelled"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** What a member of the public may do now (full: no seat left; the waitlist may still be open). */
export const REGISTRATION_STATES = ["not_yet_open", "open", "full", "closed", "cancelled"] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];
