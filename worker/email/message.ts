// What a committed change asks the mail system to send. Rendering happens in the queue consumer,
// so a ledger only records the decision: which template, to whom, in which language, with what.
// Every value in `data` is plain text; templates escape it.

import type { Locale } from "../i18n/locales";

/** One question of a registration form and its answer, as the registrant reads them. */
export type AnswerLine = { label: string; value: string };

import type { CancelledBy } from "../registrations/statuses";

/** Fields every session-related message carries (set by the ledger's `mail()`). */
export type SessionMailData = {
  name: string | null;
  sessionTitle: string;
  /** ISO instant (UTC). Render it in `timeZone`, and name the zone. */
  startsAt: string;
  durationMinutes: number;
  /** IANA zone of the session. */
  timeZone: string;
  /** Origin links are built on, e.g. https://rollcall.example. */
  baseUrl: string;
  /** Where the session takes place, when the session says. */
  location?: string | null;
  /** What a seat costs (minor units), in the messages that offer or give one; absent: free. */
  price?: { amount: number; currency: string } | null;
  /** The meeting link (https), only in the messages of a confirmed seat (the ledger's `mail()`). */
  onlineUrl?: string | null;
  /** The SEQUENCE of the calendar file this message carries (calendar/sequence.ts), when it carries one. */
  calendarSequence?: number;
};

/** What a session looked like before an edit moved it (its time or its place). */
export type SessionBefore = {
  startsAt: string;
  durationMinutes: number;
  timeZone: string;
  location: string | null;
  onlineUrl: string | null;
};

/**
 * What a paid seat's confirmation says about the money: the amount paid (minor units) and until
 * when the participant's own cancellation refunds it in full (null: it no longer does, or never did).
 */
export type PaidNote = { amount: number; currency: string; refundUntil: string | null };

