// What a committed change asks the mail system to send. Rendering happens in the queue consumer,
// so a ledger only records the decision: which template, to whom, in which language, with what.
// Every value in `data` is plain text; templates escape it.

import type { Locale } from "../i18n/locales";
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
};

export type MailData = {
  /** Confirmed: `${baseUrl}/m/${manageToken}` is the participant's cancel link; carries an .ics. */
  registration_confirmed: SessionMailData & { manageToken: string };
  waitlisted: SessionMailData & { manageToken: string };
  /** `manageToken` is filled in from the message's `manageSalt` before it leaves the ledger. */
  promoted: SessionMailData & { manageToken: string };
  /** `hadSeat`: the registration was confirmed, so the calendar event is withdrawn (METHOD:CANCEL). */
  session_cancelled: SessionMailData & { cancelledBy: string; hadSeat: boolean };
  registration_cancelled: SessionMailData & { cancelledBy: CancelledBy; hadSeat: boolean };
  /** The link to manage a registration, asked for again by its registrant. */
  manage_link: SessionMailData & { manageToken: string; status: "confirmed" | "waitlisted" };
  /** `link` is the whole invitation URL (the org's link template or `${baseUrl}/r/${token}`). */
  invitation: SessionMailData & {
    link: string;
    subject: string | null;
    buttonText: string | null;
    message: string | null;
    discountCode: string | null;
    holdSeat: boolean;
    expiresAt: string | null;
  };
  invitation_cancelled: SessionMailData;
  one_time_code: SessionMailData & { code: string; expiresAt: string };
  sign_in: { link: string; expiresAt: string; orgName: string };
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
