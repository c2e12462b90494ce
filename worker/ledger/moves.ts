// The moves the ledger applies inside a transaction once a decision allows them: registrations in
// and out, invitations sent and closed, the waitlist filled, the capacity raised, and the catch-up
// with the clock (due sends and expiries). Synchronous, like every call made while a transaction is
// open. Whether a move may happen is decided elsewhere (sessions/, registrations/, invitations/);
// these only write it, with the emails it implies.

import type { Answers } from "../forms/schema";
import { DEFAULT_LOCALE, type Locale } from "../i18n/locales";
import type { DerivedToken } from "../ids/ids";
import { newChildId } from "../ids/ids";
import { closed, decideReopenAfterUnpaid, reopened, sendingRefusal, sent } from "../invitations/decide";
import { effectiveStatus, invitationLink } from "../invitations/lifecycle";
import type { NewInvitationsInput } from "../invitations/schemas";
import type { InvitationToken } from "../invitations/tokens";
import { decideRefund } from "../payments/decide";
import { emailKey } from "../recipients/address";
import type { Recipient } from "../recipients/parse";
import { cancelled, decidePromotion } from "../registrations/decide";
import type { CancelledBy, RegistrationSource } from "../registrations/statuses";
import { MAX_CAPACITY } from "../sessions/rules";
import { promotable, seatsOf } from "../sessions/seats";
import type { Actor, LedgerStore } from "./store";
import { endsAt, type InvitationRecord, type RegistrationRecord, type SessionRecord } from "./views";

/** What the registrant receives to confirm their address: a link and a code, hashed when stored. */
export type Confirmation = { link: string; tokenHash: string; code: string; codeHash: string; expiresAt: string };

export type NewRegistration = {
  /** The id, when the caller made it first (a public registration claims its discount's use under it). */
  id?: string;
  name: string;
  email: string;
  status: "confirmed" | "waitlisted" | "pending_confirmation" | "pending_payment";
  /** With `pending_payment`: what is owed and until when the seat is held. */
  payment?: { amount: number; currency: string; holdUntil: string };
  /** In a priced session, without `payment`: what the registration owes (0 when a discount covers it all). */
  owed?: { amount: number; currency: string } | undefined;
  /** Awaiting confirmation for a place on the waitlist (rather than holding a seat). */
  queued?: boolean;
  /** With `pending_confirmation`: the link and code the email carries. */
  confirmation?: Confirmation;
  source: RegistrationSource;
  answers: Answers | null;
  /** The form version the answers were checked against. */
  formVersion?: number | null;
  locale: Locale;
  manage: DerivedToken;
  invitationId?: string;
  discountCode?: string | null;
  /** The public client it came from (a keyed hash), for the cap on what one client may hold. */
  clientKey?: string | null;
};

/**
 * Inserts a registration and records its email (confirmation, waitlist, or the request to confirm
 * the address). With `unlessLive`, an address already registered gets nothing (undefined), and
 * nothing is written: the store's insert is the check.
 */
export function addRegistration(store: LedgerStore, r: NewRegistration, now: Date): RegistrationRecord;
export function addRegistration(
  store: LedgerStore,
  r: NewRegistration,
  now: Date,
  options: { unlessLive: true },
): RegistrationRecord | undefined;
export function addRegistration(
  store: LedgerStore,
  r: NewRegistration,
  now: Date,
  options?: { unlessLive: true },
): RegistrationRecord | undefined {
  const s = store.sessionRecord()!;
  const confirm = r.status === "pending_confirmation" ? r.confirmation : undefined;
  if (r.status === "pending_confirmation" && !confirm) throw new Error("a registration awaiting confirmation needs its link and code");
  const data = {
    id: r.id ?? newChildId("reg", s.id),
    name: r.name,
    email: r.email.trim(),
    emailKey: emailKey(r.email),
    status: r.status,
    source: r.source,
    invitationId: r.invitationId ?? null,
    answers: r.answers,
    formVersion: r.formVersion ?? null,
    discountCode: r.discountCode ?? null,
    locale: r.locale,
    manageTokenHash: r.manage.secretHash,
    manageTokenSalt: r.manage.salt,
    createdAt: now.toISOString(),
    promotedAt: null,
    cancelledAt: null,
    cancelledBy: null,
    clientKey: r.clientKey ?? null,
    confirmExpiresAt: confirm?.expiresAt ?? r.payment?.holdUntil ?? null,
    amountDue: r.payment?.amount ?? r.owed?.amount ?? null,
    currency: r.payment?.currency ?? r.owed?.currency ?? null,
    // What was asked before the discount: the price may change after this registration.
    priceAmount: r.payment || r.owed ? s.priceAmount : null,
    paidAt: null,
    refundDueAt: null,
    checkoutId: null,
    paymentId: null,
    refundedAt: null,
    refundedAmount: null,
    confirmTokenHash: confirm?.tokenHash ?? null,
    confirmCodeHash: confirm?.codeHash ?? null,
    confirmAttempts: 0,
    emailConfirmedAt: null,
    manageLinkSentAt: null,
    erasedAt: null,
  };
  const queued = r.status === "waitlisted" || (r.status === "pending_confirmation" && r.queued === true);
  const row = options?.unlessLive ? store.insertRegistration(data, queued, options) : store.insertRegistration(data, queued);
  if (!row) return undefined;
  // Awaiting payment: the confirmation is sent once paid.
  if (r.status === "pending_payment") return row;
  if (confirm) {
    store.mail("confirm_registration", row, {
      link: confirm.link,
      code: confirm.code,
      expiresAt: confirm.expiresAt,
      waitlist: row.waitlistSeq !== null,
    });
  } else {
    mailRegistered(store, row, r.manage.token);
  }
  return row;
}