export type MailData = {
  /** Confirmed: `${baseUrl}/m/${manageToken}` is the participant's cancel link; carries an .ics. */
  /** `answers`: the registration form's questions and the registrant's answers, in their language. */
  /** `host`: the seat is the host's own (a session counting its host as a participant). */
  /** `paid`: the seat was paid for (absent from messages queued before it was added, and when nothing was paid). */
  registration_confirmed: SessionMailData & { manageToken: string; answers?: AnswerLine[]; host?: boolean; paid?: PaidNote };
  /** `waitlistPosition`: their place in line when the message was written (absent from messages queued before it was added). */
  waitlisted: SessionMailData & { manageToken: string; answers?: AnswerLine[]; waitlistPosition?: number };
  /** `manageToken` is filled in from the message's `manageSalt` before it leaves the ledger. */
  promoted: SessionMailData & { manageToken: string; answers?: AnswerLine[] };
  /**
   * Moved up from the waitlist of a priced session: the seat is held until `holdUntil` while they
   * pay `amount` (minor units) at `${baseUrl}/m/${manageToken}/pay`; `manageToken` is filled in
   * from the message's `manageSalt`.
   */
  promoted_to_pay: SessionMailData & { manageToken: string; amount: number; currency: string; holdUntil: string };
  /** `hadSeat`: the registration was confirmed, so the calendar event is withdrawn (METHOD:CANCEL). */
  session_cancelled: SessionMailData & {
    cancelledBy: string;
    hadSeat: boolean;
    /** Why, when the email says it: the minimum of participants was not met at decisionAt. */
    reason?: "minimum_not_met";
    /** A paid registration only: whether the payment is refunded in full or not at all (the session's refund policy). */
    refund?: "full" | "none";
  };
  registration_cancelled: SessionMailData & { cancelledBy: CancelledBy; hadSeat: boolean; refund?: "full" | "none" };
  /** The link to manage a registration, asked for again by its registrant. */
  manage_link: SessionMailData & { manageToken: string; status: "confirmed" | "waitlisted" };
  /** `link` is the whole invitation URL (the org's link template or `${baseUrl}/r/${token}`). */
  invitation: SessionMailData & {
    link: string;
    subject: string | null;
    buttonText: string | null;
    message: string | null;
    discountCode: string | null;
    /** What accepting costs with the discount code, as the catalogue quoted it when the email went (the consumer adds it). */
    toPay?: { amount: number; currency: string } | null;
    holdSeat: boolean;
    expiresAt: string | null;
    /** Only the invited address can accept (a one-time code is emailed to it). Absent in older messages. */
    requireEmailMatch?: boolean;
  };
  invitation_cancelled: SessionMailData;
  one_time_code: SessionMailData & { code: string; expiresAt: string };
  /**
   * A public registration awaiting confirmation (confirmByEmail): `link` (`${baseUrl}/c/${token}`)
   * or `code` confirms it before `expiresAt`; `waitlist` when it holds a place in line, not a seat.
   */
  confirm_registration: SessionMailData & { link: string; code: string; expiresAt: string; waitlist: boolean };
  sign_in: { link: string; expiresAt: string; orgName: string };
  /** A participant's single-use link to their own page for an org (/p/l/…). */
  page_link: { link: string; expiresAt: string; orgName: string };
  /** The session was cancelled while this person's invitation was still open; `orgName` may be "". */
  invitation_session_cancelled: SessionMailData & { orgName: string };
  /**
   * The session's time or place changed: to each confirmed participant, what it was (`before`)
   * and what it is now (the session's fields), with the event's new version (METHOD:REQUEST).
   */
  session_updated: SessionMailData & { manageToken: string; before: SessionBefore };
  /**
   * Invitations to a program's sessions, one email per person (programs/mailing.ts): `link` opens
   * the program page (`${baseUrl}/programs/i/${token}`); `sessions` are those no earlier program
   * email named, and `more` says an earlier one was sent. `expiresAt`: when the first of the
   * invitations it names expires (`holdSeat`: every one keeps a seat until then). `subject`,
   * `buttonText` and `message`: the organiser's own words, when given.
   */
  program_invitation: {
    name: string | null;
    programName: string;
    link: string;
    more: boolean;
    sessions: { title: string; startsAt: string; durationMinutes: number; timeZone: string; location?: string | null }[];
    expiresAt?: string | null;
    holdSeat?: boolean;
    subject?: string | null;
    buttonText?: string | null;
    message?: string | null;
  };
  /** "It's on": the session's minimum was met at its decisionAt, or a member chose to run it anyway. */
  minimum_met: SessionMailData;
  /**
   * To each owner and admin when the minimum was not met and the session asks: `runLink` and
   * `cancelLink` (`${baseUrl}/decide/${token}`) each open a page whose button answers.
   */
  minimum_ask: SessionMailData & { counted: number; minimum: number; runLink: string; cancelLink: string };
  /** To an org's owners when its hourly mail budget ran out; `resumesAt` is when the next hour starts (UTC). */
  mail_budget_alert: { orgName: string; limit: number; resumesAt: string };
  /** To an org's owners when a webhook endpoint was disabled after 3 days of failed deliveries (webhooks/consumer.ts). */
  webhook_disabled: { orgName: string; url: string; failingSince: string };
};

export type MailTemplate = keyof MailData;

export type MailMessage<T extends MailTemplate = MailTemplate> = {
  [K in T]: {
    /** Stable across retries: the idempotency of sending rests on it. */
    id: string;
    template: K;
    to: string;
    locale: Locale;
    data: MailData[K];
    /** When set, the invitation whose delivery status this message reports. */
    invitationId?: string;
    sessionId?: string;
    /**
     * A registration's manage-token salt, for a message decided inside a ledger transaction, where
     * the token (an HMAC, so an await) cannot be derived: the ledger derives it into
     * `data.manageToken` and drops this field before the message leaves for the queue.
     */
    manageSalt?: string;
  };
}[T];

/**
 * What one message of the mail queue carries: the emails of one request to the provider (at most
 * 100, and small enough for the queue's 128 KB per message). The ledger's drain makes the bundles,
 * so however the queue groups its messages into batches, a request carries the same emails every
 * time it is tried, under the same Idempotency-Key. A bare MailMessage (a sign-in link) is a
 * bundle of one.
 */
export type MailBundle = {
  messages: MailMessage[];
  /** Rounds that tried these emails before (the queue's own count starts again at each requeue). */
  attempts?: number;
  /** Outages met so far, in a row; a 429 or a wait for the org's mail budget does not count. */
  failures?: number;
  /** When the first of those outages was met (ISO instant). */
  failingSince?: string;
  /** Counted against its org's hourly budget already: never counted, nor split, again. */
  budgeted?: boolean;
};

/** The body of a mail queue message. */
export type QueuedMail = MailMessage | MailBundle;

export function bundleOf(body: QueuedMail): MailBundle {
  return "messages" in body ? body : { messages: [body] };
}
