// A program's invitations inside one session's ledger: the program's email names the session, so
// its "to send" invitations become sent without an email of their own; and the program page reads
// and answers a person's invitation by their address (the program link vouched for them).

import type { FieldError } from "../errors/fields";
import { type Outcome, ok, refusedFields } from "../errors/problem";
import type { Answering } from "../forms/answers";
import type { Locale } from "../i18n/locales";
import type { DerivedToken } from "../ids/ids";
import { sendingRefusal, sent } from "../invitations/decide";
import { effectiveStatus } from "../invitations/lifecycle";
import { type ProgramSessionSeat, programSeat } from "../invitations/program";

export type { ProgramSessionSeat } from "../invitations/program";

import { emailKey } from "../recipients/address";
import { priceOf } from "../sessions/price";
import { registrationState, seatsOf } from "../sessions/seats";
import { type AcceptPayment, accept, decline } from "./invitations";
import type { LedgerStore } from "./store";
import { endsAt, formOf, type SessionRecord } from "./views";

/** What the program email needs of the session, and whose invitations it names. */
export type ProgramSend = {
  session: {
    title: string;
    startsAt: string;
    durationMinutes: number;
    timeZone: string;
    location: string | null;
    baseUrl: string;
  };
  /** The invitations here that are sent (now, or before), by email key: until when, and whether each holds a seat. */
  sent: { key: string; expiresAt: string | null; holdSeat: boolean }[];
};

/**
 * These addresses' invitations still to send become sent, with no email: the program email names
 * them. An invitation sent already (an earlier try, or the provider) counts as sent; an address
 * with none here, or with one answered or closed, is left out of the email.
 */
export function sendForProgram(store: LedgerStore, s: SessionRecord, emails: string[], now: Date): Outcome<ProgramSend> {
  const refusal = sendingRefusal(s.status);
  if (refusal) return refusal;
  const named: ProgramSend["sent"] = [];
  for (const key of new Set(emails.map(emailKey))) {
    const inv = store.invitationsWithKey(key).at(-1);
    const status = inv ? effectiveStatus(inv, now) : null;
    if (!inv || (status !== "draft" && status !== "sent")) continue;
    const current = status === "draft" ? store.updateInvitation(inv, sent(inv, "send", now)) : inv;
    named.push({ key, expiresAt: current.expiresAt, holdSeat: current.holdSeat });
  }
  const { title, startsAt, durationMinutes, timeZone, location, baseUrl } = s;
  return ok({ session: { title, startsAt, durationMinutes, timeZone, location, baseUrl }, sent: named });
}

/** A person's place in this session: their latest invitation, their registration, the seats. */
export function seatOfPerson(store: LedgerStore, s: SessionRecord, email: string, now: Date): ProgramSessionSeat {
  const inv = store.invitationsWithKey(emailKey(email)).at(-1);
  const registration = store.liveRegistration(email);
  const seats = seatsOf(s, store.counts());
  const state = registrationState(s, seats, now);
  const seat = programSeat({
    invitation: inv ? { status: effectiveStatus(inv, now), holdSeat: inv.holdSeat } : null,
    registration: registration ? (registration.status as "confirmed" | "waitlisted" | "pending_confirmation" | "pending_payment") : null,
    available: seats.available,
    waitlist: s.waitlist,
    closed: state === "cancelled" || state === "closed" || Date.parse(endsAt(s)) <= now.getTime(),
  });
  return {
    sessionId: s.id,
    title: s.title,
    startsAt: s.startsAt,
    durationMinutes: s.durationMinutes,
    timeZone: s.timeZone,
    location: s.location,
    onlineUrl: registration?.status === "confirmed" ? s.onlineUrl : null,
    ...seat,
    waitlistPosition: registration ? store.waitlistPosition(registration) : null,
    price: priceOf(s.priceAmount, s.priceCurrency),
    invitationDiscount: seat.canAccept ? (inv?.discountCode ?? null) : null,
    answerBy: inv && effectiveStatus(inv, now) === "sent" ? inv.expiresAt : null,
    awaitingPayment:
      registration?.status === "pending_payment"
        ? { registrationId: registration.id, owed: { amount: registration.amountDue ?? 0, currency: registration.currency ?? "" } }
        : null,
    form: seat.canAccept ? formOf(s) : null,
  };
}

/**
 * Accepts or declines a person's open invitation here, as its link would: the seat is this
 * ledger's to decide (a full session puts them on the waitlist, or refuses). With no open
 * invitation, nothing changes. Answers the refusal's code, if any, and the answers it refused.
 */
export function answerForPerson(
  store: LedgerStore,
  s: SessionRecord,
  email: string,
  answer: "accept" | "decline",
  manage: DerivedToken,
  now: Date,
  pay: AcceptPayment = { payments: false, discount: null },
  /** Accepting: the answers to the session's questions, and the language of the page accepted on (else the invitation's). */
  input: Answering & { locale?: Locale } = {},
): Outcome<{ refusal: string | null; errors?: FieldError[]; registrationId?: string; payment?: boolean }> {
  const inv = store.pendingInvitation(email, now);
  if (!inv || effectiveStatus(inv, now) !== "sent") return ok({ refusal: null });
  if (answer === "decline") {
    const declined = decline(store, s, inv, null, now);
    return ok({ refusal: declined.ok ? null : declined.error.code });
  }
  const result = accept(store, s, inv, null, input, manage, now, pay);
  // A refused answer to the session's questions is named, so the page can say it beside its field.
  if (!result.ok) {
    const errors = refusedFields(result.error);
    return ok({ refusal: result.error.code, ...(errors.length ? { errors } : {}) });
  }
  // A priced session's seat held awaiting payment: the caller sends the person to checkout.
  return ok({ refusal: null, registrationId: result.value.registration.id, payment: !!result.value.payment });
}
