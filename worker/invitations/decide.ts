// What may happen to invitations, as plain decisions over plain values: who is invited and who is
// skipped, whether seats allow it, which moves a bulk action makes, whether a link may be used and
// what accepting it does. The ledger loads, calls these in its transaction, and applies the result.

import { type Failure, fail, type Outcome, ok } from "../errors/problem";
import { emailKey } from "../recipients/address";
import type { Recipient } from "../recipients/parse";
import { alreadyRegisteredRefusal, paymentHoldEnd } from "../registrations/decide";
import type { RegistrationStatus } from "../registrations/statuses";
import { decideProviderSeats, type SeatPolicy, type Seats, seatRefusal } from "../sessions/seats";
import type { SessionStatus } from "../sessions/statuses";
import { effectiveStatus, expiryOnSend, transition } from "./lifecycle";
import { type BulkInvitationAction, type InvitationStatus, isPending, TO_SEND_INVITATION_STATUSES } from "./statuses";

type Refusal = { ok: false; error: Failure };

export type SkipReason = "duplicate" | "already_invited" | "already_registered";
export type Skip = { email: string; position: number; reason: SkipReason };

/**
 * A batch of new invitations: duplicates and people already invited or registered are skipped
 * (reported, not errors); the rest need seats when they hold them, unless the provider explicitly
 * raises the capacity by the shortfall.
 */
export function decideNewInvitations(args: {
  session: SeatPolicy;
  seats: Seats;
  recipients: Recipient[];
  duplicates: { email: string; position: number }[];
  /** Email keys that already count as invited, and that hold a live registration. */
  invited: Set<string>;
  registered: Set<string>;
  holdSeat: boolean;
  allowOverCapacity: boolean;
}): Outcome<{ kept: Recipient[]; skipped: Skip[]; raiseBy: number }> {
  if (args.session.status === "cancelled") return fail("session_cancelled", "This session has been cancelled.");
  const skipped: Skip[] = args.duplicates.map((d) => ({ email: d.email, position: d.position, reason: "duplicate" }));
  const kept: Recipient[] = [];
  for (const recipient of args.recipients) {
    const key = emailKey(recipient.email);
    if (args.invited.has(key)) skipped.push({ email: recipient.email, position: recipient.position, reason: "already_invited" });
    else if (args.registered.has(key)) skipped.push({ email: recipient.email, position: recipient.position, reason: "already_registered" });
    else kept.push(recipient);
  }
  skipped.sort((a, b) => a.position - b.position);
  if (!args.holdSeat || kept.length === 0) return ok({ kept, skipped, raiseBy: 0 });
  const seats = decideProviderSeats(args.session, args.seats, kept.length, args.allowOverCapacity);
  if (!seats.ok) return seatRefusal(seats.refuse, args.session, args.seats, kept.length);
  return ok({ kept, skipped, raiseBy: seats.raiseBy });
}

type Movable = { id: string; status: InvitationStatus; expiresAt: string | null };

/**
 * The roster's buttons on many invitations at once: each one the action may move, in the order
 * given; each refusal reported with its reason while the others go ahead.
 */
export function decideBulkAction<R extends Movable>(
  action: BulkInvitationAction,
  rows: R[],
  askedFor: string[] | undefined,
  now: Date,
): { move: R[]; skipped: { id: string; code: "not_found" | "invalid_transition"; detail: string }[] } {
  const found = new Set(rows.map((r) => r.id));
  const skipped: { id: string; code: "not_found" | "invalid_transition"; detail: string }[] = [];
  for (const id of askedFor ?? [])
    if (!found.has(id)) skipped.push({ id, code: "not_found", detail: "No such invitation in this session." });
  const move: R[] = [];
  for (const row of rows) {
    const from = effectiveStatus(row, now);
    if (transition(from, action)) move.push(row);
    else skipped.push({ id: row.id, code: "invalid_transition", detail: `An invitation that is ${from} cannot be ${pastTense[action]}.` });
  }
  return { move, skipped };
}

const pastTense: Record<BulkInvitationAction, string> = { send: "sent", resend: "resent", cancel: "cancelled" };

/** Why nothing may be sent (nor sent again) in this session, or null when it may. */
export function sendingRefusal(sessionStatus: SessionStatus): Refusal | null {
  return sessionStatus === "cancelled" ? fail("session_cancelled", "This session has been cancelled: its invitations are not sent.") : null;
}

/**
 * What cancelling the session does to its invitations: every one still open closes (its held
 * seat with it), and whoever already received one is told. Answered ones stay as they are.
 */
export function closedBySessionCancel<R extends { status: InvitationStatus }>(rows: R[]): { close: R[]; tell: R[] } {
  const close = rows.filter((r) => isPending(r.status));
  return { close, tell: close.filter((r) => r.status === "sent") };
}

