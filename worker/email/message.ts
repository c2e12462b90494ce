// What a committed change asks the mail system to send. Rendering happens in the queue consumer,
// so a ledger only records the decision: which template, to whom, in which language, with what.

export type MailTemplate =
  | "invitation"
  | "registration_confirmed"
  | "waitlisted"
  | "promoted"
  | "invitation_cancelled"
  | "session_cancelled"
  | "one_time_code"
  | "sign_in";

export type MailMessage = {
  /** Stable across retries: the idempotency of sending rests on it. */
  id: string;
  template: MailTemplate;
  to: string;
  locale: "en" | "fr";
  /** Template fields (session title, links, codes…), all plain text: templates escape them. */
  data: Record<string, unknown>;
  /** When set, the invitation whose delivery status this message reports. */
  invitationId?: string;
  sessionId?: string;
};
