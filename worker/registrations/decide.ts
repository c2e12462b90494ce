// Who may register, and what a registration becomes: plain decisions over plain values. The ledger
// loads what they need, calls them inside its transaction, and applies what they return.

import { type Failure, fail, type Outcome, ok } from "../errors/problem";
import { decideProviderSeats, decidePublicSeat, type SeatPolicy, type Seats, seatRefusal } from "../sessions/seats";
import type { CancelledBy, RegistrationSource, RegistrationStatus } from "./statuses";

/** What a registration takes: a seat, a place on the waitlist, or nothing (cancelled). */
export function occupies(status: RegistrationStatus): "seat" | "waitlist" | null {
  return status === "confirmed" ? "seat" : status === "waitlisted" ? "waitlist" : null;
}

type Refusal = { ok: false; error: Failure };

export type PublicRegistrationPolicy = SeatPolicy & { registrationCode: string | null };

/**
 * A member of the public asks to register. The order of the refusals is the contract: a closed
 * or cancelled session first, then a wrong code, then an address already registered, and only then
 * a full session (so a registered person is told so, not that the session is full).
 */
export function decidePublicRegistration(
  session: PublicRegistrationPolicy,
  seats: Seats,
  input: { code?: string | undefined },
  alreadyRegistered: boolean,
  now: Date,
): Outcome<{ status: "confirmed" | "waitlisted"; source: RegistrationSource }> {
  const seat = decidePublicSeat(session, seats, now);
  if ("refuse" in seat && seat.refuse !== "capacity_full") return seatRefusal(seat.refuse, session, seats);
  if (session.registrationCode !== null && !sameRegistrationCode(session.registrationCode, input.code)) {
    return fail("invalid_code", "The registration code is not valid.");
  }
  if (alreadyRegistered) return alreadyRegisteredRefusal();
  if ("refuse" in seat) return seatRefusal(seat.refuse, session, seats);
  return ok({
    status: seat.take === "waitlist" ? "waitlisted" : "confirmed",
    source: session.registrationCode !== null ? "code" : "public",
  });
}

/**
 * Whether a typed registration code is the session's: people copy codes from posters and emails,
 * so case and the spaces around it do not count (Unicode-normalised, so "é" typed either way matches).
 */
export function sameRegistrationCode(expected: string, typed: string | undefined): boolean {
  const normal = (code: string) => code.normalize("NFKC").trim().toLowerCase();
  return typed !== undefined && normal(typed) !== "" && normal(typed) === normal(expected);
}

/** The provider places a participant directly: seats count, the registration window does not. */
export function decideProviderRegistration(
  session: SeatPolicy,
  seats: Seats,
  alreadyRegistered: boolean,
  allowOverCapacity: boolean,
): Outcome<{ raiseBy: number }> {
  if (alreadyRegistered) return alreadyRegisteredRefusal();
  const decision = decideProviderSeats(session, seats, 1, allowOverCapacity);
  if (!decision.ok) return seatRefusal(decision.refuse, session, seats, 1);
  return ok({ raiseBy: decision.raiseBy });
}

/** A registration cancelled now, or null when it already was (a retried cancel changes nothing). */
export function cancelled<R extends { status: RegistrationStatus }>(
  r: R,
  by: CancelledBy,
  now: Date,
): (R & { status: "cancelled" }) | null {
  if (r.status === "cancelled") return null;
  return { ...r, status: "cancelled", cancelledAt: now.toISOString(), cancelledBy: by };
}

/** A registrant who asks for their manage link again gets at most one email in this long. */
export const MANAGE_LINK_COOLDOWN_MS = 10 * 60_000;

/**
 * Whether to email a registration's manage link now: only to a registration that holds a seat or
 * a waitlist place, and at most once per cooldown (the request is public: it must not turn into a
 * way to flood someone's inbox).
 */
export function manageLinkDue(r: { status: RegistrationStatus; manageLinkSentAt: string | null } | undefined, now: Date): boolean {
  if (!r || occupies(r.status) === null) return false;
  return r.manageLinkSentAt === null || Date.parse(r.manageLinkSentAt) + MANAGE_LINK_COOLDOWN_MS <= now.getTime();
}

export function alreadyRegisteredRefusal(): Refusal {
  return fail("already_registered", "This email is already registered.");
}