/**
 * Why an invitation link cannot be used now, or null when it can. A cancelled session says so
 * first: cancelling it closed the invitation too, and the session is the news.
 */
export function linkRefusal(inv: Movable, sessionStatus: SessionStatus, now: Date): Refusal | null {
  const status = effectiveStatus(inv, now);
  if (status === "draft" || status === "scheduled") return fail("not_found", "This invitation link is not valid.");
  if (sessionStatus === "cancelled") return fail("session_cancelled", "This session has been cancelled.");
  if (status === "expired") return fail("invitation_expired", "This invitation has expired. Ask the organiser for a new one.");
  if (status === "cancelled") return fail("invitation_cancelled", "This invitation was cancelled.");
  if (status === "accepted" || status === "declined") return fail("invitation_used", `This invitation was already ${status}.`);
  return null;
}

export const CODE_TTL_MS = 10 * 60_000;
/** Wrong tries one code takes. */
export const CODE_TRIES = 5;
/**
 * Wrong tries an invitation takes across all its codes; then no code opens it, and no new one is
 * sent, until the provider sends the invitation again. A guesser gets 10 tries in a million.
 */
export const WRONG_CODES_MAX = 10;
/** Codes emailed for one invitation: at most one a minute, and five a day. */
export const CODE_INTERVAL_MS = 60_000;
export const CODES_PER_DAY = 5;
const DAY_MS = 24 * 60 * 60_000;

type CodeState = { codeHash: string | null; codeExpiresAt: string | null; codeAttempts: number; codeFailures: number };

const lockedRefusal = (): Refusal =>
  fail("verification_locked", "Too many wrong codes were entered for this invitation. Ask the organiser to send it again.");

/**
 * Whether a new code may be emailed for this invitation now. When it may, the send times to keep
 * (the last day's, this one included); when not, how many seconds until it may (`retryAfter`).
 */
export function decideCodeRequest(
  inv: { codeFailures: number; codesSentAt: readonly string[] },
  now: Date,
): Outcome<{ codesSentAt: string[] }> {
  if (inv.codeFailures >= WRONG_CODES_MAX) return lockedRefusal();
  const t = now.getTime();
  const today = inv.codesSentAt.map((at) => Date.parse(at)).filter((at) => at > t - DAY_MS && at <= t);
  const wait = (until: number) => Math.max(1, Math.ceil((until - t) / 1000));
  const last = Math.max(...today);
  if (today.length && t - last < CODE_INTERVAL_MS) {
    const retryAfter = wait(last + CODE_INTERVAL_MS);
    return fail("rate_limited", `A code was emailed less than a minute ago. Try again in ${retryAfter} seconds.`, { retryAfter });
  }
  if (today.length >= CODES_PER_DAY) {
    const retryAfter = wait(Math.min(...today) + DAY_MS);
    return fail("rate_limited", `${CODES_PER_DAY} codes were emailed for this invitation today. Try again in ${retryAfter} seconds.`, {
      retryAfter,
    });
  }
  return ok({ codesSentAt: [...today.sort((a, b) => a - b).map((at) => new Date(at).toISOString()), now.toISOString()] });
}

/**
 * A one-time code presented for an invitation that requires one. A wrong code uses up one try of
 * the code and one of the invitation, which the ledger must write even though the request is
 * refused (`spendTry`).
 */
export function checkCode(inv: CodeState, presentedHash: string | null, now: Date): { refusal: Refusal; spendTry: boolean } | null {
  if (inv.codeFailures >= WRONG_CODES_MAX) return { refusal: lockedRefusal(), spendTry: false };
  if (!presentedHash)
    return { refusal: fail("email_verification_required", "Enter the code we emailed to the invited address."), spendTry: false };
  const usable = inv.codeHash && inv.codeExpiresAt && Date.parse(inv.codeExpiresAt) > now.getTime() && inv.codeAttempts < CODE_TRIES;
  if (!usable) {
    return {
      refusal: fail("verification_code_expired", "This code has expired or was tried too often. Ask for a new one."),
      spendTry: false,
    };
  }
  if (presentedHash !== inv.codeHash) {
    const attemptsLeft = Math.min(CODE_TRIES - (inv.codeAttempts + 1), WRONG_CODES_MAX - (inv.codeFailures + 1));
    return { refusal: fail("invalid_verification_code", "That code is not the one we sent.", { attemptsLeft }), spendTry: true };
  }
  return null;
}

export type Acceptance =
  /** They joined the waitlist before following their link: the held seat becomes theirs. */
  { kind: "upgrade" } | { kind: "register"; email: string; status: "confirmed" | "waitlisted" };

