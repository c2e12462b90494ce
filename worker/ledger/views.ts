// Ledger rows as the API shows them. Pure functions of a row and the seat counts.

import type { FormView } from "../forms/schema";
import type { Locale } from "../i18n/locales";
import type { InvitationStatus } from "../invitations/lifecycle";
import type { InvitationView } from "../invitations/schemas";
import { paymentStatusOf } from "../payments/decide";
import type { ManageView, RegistrationView } from "../registrations/schemas";
import { decisionTime, type MinimumPolicy, moreNeeded } from "../sessions/minimum";
import { priceOf } from "../sessions/price";
import type { PublicSessionView, SessionView } from "../sessions/schemas";
import type { Seats } from "../sessions/seats";
import { registrationClosesAt, registrationState, type SeatCounts, seatsOf } from "../sessions/seats";
import type * as t from "./schema";

export type SessionRecord = typeof t.session.$inferSelect;
export type RegistrationRecord = typeof t.registrations.$inferSelect;
export type InvitationRecord = typeof t.invitations.$inferSelect;
export type CapacityChange = typeof t.capacityChanges.$inferSelect;

// What the ledger's RPC methods answer, beside the API's own views.

export type { ManageView };

export type RegistrationResult = {
  registration: RegistrationView;
  /** The secret of the registrant's own cancel link; only ever returned to them. */
  manageToken: string;
  /** An accepted invitation in a priced session with something owed: what, and until when the seat is held. */
  payment?: { amount: number; currency: string; holdUntil: string };
};

/** A public registration's answer: the cancel link's secret only in the first answer, never in a replay. */
export type PublicRegistrationAnswer = {
  registration: RegistrationView;
  manageToken?: string;
  /** Awaiting its email confirmation: until when the seat (or place in line) is held. */
  confirmation?: { expiresAt: string };
  /** Awaiting payment: what is owed, and until when the seat is held. */
  payment?: { amount: number; currency: string; holdUntil: string };
};

export type CreatedInvitations = {
  invitations: InvitationView[];
  skipped: { email: string; position: number; reason: "duplicate" | "already_invited" | "already_registered" }[];
  seats: Seats;
  capacityRaisedBy: number;
};

export type BulkResult = { invitations: InvitationView[]; skipped: { id: string; code: string; detail: string }[] };

export type InviteLink = {
  session: PublicSessionView;
  invitation: {
    status: InvitationStatus;
    name: string | null;
    emailMasked: string;
    holdSeat: boolean;
    discountCode: string | null;
    expiresAt: string | null;
    requireEmailMatch: boolean;
    message: string | null;
    /** The language it was sent in. */
    locale: Locale;
    /** Declined, and may be re-opened from this link now. */
    reopenable: boolean;
  };
};

export type Roster = {
  session: SessionView;
  registrations: RegistrationView[];
  invitations: InvitationView[];
  /** Every version of the registration form, oldest first (answers name theirs). */
  formVersions: FormView[];
};

export function endsAt(s: Pick<SessionRecord, "startsAt" | "durationMinutes">): string {
  return new Date(Date.parse(s.startsAt) + s.durationMinutes * 60_000).toISOString();
}

export function sessionView(s: SessionRecord, counts: SeatCounts, changes: CapacityChange[], now: Date): SessionView {
  const seats = seatsOf(s, counts);
  return {
    id: s.id,
    title: s.title,
    description: s.description,
    startsAt: s.startsAt,
    endsAt: endsAt(s),
    timeZone: s.timeZone,
    durationMinutes: s.durationMinutes,
    minParticipants: s.minParticipants,
    maxParticipants: s.capacity,
    hostCountsAsParticipant: s.hostCountsAsParticipant,
    registrationOpensAt: s.registrationOpensAt,
    registrationClosesAt: registrationClosesAt(s),
    registrationCode: s.registrationCode,
    waitlist: s.waitlist,
    confirmByEmail: s.confirmByEmail,
    listed: s.listed,
    tags: s.tags,
    decisionAt: s.decisionAt,
    belowMinimum: s.belowMinimum,
    minimum: minimumView(s, counts),
    location: s.location,
    onlineUrl: s.onlineUrl,
    form: formOf(s),
    price: priceOf(s.priceAmount, s.priceCurrency),
    refundUntilDays: s.refundUntilDays,
    status: s.status,
    seats,
    registrationState: registrationState(s, seats, now),
    capacityChanges: changes.map(({ at, actor, from, to, reason }) => ({ at, actor, from, to, reason })),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    cancelledAt: s.cancelledAt,
  };
}

