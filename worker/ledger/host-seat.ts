// The host's seat as a person, inside the ledger's transaction: load → decide
// (registrations/host-seat.ts) → apply. Synchronous, like everything a transaction runs.

import type { DerivedToken } from "../ids/ids";
import { emailKey } from "../recipients/address";
import { cancelled } from "../registrations/decide";
import { decideHostSeat } from "../registrations/host-seat";
import type { HostPerson } from "../sessions/hosts";
import { addRegistration } from "./moves";
import type { LedgerStore } from "./store";
import type { SessionRecord } from "./views";

/**
 * Who hosts the session, as the caller read it from D1: the person (null: nobody), and whether they
 * were just named. Left out, the host stays whoever holds the host's seat today.
 */
export type HostChange = { person: HostPerson | null; assigned: boolean };

/**
 * Makes the host's registration match the session: the host named holds it while the session
 * counts its host as a participant; a host handed over or a setting turned off releases it
 * (cancelled by the provider and told, nobody promoted: the seat is the host's, not a free one).
 * A repeat finds everything in place and changes nothing.
 */
export function seatHost(
  store: LedgerStore,
  s: SessionRecord,
  change: HostChange | undefined,
  justCounted: boolean,
  manage: DerivedToken | null,
  now: Date,
): void {
  const decision = decideHostSeat({
    session: s,
    host: change === undefined ? "unchanged" : change.person && { ...change.person, emailKey: emailKey(change.person.email) },
    assigned: justCounted || (change?.assigned ?? false),
    registrations: store.registrations(),
  });
  for (const id of decision.release) {
    const r = store.registration(id)!;
    const next = cancelled(r, "provider", now);
    if (!next) continue;
    store.updateRegistration(r, next);
    store.mail("registration_cancelled", r, { cancelledBy: "provider", hadSeat: r.status === "confirmed" });
  }
  if (decision.adopt) {
    const r = store.registration(decision.adopt)!;
    store.updateRegistration(r, { ...r, source: "host", status: "confirmed", waitlistSeq: null, confirmExpiresAt: null });
    if (r.status !== "confirmed")
      store.mail("registration_confirmed", r, { manageToken: "", answers: store.answerLines(r) }, undefined, r.manageTokenSalt);
  }
  if (decision.take) {
    // The caller derives a manage token whenever it names a host; a missing one is a bug.
    if (!manage) throw new Error("a host's registration needs its manage token");
    addRegistration(
      store,
      {
        name: decision.take.name,
        email: decision.take.email,
        status: "confirmed",
        source: "host",
        answers: null,
        locale: decision.take.locale,
        manage,
      },
      now,
    );
  }
}
