// Seat accounting: the one place that says how many seats are taken and who may take one.
//
//   taken     = confirmed + (host counts ? 1 : 0) + seats held by live invitations
//   available = capacity − taken                INVARIANT: 0 ≤ taken ≤ capacity
//
// What each row adds to the counts is decided beside the row's own life: `occupies` for a
// registration (registrations/decide.ts), `holdsSeat` for an invitation (invitations/lifecycle.ts).
// The ledger keeps the counts as counters adjusted by those two rules in every write.

import { type Failure, fail } from "../errors/problem";
import { MAX_CAPACITY } from "./rules";
import type { RegistrationState, SessionStatus } from "./statuses";

export type { RegistrationState } from "./statuses";

export type SeatCounts = { confirmed: number; held: number; waitlisted: number };

export type Seats = {
  capacity: number;
  confirmed: number;
  held: number;
  host: 0 | 1;
  available: number;
  waitlisted: number;
};

export type SeatPolicy = {
  capacity: number;
  hostCountsAsParticipant: boolean;
  waitlist: boolean;
  status: SessionStatus;
  startsAt: string;
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
};

export function taken(policy: Pick<SeatPolicy, "hostCountsAsParticipant">, counts: SeatCounts): number {
  return counts.confirmed + counts.held + (policy.hostCountsAsParticipant ? 1 : 0);
}

export function seatsOf(policy: SeatPolicy, counts: SeatCounts): Seats {
  const host = policy.hostCountsAsParticipant ? 1 : 0;
  return {
    capacity: policy.capacity,
    confirmed: counts.confirmed,
    held: counts.held,
    host,
    available: Math.max(0, policy.capacity - taken(policy, counts)),
    waitlisted: counts.waitlisted,
  };
}

export function registrationClosesAt(policy: SeatPolicy): string {
  return policy.registrationClosesAt ?? policy.startsAt;
}

export function registrationState(policy: SeatPolicy, seats: Pick<Seats, "available">, now: Date): RegistrationState {
  if (policy.status === "cancelled") return "cancelled";
  const t = now.getTime();
  if (policy.registrationOpensAt && t < Date.parse(policy.registrationOpensAt)) return "not_yet_open";
  if (t >= Date.parse(registrationClosesAt(policy))) return "closed";
  return seats.available > 0 ? "open" : "full";
}

export type SeatDecision =
  | { take: "seat" }
  | { take: "waitlist" }
  | { refuse: "session_cancelled" | "registration_not_open" | "registration_closed" | "capacity_full" };

/** A member of the public asking for a seat. */
export function decidePublicSeat(policy: SeatPolicy, seats: Seats, now: Date): SeatDecision {
  const state = registrationState(policy, seats, now);
  if (state === "cancelled") return { refuse: "session_cancelled" };
  if (state === "not_yet_open") return { refuse: "registration_not_open" };
  if (state === "closed") return { refuse: "registration_closed" };
  if (seats.available > 0) return { take: "seat" };
  return policy.waitlist ? { take: "waitlist" } : { refuse: "capacity_full" };
}

/**
 * The provider placing someone directly: no registration window applies, but seats do. When the
 * session is full and the provider said so explicitly, the capacity grows by the shortfall, up to
 * the maximum a session may have (the same as on create and edit).
 */
export function decideProviderSeats(
  policy: SeatPolicy,
  seats: Seats,
  requested: number,
  allowOverCapacity: boolean,
): { ok: true; raiseBy: number } | { ok: false; refuse: "session_cancelled" | "capacity_full" | "capacity_limit" } {
  if (policy.status === "cancelled") return { ok: false, refuse: "session_cancelled" };
  const shortfall = Math.max(0, requested - seats.available);
  if (shortfall === 0) return { ok: true, raiseBy: 0 };
  if (!allowOverCapacity) return { ok: false, refuse: "capacity_full" };
  return policy.capacity + shortfall > MAX_CAPACITY ? { ok: false, refuse: "capacity_limit" } : { ok: true, raiseBy: shortfall };
}

/** How many waitlisted registrations may move up now (none in a cancelled session). */
export function promotable(policy: Pick<SeatPolicy, "status">, seats: Seats): number {
  if (policy.status === "cancelled") return 0;
  return Math.min(seats.available, seats.waitlisted);
}

/** The refusal a person sees, naming what is missing. */
export function seatRefusal(
  code: "session_cancelled" | "registration_not_open" | "registration_closed" | "capacity_full" | "capacity_limit",
  policy: Pick<SeatPolicy, "registrationOpensAt">,
  seats: Seats,
  requested = 1,
): { ok: false; error: Failure } {
  switch (code) {
    case "session_cancelled":
      return fail(code, "This session has been cancelled.");
    case "registration_not_open":
      return fail(code, `Registration opens at ${policy.registrationOpensAt}.`, { opensAt: policy.registrationOpensAt });
    case "registration_closed":
      return fail(code, "Registration for this session is closed.");
    case "capacity_full":
      return fail(code, "There are not enough seats left.", { capacity: seats.capacity, available: seats.available, requested });
    case "capacity_limit":
      return fail(code, `A session has at most ${MAX_CAPACITY} seats: the capacity cannot be raised that far.`, {
        capacity: seats.capacity,
        available: seats.available,
        requested,
        maxCapacity: MAX_CAPACITY,
      });
  }
}

/** A new capacity is refused below the seats already taken (409 capacity_below_taken). */
export function capacityRefusal(
  policy: Pick<SeatPolicy, "hostCountsAsParticipant" | "capacity">,
  counts: SeatCounts,
): { ok: false; error: Failure } | null {
  const seatsTaken = taken(policy, counts);
  if (policy.capacity >= seatsTaken) return null;
  return fail("capacity_below_taken", `${seatsTaken} seats are taken; the capacity cannot go below that.`, {
    capacity: policy.capacity,
    taken: seatsTaken,
  });
}