/**
 * Accepting through the link (after linkRefusal and the code passed). A held seat turns into the
 * confirmed one; a plain invitation asks for a seat like anyone, or the waitlist.
 */
export function decideAcceptance(args: {
  invitation: { email: string; holdSeat: boolean; requireEmailMatch: boolean };
  session: SeatPolicy & { endsAt: string };
  seats: Seats;
  /** The address the person asks to register with, if any. */
  email: string | undefined;
  /** The live registration of the address that will register, if any. */
  existing: { email: string; status: RegistrationStatus } | undefined;
  now: Date;
}): Outcome<Acceptance> {
  const { invitation: inv, session, seats, existing } = args;
  if (Date.parse(session.endsAt) <= args.now.getTime()) return fail("registration_closed", "This session is over.");
  if (existing?.status === "waitlisted" && inv.holdSeat && emailKey(existing.email) === emailKey(inv.email)) return ok({ kind: "upgrade" });
  if (existing) return alreadyRegisteredRefusal();
  const email = acceptingEmail(inv, args.email);
  if (inv.holdSeat || seats.available > 0) return ok({ kind: "register", email, status: "confirmed" });
  if (!session.waitlist) return seatRefusal("capacity_full", session, seats);
  return ok({ kind: "register", email, status: "waitlisted" });
}

/** What a registration owes in a priced session, and the code that brought it there (null: no code). */
type Owing = { amount: number; currency: string; discountCode: string | null };

/**
 * Someone on the waitlist takes their invitation's held seat (decideAcceptance said "upgrade"): in
 * a free session, or with nothing left to pay (already paid, or a discount of it all), the seat is
 * confirmed at once; owing money, it is held while they pay, as a public registration's is (the
 * checkout's 31 minutes), and unpaid it lapses like any such hold: the registration is cancelled
 * and the seat goes to the next in line (they gave up their place on the waitlist by taking it).
 * What they owe is the lower of what their registration already owed (their own code, typed when
 * they joined the waitlist) and the price less the invitation's discount; the code that gave it is
 * the one kept. Where no checkout can take the payment, nothing changes (payments_unavailable).
 */
export function decideUpgrade(args: {
  registration: { amountDue: number | null; paidAt: string | null; discountCode: string | null };
  /** What the invitation's discount leaves owing (owedBy), null in a free session. */
  invited: { amount: number; currency: string } | null;
  invitationCode: string | null;
  payments: boolean;
  now: Date;
}): Outcome<{ status: "confirmed"; owing: Owing | null } | { status: "pending_payment"; owing: Owing; holdUntil: string }> {
  const { registration: r, invited } = args;
  if (invited === null) return ok({ status: "confirmed", owing: null });
  // The lower amount; at a tie, the invitation's code when it has one.
  const theirs = r.amountDue !== null && (r.amountDue < invited.amount || (r.amountDue === invited.amount && args.invitationCode === null));
  const owing: Owing = theirs
    ? { amount: r.amountDue!, currency: invited.currency, discountCode: r.discountCode }
    : { ...invited, discountCode: args.invitationCode ?? r.discountCode };
  if (owing.amount === 0 || r.paidAt !== null) return ok({ status: "confirmed", owing });
  // Fail closed, as a public registration does: no seat held where nothing can take the payment.
  if (!args.payments) return fail("payments_unavailable", "This session is priced, and payments are not set up here.");
  return ok({ status: "pending_payment", owing, holdUntil: paymentHoldEnd(args.now) });
}

/**
 * Whether a declined invitation may be re-opened from its link, and whether it holds a seat again.
 * It may while the provider has not closed it (cancelled, or its expiry passed), the session is
 * neither cancelled nor over, the address has no registration and no newer invitation, and there
 * is something to answer: a seat to hold again, or else the waitlist (it is then re-opened
 * without a seat, and accepting it joins the waitlist). A plain invitation needs a seat or the
 * waitlist just the same.
 */
export function decideReopen(args: {
  invitation: { status: InvitationStatus; expiresAt: string | null; holdSeat: boolean };
  session: SeatPolicy & { endsAt: string };
  seats: Seats;
  /** The invited address holds a live registration. */
  registered: boolean;
  /** Another invitation to the same address is pending or accepted. */
  invitedAgain: boolean;
  now: Date;
}): Outcome<{ holdSeat: boolean }> {
  const { invitation: inv, session, seats, now } = args;
  if (inv.status === "cancelled") return fail("invitation_cancelled", "This invitation was cancelled.");
  if (inv.status !== "declined")
    return fail("invalid_transition", `An invitation that is ${effectiveStatus(inv, now)} cannot be re-opened.`);
  if (inv.expiresAt !== null && Date.parse(inv.expiresAt) <= now.getTime())
    return fail("invitation_expired", "This invitation has expired. Ask the organiser for a new one.");
  if (session.status === "cancelled") return fail("session_cancelled", "This session has been cancelled.");
  if (Date.parse(session.endsAt) <= now.getTime()) return fail("registration_closed", "This session is over.");
  if (args.registered) return alreadyRegisteredRefusal();
  if (args.invitedAgain) return fail("invalid_transition", "A newer invitation was sent to this address: answer that one.");
  if (seats.available > 0) return ok({ holdSeat: inv.holdSeat });
  if (session.waitlist) return ok({ holdSeat: false });
  return seatRefusal("capacity_full", session, seats);
}

