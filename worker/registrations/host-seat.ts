// The host's seat as a person: when a session counts its host as a participant and names a host,
// the host holds a registration of their own (source `host`), confirmed and never charged, so the
// session is in their list and they get its emails like anyone with a seat.
//
// One rule for seats (sessions/seats.ts): the host's seat is the `hostCountsAsParticipant` seat.
// A host registration fills that seat and is never counted again among the confirmed ones
// (`occupies` gives it nothing), so naming, handing over or releasing the host never moves the
// counts, and no one moves up from the waitlist when a host's seat passes to the next host.

import type { HostPerson } from "../sessions/hosts";
import type { CancelledBy, RegistrationSource, RegistrationStatus } from "./statuses";

/** A registration of the session as this decision reads it. */
export type HostSeatRow = {
  id: string;
  emailKey: string;
  source: RegistrationSource;
  status: RegistrationStatus;
  cancelledBy: CancelledBy | null;
};

export type HostSeatInput = {
  session: { hostCountsAsParticipant: boolean; status: "scheduled" | "cancelled" };
  /** Who hosts now (null: nobody); "unchanged": whoever holds the host's registration today. */
  host: (HostPerson & { emailKey: string }) | null | "unchanged";
  /**
   * The host was just named or the setting just turned on: a host who had cancelled their own seat
   * takes it again. Otherwise a seat its host gave up stays given up.
   */
  assigned: boolean;
  registrations: readonly HostSeatRow[];
};

export type HostSeatDecision = {
  /** Host registrations to cancel (by the provider; nobody is promoted into the seat). */
  release: string[];
  /** A live registration of the host's address that becomes the host's. */
  adopt: string | null;
  /** A new confirmed host registration. */
  take: HostPerson | null;
};

const NOTHING: HostSeatDecision = { release: [], adopt: null, take: null };

/** What the host's seat needs so that exactly the host named holds it, or nobody when none is. */
export function decideHostSeat(input: HostSeatInput): HostSeatDecision {
  if (input.session.status === "cancelled") return NOTHING;
  const live = input.registrations.filter((r) => r.status !== "cancelled");
  const held = live.filter((r) => r.source === "host");
  const wanted = !input.session.hostCountsAsParticipant ? null : input.host === "unchanged" ? "unchanged" : input.host;
  if (wanted === "unchanged") return NOTHING;
  const release = held.filter((r) => r.emailKey !== wanted?.emailKey).map((r) => r.id);
  if (!wanted || held.some((r) => r.emailKey === wanted.emailKey)) return { release, adopt: null, take: null };
  const own = live.find((r) => r.emailKey === wanted.emailKey);
  if (own) return { release, adopt: own.id, take: null };
  const gaveUp = input.registrations.some(
    (r) => r.source === "host" && r.emailKey === wanted.emailKey && r.status === "cancelled" && r.cancelledBy === "participant",
  );
  if (gaveUp && !input.assigned) return { release, adopt: null, take: null };
  return { release, adopt: null, take: { email: wanted.email, name: wanted.name, locale: wanted.locale } };
}
