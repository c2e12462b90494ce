// The roster: everyone a session concerns, in the groups a provider reads it by.

import type { RegistrationView } from "../registrations/schemas";

export type RosterGroup = "confirmed" | "waitlist" | "invitations_sent" | "invitations_to_send" | "closed";

export type RosterRow = {
  group: RosterGroup;
  kind: "registration" | "invitation";
  id: string;
  name: string;
  email: string;
  status: string;
  waitlistPosition: number | null;
  source: string;
  flags: string[];
  createdAt: string;
  cancelledAt: string | null;
};

export function registrationRow(r: RegistrationView): RosterRow {
  return {
    group: r.status === "confirmed" ? "confirmed" : r.status === "waitlisted" ? "waitlist" : "closed",
    kind: "registration",
    id: r.id,
    name: r.name,
    email: r.email,
    status: r.status,
    waitlistPosition: r.waitlistPosition,
    source: r.source,
    flags: [],
    createdAt: r.createdAt,
    cancelledAt: r.cancelledAt,
  };
}

const groupOrder: RosterGroup[] = ["confirmed", "waitlist", "invitations_sent", "invitations_to_send", "closed"];

export function rosterRows(registrations: RegistrationView[]): RosterRow[] {
  const rows = registrations.map(registrationRow);
  return rows.sort((a, b) => groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group));
}
