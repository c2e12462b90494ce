// What a committed change asks the mail system to send. Rendering happens in the queue consumer,
// so a ledger only records the decision: which template, to whom, in which language, with what.
// Every value in `data` is plain text; templates escape it.

import type { Locale } from "../i18n/locales";

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
};

export type MailData = {
  /** Confirmed: `${baseUrl}/m/${manageToken}` is the participant's cancel link; carries an .ics. */
  registration_confirmed: SessionMailData & { manageToken: string };
  waitlisted: SessionMailData & { manageToken: string };
  promoted: SessionMailData;
  session_cancelled: SessionMailData & { cancelledBy: string };
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
  /**
   * A public registration awaiting confirmation (confirmByEmail): `link` (`${baseUrl}/c/${token}`)
   * or `code` confirms it before `expiresAt`; `waitlist` when it holds a place in line, not a seat.
   */
  confirm_registration: SessionMailData & { link: string; code: string; expiresAt: string; waitlist: boolean };
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
  };
}[T];
