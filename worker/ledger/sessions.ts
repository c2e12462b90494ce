// A session's own changes, inside one ledger transaction: load → decide (sessions/decide.ts) →
// apply. Synchronous, like everything a transaction runs.

import { type Outcome, ok } from "../errors/problem";
import type { DerivedToken } from "../ids/ids";
import { closed, closedBySessionCancel } from "../invitations/decide";
import { decideRefund } from "../payments/decide";
import { emailKey } from "../recipients/address";
import { cancelled } from "../registrations/decide";
import { decideSessionEdit, movedFrom } from "../sessions/decide";
import type { CreateSessionInput, SessionView, UpdateSessionInput } from "../sessions/schemas";
import { type HostChange, seatHost } from "./host-seat";
import { iso, promoteWaitlist, refundNote } from "./moves";
import type { Actor, LedgerStore } from "./store";
import type { SessionRecord } from "./views";

export type NewSession = CreateSessionInput & { id: string; orgId: string; baseUrl: string; host?: HostChange };

export function createSession(store: LedgerStore, input: NewSession, manage: DerivedToken | null, now: Date): SessionView {
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
    decisionAt: iso(input.decisionAt),
    belowMinimum: input.belowMinimum,
    location: input.location,
    onlineUrl: input.onlineUrl,
    priceAmount: input.price?.amount ?? null,
    priceCurrency: input.price?.currency ?? null,
    refundUntilDays: input.refundUntilDays,
    form: null,
    formVersion: null,
    status: "scheduled",
    baseUrl: input.baseUrl,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
  if (input.form) store.saveForm(input.form.fields, now);
  if (input.host) seatHost(store, store.sessionRecord()!, input.host, true, manage, now);
  return store.sessionView(now);
}

/**
 * A provider's edit; a larger capacity fills seats from the waitlist at once. When the session's
 * time or place changes, each confirmed participant is told (old → new) with the calendar event's
 * new version, in this same transaction: one email each, however often the edit is retried.
 * The host's seat follows the edit (`host`: who hosts now, when the caller read it; see host-seat.ts).
 */
export function editSession(
  store: LedgerStore,
  s: SessionRecord,
  patch: UpdateSessionInput,
  actor: Actor,
  now: Date,
  host?: HostChange,
  manage: DerivedToken | null = null,
): Outcome<SessionView> {
  const edit = decideSessionEdit(s, patch, store.counts(), now);
  if (!edit.ok) return edit;
  if (edit.value.capacityChanged) store.recordCapacity(s.capacity, edit.value.next.capacity, actor, "edited", now);
  store.patchSession(edit.value.next);
  const before = movedFrom(s, edit.value.next);
  if (before)
    for (const r of store.activeRegistrations())
      if (r.status === "confirmed") store.mail("session_updated", r, { manageToken: "", before }, undefined, r.manageTokenSalt);
  if (patch.form !== undefined) store.saveForm(patch.form?.fields ?? null, now);
  const counted = edit.value.next.hostCountsAsParticipant && !s.hostCountsAsParticipant;
  seatHost(store, store.sessionRecord()!, host, counted, manage, now);
  promoteWaitlist(store, now);
  return ok(store.sessionView(now));
}

/**
 * A host who is no longer the org's member (removed): the host's seat is released exactly as an
 * edit naming nobody releases it (editSession with no host: cancelled by the provider and told).
 * `email` is the address of the member who left (null: whoever holds the host's seat, for a
 * removal whose address is no longer known). Nothing changes when the session has ended (the seat
 * was used: a cancellation email and calendar cancel for a past event would be false), is cancelled,
 * or when the host's seat is held by someone else (a new host named in the meantime), so a message
 * delivered again, or late, does nothing.
 */
export function releaseDepartedHost(
  store: LedgerStore,
  s: SessionRecord,
  email: string | null,
  actor: Actor,
  now: Date,
): Outcome<SessionView> {
  const ended = Date.parse(s.startsAt) + s.durationMinutes * 60_000 <= now.getTime();
  const key = email === null ? null : emailKey(email);
  const held = store.activeRegistrations().some((r) => r.source === "host" && (key === null || r.emailKey === key));
  if (s.status === "cancelled" || ended || !held) return ok(store.sessionView(now));
  return editSession(store, s, {}, actor, now, { person: null, assigned: false });
}

/**
 * Cancels the session and closes what is still open in it. Every way a session ends goes through
 * here (a provider's cancel, the admin's, and the cancellation when too few registered by the
 * decision time): each confirmed participant's email carries the calendar event's METHOD:CANCEL.
 * It closes what is still open in the session: its invitations (closedBySessionCancel
 * decides which, and who is told, naming `orgName`) and its registrations, cancelled by the system
 * and each told; nobody moves up from the waitlist. A retried cancel changes nothing.
 */
export function cancelSession(
  store: LedgerStore,
  s: SessionRecord,
  actor: Actor,
  orgName: string,
  now: Date,
  reason?: "minimum_not_met",
): Outcome<SessionView> {
  if (s.status === "cancelled") return ok(store.sessionView(now));
  store.patchSession({ status: "cancelled", cancelledAt: now.toISOString(), updatedAt: now.toISOString() });
  const { close, tell } = closedBySessionCancel(store.invitations());
  for (const inv of close) store.updateInvitation(inv, closed(inv, "cancelled", now));
  for (const inv of tell) store.mail("invitation_session_cancelled", inv, { orgName }, inv.id);
  for (const r of store.activeRegistrations()) {
    // The provider (or the minimum) cancels: a paid seat is refunded in full (payments/decide.ts).
    const refund = decideRefund(r, "system", s, now);
    const next = cancelled(r, "system", now)!;
    store.updateRegistration(r, refund ? { ...next, refundDueAt: now.toISOString() } : next);
    store.mail("session_cancelled", r, {
      cancelledBy: actor,
      hadSeat: r.status === "confirmed",
      ...(reason ? { reason } : {}),
      ...refundNote(r, refund),
    });
  }
  return ok(store.sessionView(now));
}
