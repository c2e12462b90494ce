// A session's own changes, inside one ledger transaction: load → decide (sessions/decide.ts) →
// apply. Synchronous, like everything a transaction runs.

import { type Outcome, ok } from "../errors/problem";
import { decideSessionEdit } from "../sessions/decide";
import type { CreateSessionInput, SessionView, UpdateSessionInput } from "../sessions/schemas";
import { iso, promoteWaitlist } from "./moves";
import type { Actor, LedgerStore } from "./store";
import type { SessionRecord } from "./views";

export type NewSession = CreateSessionInput & { id: string; orgId: string; baseUrl: string };

export function createSession(store: LedgerStore, input: NewSession, now: Date): SessionView {
  store.insertSession({
    id: input.id,
    orgId: input.orgId,
    title: input.title,
    description: input.description,
    startsAt: new Date(input.startsAt).toISOString(),
    timeZone: input.timeZone,
    durationMinutes: input.durationMinutes,
    minParticipants: input.minParticipants,
    capacity: input.maxParticipants,
    hostCountsAsParticipant: input.hostCountsAsParticipant,
    registrationOpensAt: iso(input.registrationOpensAt),
    registrationClosesAt: iso(input.registrationClosesAt),
    registrationCode: input.registrationCode ?? null,
    waitlist: input.waitlist,
    status: "scheduled",
    baseUrl: input.baseUrl,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
  return store.sessionView(now);
}

/** A provider's edit; a larger capacity fills seats from the waitlist at once. */
export function editSession(
  store: LedgerStore,
  s: SessionRecord,
  patch: UpdateSessionInput,
  actor: Actor,
  now: Date,
): Outcome<SessionView> {
  const edit = decideSessionEdit(s, patch, store.counts(), now);
  if (!edit.ok) return edit;
  if (edit.value.capacityChanged) store.recordCapacity(s.capacity, edit.value.next.capacity, actor, "edited", now);
  store.patchSession(edit.value.next);
  promoteWaitlist(store, now);
  return ok(store.sessionView(now));
}

/** Cancels the session and tells everyone holding a seat or a place; a retried cancel changes nothing. */
export function cancelSession(store: LedgerStore, s: SessionRecord, actor: Actor, now: Date): Outcome<SessionView> {
  if (s.status !== "cancelled") {
    store.patchSession({ status: "cancelled", cancelledAt: now.toISOString(), updatedAt: now.toISOString() });
    for (const r of store.activeRegistrations())
      store.mail("session_cancelled", r, { cancelledBy: actor, hadSeat: r.status === "confirmed" });
  }
  return ok(store.sessionView(now));
}