/** The session's current form, or null when it has none (or its last edit removed every field). */
export function formOf(s: Pick<SessionRecord, "form" | "formVersion">): FormView | null {
  return s.form?.length && s.formVersion !== null ? { version: s.formVersion, fields: s.form } : null;
}

export function publicSessionView(s: SessionRecord, counts: SeatCounts, now: Date): PublicSessionView {
  const seats = seatsOf(s, counts);
  return {
    id: s.id,
    title: s.title,
    description: s.description,
    startsAt: s.startsAt,
    endsAt: endsAt(s),
    timeZone: s.timeZone,
    durationMinutes: s.durationMinutes,
    registrationOpensAt: s.registrationOpensAt,
    registrationClosesAt: registrationClosesAt(s),
    registrationCodeRequired: s.registrationCode !== null,
    waitlist: s.waitlist,
    confirmByEmail: s.confirmByEmail,
    location: s.location,
    online: s.onlineUrl !== null,
    form: formOf(s),
    price: priceOf(s.priceAmount, s.priceCurrency),
    refundUntilDays: s.refundUntilDays,
    status: s.status,
    seats: { capacity: seats.capacity, available: seats.available, waitlisted: seats.waitlisted, confirmed: seats.confirmed },
    registrationState: registrationState(s, seats, now),
    minParticipants: s.minParticipants,
    moreNeeded: moreNeeded(minimumPolicy(s), counts.confirmed),
  };
}

/** The session as the minimum's rules read it. */
export function minimumPolicy(s: SessionRecord): MinimumPolicy {
  return { ...s, decision: s.minimumDecision };
}

export function minimumView(s: SessionRecord, counts: SeatCounts): SessionView["minimum"] {
  const policy = minimumPolicy(s);
  return {
    decisionAt: decisionTime(s),
    decision: s.minimumDecision ?? "pending",
    askedAt: s.minimumAskedAt,
    decidedAt: s.minimumDecidedAt,
    decidedBy: s.minimumDecidedBy,
    moreNeeded: moreNeeded(policy, counts.confirmed),
  };
}

export function registrationView(sessionId: string, r: RegistrationRecord, waitlistPosition: number | null): RegistrationView {
  return {
    id: r.id,
    sessionId,
    name: r.name,
    email: r.email,
    status: r.status,
    waitlistPosition: r.status === "waitlisted" ? waitlistPosition : null,
    source: r.source,
    invitationId: r.invitationId,
    discountCode: r.discountCode,
    answers: r.answers ?? null,
    formVersion: r.formVersion ?? null,
    createdAt: r.createdAt,
    promotedAt: r.promotedAt,
    cancelledAt: r.cancelledAt,
    erasedAt: r.erasedAt,
    payment: paymentView(r),
  };
}

/** A registration's money as the API shows it; null when it owes nothing. */
function paymentView(r: RegistrationRecord): RegistrationView["payment"] {
  const status = paymentStatusOf(r);
  if (status === null || r.amountDue === null) return null;
  return {
    amountDue: r.amountDue,
    price: r.priceAmount,
    currency: r.currency ?? "",
    status,
    paidAt: r.paidAt,
    refundDueAt: r.refundDueAt,
    refundedAt: r.refundedAt,
    refundedAmount: r.refundedAmount,
  };
}

export function invitationView(sessionId: string, r: InvitationRecord, status: InvitationStatus): InvitationView {
  return {
    id: r.id,
    sessionId,
    email: r.email,
    name: r.name,
    holdSeat: r.holdSeat,
    discountCode: r.discountCode,
    status,
    delivery: r.delivery as InvitationView["delivery"],
    sendAt: r.sendAt,
    sentAt: r.sentAt,
    sendCount: r.sendCount,
    expiresAt: r.expiresAt,
    subject: r.subject,
    buttonText: r.buttonText,
    message: r.message,
    locale: r.locale,
    requireEmailMatch: r.requireEmailMatch,
    raisedCapacity: r.raisedCapacity,
    registrationId: r.registrationId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    reopenedAt: r.reopenedAt,
    erasedAt: r.erasedAt,
  };
}