/**
 * A seat held while the person pays, made by accepting this invitation, went back unpaid (the hold
 * lapsed, or they gave up at checkout): the invitation is open again, as sent, so its link lets
 * them accept and pay again, holding the seat they just left while it may (null: it stays closed,
 * for it expired, the session is cancelled or over, or the acceptance was not this one). Otherwise
 * a person who abandoned a checkout once could never come back through their invitation.
 */
export function decideReopenAfterUnpaid(args: {
  invitation: { status: InvitationStatus; expiresAt: string | null; holdSeat: boolean; registrationId: string | null };
  registration: { id: string; status: RegistrationStatus };
  session: { status: "scheduled" | "cancelled"; endsAt: string };
  /** The seats once the unpaid hold is given back. */
  seats: Seats;
  now: Date;
}): { holdSeat: boolean } | null {
  const { invitation: inv, now } = args;
  if (args.registration.status !== "pending_payment") return null;
  if (inv.status !== "accepted" || inv.registrationId !== args.registration.id) return null;
  if (inv.expiresAt !== null && Date.parse(inv.expiresAt) <= now.getTime()) return null;
  if (args.session.status === "cancelled" || Date.parse(args.session.endsAt) <= now.getTime()) return null;
  return { holdSeat: inv.holdSeat && args.seats.available > 0 };
}

/** The invitation re-opened: pending again, as sent, holding a seat or not. */
export function reopened<R extends { status: InvitationStatus; holdSeat: boolean; registrationId: string | null }>(
  row: R,
  holdSeat: boolean,
  now: Date,
): R {
  return {
    ...row,
    status: "sent",
    holdSeat,
    registrationId: null,
    closedAt: null,
    reopenedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/** A code proves control of the invited address; registering another one would undo that. */
export function acceptingEmail(inv: { email: string; requireEmailMatch: boolean }, asked: string | undefined): string {
  return inv.requireEmailMatch ? inv.email : (asked ?? inv.email);
}

type Sendable = {
  status: InvitationStatus;
  sendCount: number;
  expiresAt: string | null;
  expiresInDays: number | null;
  codeFailures: number;
  codesSentAt: string[];
};

/**
 * The invitation once sent (first send and resend alike; a resend keeps the promised expiry). The
 * provider sending it again is what reopens the codes after too many wrong ones.
 */
export function sent<R extends Sendable>(row: R, action: "send" | "resend", now: Date): R {
  return {
    ...row,
    status: "sent",
    sentAt: now.toISOString(),
    sendCount: row.sendCount + 1,
    expiresAt: action === "send" ? expiryOnSend(row.expiresAt, row.expiresInDays, now) : row.expiresAt,
    delivery: "queued",
    deliveryAt: now.toISOString(),
    codeFailures: 0,
    codesSentAt: [],
    updatedAt: now.toISOString(),
  };
}

/** The organiser's own words in an invitation's email: null gives the email's own back. */
export type InvitationWords = { subject: string | null; buttonText: string | null; message: string | null };

/**
 * An invitation with new words for its email (seed 002: "edit the invitation email before
 * sending it"): only while it is still to send, as its email is not out yet. Fields left out keep
 * their words.
 */
export function withWords<R extends Movable & InvitationWords & { updatedAt: string }>(
  row: R,
  words: Partial<InvitationWords>,
  now: Date,
): Outcome<R> {
  const status = effectiveStatus(row, now);
  if (!(TO_SEND_INVITATION_STATUSES as readonly InvitationStatus[]).includes(status))
    return fail("invalid_transition", `This invitation is ${status}: only an invitation still to send can have its words changed.`);
  return ok({ ...row, ...words, updatedAt: now.toISOString() });
}

/** The invitation once answered or ended. */
export function closed<R extends { status: InvitationStatus; registrationId: string | null }>(
  row: R,
  status: "accepted" | "cancelled" | "declined" | "expired",
  now: Date,
  registrationId: string | null = row.registrationId,
): R {
  return { ...row, status, registrationId, closedAt: now.toISOString(), updatedAt: now.toISOString() };
}