/**
 * What a registration that is in tells its registrant: its seat, or its place on the waitlist,
 * with the position the element and the cancel page show.
 */
export function mailRegistered(store: LedgerStore, row: RegistrationRecord, manageToken: string): void {
  const answers = store.answerLines(row);
  if (row.status === "confirmed") {
    store.mail("registration_confirmed", row, { manageToken, answers });
    return;
  }
  const position = store.waitlistPosition(row);
  store.mail("waitlisted", row, { manageToken, answers, ...(position ? { waitlistPosition: position } : {}) });
}

/**
 * Cancels one registration (a no-op when already cancelled), tells its registrant, and fills the
 * freed seat. A paid registration is marked owed back (refundDueAt) when the refund policy says so
 * (payments/decide.ts); whoever holds the payment makes the refund. Its email says either way.
 */
export function cancelRegistration(store: LedgerStore, r: RegistrationRecord, by: CancelledBy, now: Date): RegistrationRecord {
  const next = cancelled(r, by, now);
  if (!next) return r;
  const refund = decideRefund(r, by, store.sessionRecord()!, now);
  const written = store.updateRegistration(r, refund ? { ...next, refundDueAt: now.toISOString() } : next);
  store.mail("registration_cancelled", r, { cancelledBy: by, hadSeat: r.status === "confirmed", ...refundNote(r, refund) });
  promoteWaitlist(store, now);
  return written;
}

/** What a cancellation email says about the money: only for a paid registration, whether it is refunded. */
export function refundNote(r: RegistrationRecord, refund: boolean): { refund?: "full" | "none" } {
  return r.paidAt !== null && r.refundDueAt === null ? { refund: refund ? "full" : "none" } : {};
}

/** Moves the first waitlisted registrations into every seat that is free, and tells them. */
export function promoteWaitlist(store: LedgerStore, now: Date): void {
  const s = store.sessionRecord()!;
  for (const r of store.waitlistHead(promotable(s, seatsOf(s, store.counts())))) {
    const promotion = decidePromotion(r, s.startsAt, now);
    if (promotion.status === "pending_payment") {
      // A seat that must be paid for is held while they pay; unpaid, it lapses by the alarm to the next in line.
      const held = store.updateRegistration(r, {
        ...r,
        status: "pending_payment",
        promotedAt: now.toISOString(),
        confirmExpiresAt: promotion.holdUntil,
      });
      // Their pay link is their manage link's /pay (pages/routes.tsx), derived from the salt once the
      // transaction is over: it starts the checkout when followed, however long after.
      store.mail(
        "promoted_to_pay",
        held,
        { manageToken: "", amount: r.amountDue ?? 0, currency: r.currency ?? "", holdUntil: promotion.holdUntil },
        undefined,
        r.manageTokenSalt,
      );
      continue;
    }
    store.updateRegistration(r, { ...r, status: "confirmed", promotedAt: now.toISOString() });
    // The cancel link is derived from the registration's salt once the transaction is over.
    store.mail("promoted", r, { manageToken: "", answers: store.answerLines(r) }, undefined, r.manageTokenSalt);
  }
}

export function raiseCapacity(store: LedgerStore, s: SessionRecord, by: number, actor: Actor, reason: string, now: Date): void {
  // decideProviderSeats refuses first; reaching this is a bug, and throwing rolls the change back.
  if (s.capacity + by > MAX_CAPACITY) throw new Error(`capacity ${s.capacity} + ${by} is above ${MAX_CAPACITY}`);
  store.patchSession({ capacity: s.capacity + by, updatedAt: now.toISOString() });
  store.recordCapacity(s.capacity, s.capacity + by, actor, reason, now);
}

