// Seat moves inside a ledger transaction: cancelling a registration, filling freed seats from the
// waitlist, raising the capacity, and the refusals that name what is missing. Synchronous, like
// every call made while a transaction is open; the seat rules themselves are in sessions/seats.ts.

import { fail } from "../errors/problem";
import { promotable, seatsOf } from "../sessions/seats";
import type { Actor, LedgerStore } from "./store";
import type { RegistrationRecord, SessionRecord } from "./views";

/** Cancels one registration (a no-op when already cancelled) and fills the freed seat. */
export function cancelRegistration(
  store: LedgerStore,
  r: RegistrationRecord,
  by: "participant" | "provider",
  now: Date,
): RegistrationRecord {
  if (r.status === "cancelled") return r;
  const cancelled = { ...r, status: "cancelled" as const, cancelledAt: now.toISOString(), cancelledBy: by };
  store.updateRegistration(r.id, cancelled);
  store.markDirty("registration", r.id);
  store.markDirty("session", store.sessionRecord()!.id);
  promoteWaitlist(store, now);
  return cancelled;
}

/** Moves the first waitlisted registrations into every seat that is free, and tells them. */
export function promoteWaitlist(store: LedgerStore, now: Date): void {
  const s = store.sessionRecord()!;
  if (s.status === "cancelled") return;
  const n = promotable(seatsOf(s, store.counts()));
  if (n === 0) return;
  for (const r of store.waitlistHead(n)) {
    store.updateRegistration(r.id, { status: "confirmed", promotedAt: now.toISOString() });
    store.mail("promoted", r, {});
    store.markDirty("registration", r.id);
  }
  store.markDirty("session", s.id);
}

export function raiseCapacity(store: LedgerStore, s: SessionRecord, by: number, actor: Actor, reason: string, now: Date): void {
  store.updateSession({ capacity: s.capacity + by, updatedAt: now.toISOString() });
  store.recordCapacity(s.capacity, s.capacity + by, actor, reason, now);
}

export function seatRefusal(
  store: LedgerStore,
  code: "session_cancelled" | "registration_not_open" | "registration_closed" | "capacity_full",
  s: SessionRecord,
  requested = 1,
) {
  const seats = seatsOf(s, store.counts());
  switch (code) {
    case "session_cancelled":
      return fail(code, "This session has been cancelled.");
    case "registration_not_open":
      return fail(code, `Registration opens at ${s.registrationOpensAt}.`, { opensAt: s.registrationOpensAt });
    case "registration_closed":
      return fail(code, "Registration for this session is closed.");
    case "capacity_full":
      return fail(code, "There are not enough seats left.", { capacity: seats.capacity, available: seats.available, requested });
  }
}
