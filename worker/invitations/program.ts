// A person's place in one session of a program, as the program page shows it: the vocabulary and
// the one function that reads it from their invitation, their registration and the seats.

import type { FormView } from "../forms/schema";
import type { Price } from "../sessions/price";
import type { InvitationStatus } from "./statuses";

export const PROGRAM_SEAT_STATUSES = ["invited", "full", "registered", "waitlisted", "declined", "closed", "held"] as const;
export type ProgramSeatStatus = (typeof PROGRAM_SEAT_STATUSES)[number];

/**
 * Their status in the session: a live registration says registered or waitlisted, or held while
 * they pay for the seat (a priced session); otherwise an
 * invitation waiting for an answer says invited, or full when no seat is free for it (it holds
 * none and the session has none left: accepting then joins the waitlist, or is refused without
 * one); a declined one says declined; anything else (expired, cancelled, or a session cancelled
 * or over) is closed. `canAccept` and `canDecline` say which buttons the page offers.
 */
export function programSeat(args: {
  /** The effective status of their latest invitation in the session, if any. */
  invitation: { status: InvitationStatus; holdSeat: boolean } | null;
  registration: "confirmed" | "waitlisted" | "pending_confirmation" | "pending_payment" | null;
  available: number;
  waitlist: boolean;
  /** The session is cancelled, over, or closed to registrations. */
  closed: boolean;
}): { status: ProgramSeatStatus; canAccept: boolean; canDecline: boolean } {
  const { invitation, registration } = args;
  if (registration === "waitlisted") return { status: "waitlisted", canAccept: false, canDecline: false };
  if (registration === "pending_payment") return { status: "held", canAccept: false, canDecline: false };
  if (registration) return { status: "registered", canAccept: false, canDecline: false };
  if (args.closed || !invitation) return { status: "closed", canAccept: false, canDecline: false };
  if (invitation.status === "declined") return { status: "declined", canAccept: false, canDecline: false };
  if (invitation.status !== "sent") return { status: "closed", canAccept: false, canDecline: false };
  if (!invitation.holdSeat && args.available <= 0) return { status: "full", canAccept: args.waitlist, canDecline: true };
  return { status: "invited", canAccept: true, canDecline: true };
}

/** One session of a program as one person sees it on the program page. */
export type ProgramSessionSeat = {
  sessionId: string;
  title: string;
  startsAt: string;
  durationMinutes: number;
  timeZone: string;
  /** Where it takes place (public). */
  location: string | null;
  /** The meeting link: given only to a person whose seat is confirmed. */
  onlineUrl: string | null;
  status: ProgramSeatStatus;
  canAccept: boolean;
  canDecline: boolean;
  waitlistPosition: number | null;
  /** The session's price (null: free): accepting a priced seat goes through its checkout, one session at a time. */
  price: Price | null;
  /** The discount code of their invitation waiting for an answer (what accepting would take off the price). */
  invitationDiscount: string | null;
  /** Until when their invitation waiting for an answer may be answered (null: none waits, or it never expires). */
  answerBy: string | null;
  /** Their registration while it holds the seat awaiting payment (status held), and what it owes: its checkout may be started again. */
  awaitingPayment: { registrationId: string; owed: Price } | null;
  /** The session's questions while they can accept: accepting answers them, as registering does. */
  form: FormView | null;
};