/** A new invitation row, not yet sent (sending goes through sendInvitation). */
export function addInvitation(
  store: LedgerStore,
  recipient: Recipient,
  token: InvitationToken,
  input: NewInvitationsInput,
  status: "draft" | "scheduled",
  raisedCapacity: number,
  actor: Actor,
  now: Date,
): InvitationRecord {
  return store.insertInvitation({
    id: newChildId("inv", store.sessionRecord()!.id),
    email: recipient.email,
    emailKey: emailKey(recipient.email),
    name: recipient.name,
    holdSeat: input.holdSeat,
    discountCode: input.discountCode ?? null,
    status,
    sendAt: iso(input.sendAt),
    sentAt: null,
    sendCount: 0,
    expiresAt: iso(input.expiresAt),
    expiresInDays: input.expiresInDays ?? null,
    subject: input.subject ?? null,
    buttonText: input.buttonText ?? null,
    message: input.message ?? null,
    // Their own language as a contact, else the one asked, else the org's (invitationDefaults).
    locale: input.locales?.[emailKey(recipient.email)] ?? input.locale ?? DEFAULT_LOCALE,
    requireEmailMatch: input.requireEmailMatch,
    raisedCapacity,
    linkTemplate: input.linkTemplate,
    tokenSalt: token.salt,
    tokenHash: token.secretHash,
    delivery: null,
    deliveryAt: null,
    registrationId: null,
    codeHash: null,
    codeExpiresAt: null,
    codeAttempts: 0,
    codeFailures: 0,
    codesSentAt: [],
    createdBy: actor,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    closedAt: null,
    reopenedAt: null,
    erasedAt: null,
  });
}

/** The one send path: first send and resend alike, with the email carrying the link. */
export function sendInvitation(
  store: LedgerStore,
  row: InvitationRecord,
  token: string,
  action: "send" | "resend",
  now: Date,
): InvitationRecord {
  const next = store.updateInvitation(row, sent(row, action, now));
  store.mail(
    "invitation",
    next,
    {
      link: invitationLink(row.linkTemplate, store.sessionRecord()!.baseUrl, token),
      subject: row.subject,
      buttonText: row.buttonText,
      message: row.message,
      discountCode: row.discountCode,
      holdSeat: row.holdSeat,
      expiresAt: next.expiresAt,
      requireEmailMatch: row.requireEmailMatch,
    },
    row.id,
  );
  return next;
}

/** Answers or ends an invitation; someone who had it in hand hears of a cancellation. */
export function closeInvitation(
  store: LedgerStore,
  row: InvitationRecord,
  status: "accepted" | "cancelled" | "declined" | "expired",
  now: Date,
  registrationId?: string,
): InvitationRecord {
  const next = store.updateInvitation(row, closed(row, status, now, registrationId));
  if (status === "cancelled" && row.status === "sent") store.mail("invitation_cancelled", row, {}, row.id);
  return next;
}

/**
 * A hold given back: one awaiting its email confirmation that lapsed, or a seat held for a
 * payment that never came (lapsed, or given up at checkout). When accepting an invitation made the
 * latter, the invitation opens again and keeps the seat while it may (decideReopenAfterUnpaid);
 * otherwise the caller moves the waitlist up into the seat.
 */
export function releaseHold(store: LedgerStore, r: RegistrationRecord, now: Date): RegistrationRecord {
  const next = cancelled(r, "system", now);
  if (!next) return r;
  const row = store.updateRegistration(r, next);
  const inv = r.invitationId ? store.invitation(r.invitationId) : undefined;
  const s = store.sessionRecord()!;
  const reopen =
    inv &&
    decideReopenAfterUnpaid({
      invitation: inv,
      registration: r,
      session: { ...s, endsAt: endsAt(s) },
      seats: seatsOf(s, store.counts()),
      now,
    });
  if (inv && reopen) store.updateInvitation(inv, reopened(inv, reopen.holdSeat, now));
  return row;
}

/**
 * Brings the ledger up to the clock before anything is decided: expired invitations and lapsed
 * unconfirmed registrations give their seats back (and the waitlist moves up), and with `links`,
 * scheduled invitations whose time has come are sent. Costs no statement when nothing is due.
 */
export function catchUp(store: LedgerStore, now: Date, due: InvitationRecord[] = [], links = new Map<string, string>()): void {
  const s = store.sessionRecord();
  if (!s) return;
  for (const d of sendingRefusal(s.status) ? [] : due) {
    const row = store.invitation(d.id);
    const link = links.get(d.id);
    if (row && link && row.status === "scheduled" && effectiveStatus(row, now) === "scheduled")
      sendInvitation(store, row, link, "send", now);
  }
  const expiring = store.dueToExpire(now);
  for (const row of expiring) closeInvitation(store, row, "expired", now);
  // Holds nobody confirmed in time give their seats back; no email: the address may not be theirs.
  const lapsed = store.lapsedHolds(now);
  for (const row of lapsed) releaseHold(store, row, now);
  if (expiring.length || lapsed.length) promoteWaitlist(store, now);
}

/** An instant from the API, in the one form the ledger stores (UTC, milliseconds). */
export function iso(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}
