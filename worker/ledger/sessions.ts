// A session's own changes, inside one ledger transaction: load → decide (sessions/decide.ts) →
// apply. Synchronous, like everything a transaction runs.

import { type Outcome, ok } from "../errors/problem";
import { closed, closedBySessionCancel } from "../invitations/decide";
import { cancelled } from "../registrations/decide";
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
    confirmByEmail: input.confirmByEmail,
    listed: input.listed,
    tags: input.tags,
    form: null,
    formVersion: null,
    status: "scheduled",
    baseUrl: input.baseUrl,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
  if (input.form) store.saveForm(input.form.fields, now);
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
  if (patch.form !== undefined) store.saveForm(patch.form?.fields ?? null, now);
  promoteWaitlist(store, now);
  return ok(store.sessionView(now));
}

/**
 * Cancels the session and closes what is still open in it: its invitations (closedBySessionCancel
 * decides which, and who is told, naming `orgName`) and its registrations, cancelled by the system
 * and each told; nobody moves up from the waitlist. A retried cancel changes nothing.
 */
export function cancelSession(store: LedgerStore, s: SessionRecord, actor: Actor, orgName: string, now: Date): Outcome<SessionView> {
  if (s.status === "cancelled") return ok(store.sessionView(now));
  store.patchSession({ status: "cancelled", cancelledAt: now.toISOString(), updatedAt: now.toISOString() });
  const { close, tell } = closedBySessionCancel(store.invitations());
  for (const inv of close) store.updateInvitation(inv, closed(inv, "cancelled", now));
  for (const inv of tell) store.mail("invitation_session_cancelled", inv, { orgName }, inv.id);
  for (const r of store.activeRegistrations()) {
    store.updateRegistration(r, cancelled(r, "system", now)!);
    store.mail("session_cancelled", r, { cancelledBy: actor, hadSeat: r.status === "confirmed" });
  }
  return ok(store.sessionView(now));
}
