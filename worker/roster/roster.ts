// The roster: everyone a session concerns, in the groups a provider reads it by
// (Confirmed · Waitlist · Invitations sent · Invitations to send · Expired / declined / cancelled),
// with the flags that need a provider's eye.

import type { Answers } from "../forms/schema";
import type { InvitationView } from "../invitations/schemas";
import { type DeliveryStatus, type InvitationStatus, TO_SEND_INVITATION_STATUSES } from "../invitations/statuses";
import { emailKey } from "../recipients/address";
import type { RegistrationView } from "../registrations/schemas";
import type { RegistrationSource, RegistrationStatus } from "../registrations/statuses";
import type { SmsFallback } from "../sms/channel";
import type { InvitationChannelNote } from "../sms/log";
import { ROSTER_GROUPS, type RosterFlag, type RosterGroup } from "./groups";

/**
 * - `email_mismatch`: registered through an invitation with another address than the invited one
 *   (the link was forwarded, or the person used another mailbox).
 * - `bounced`, `complained`, `delivery_failed`: the invitation email did not arrive well.
 * - `capacity_raised`: this invitation raised the session's capacity.
 * - `reopened`: the invited person declined, then re-opened it from their link.
 * - `erased`: the person's data was erased or purged (worker/privacy/); name and email are empty.
 */
export type { RosterFlag, RosterGroup } from "./groups";

export type RosterRow = {
  group: RosterGroup;
  kind: "registration" | "invitation";
  id: string;
  name: string;
  email: string;
  status: RegistrationStatus | Exclude<InvitationStatus, "accepted">;
  waitlistPosition: number | null;
  /** How the person came: a registration's source, or an invitation (holding a seat or not). */
  source: RegistrationSource | "invitation_holding_seat";
  delivery: DeliveryStatus | null;
  invitedEmail: string | null;
  flags: RosterFlag[];
  createdAt: string;
  cancelledAt: string | null;
  /** When a scheduled invitation goes out; null on every other row. */
  sendAt: string | null;
  /** The person's contact in the org's directory, when the row is linked to one. */
  contactId: string | null;
  /**
   * For an invitation whose person chose SMS: how its latest message went (`sms`, or `email` when
   * it could not be texted, `smsFallback` saying why). Null otherwise, and before anything went.
   */
  channel: "email" | "sms" | null;
  smsFallback: SmsFallback | null;
  /** A registration's answers to the registration form (keyed by field key); null on invitations. */
  answers: Answers | null;
  /** The form version the answers were given against. */
  formVersion: number | null;
  /** The discount code of the registration, or the one the invitation offers. */
  discountCode: string | null;
  /** A registration's money in a priced session (what it owes, where its payment stands); null otherwise. */
  payment: RegistrationView["payment"];
};

const groupOrder: readonly RosterGroup[] = ROSTER_GROUPS;

const deliveryFlags: Record<string, RosterFlag> = { bounced: "bounced", complained: "complained", failed: "delivery_failed" };

/** Awaiting their email confirmation, people wait with those on the waitlist: nothing is confirmed yet. */
function registrationGroup(status: RegistrationStatus): RosterGroup {
  if (status === "confirmed") return "confirmed";
  if (status === "waitlisted" || status === "pending_confirmation") return "waitlist";
  return "closed";
}

function invitationGroup(status: InvitationView["status"]): RosterGroup {
  if (status === "sent") return "invitations_sent";
  if ((TO_SEND_INVITATION_STATUSES as readonly string[]).includes(status)) return "invitations_to_send";
  return "closed";
}

export function rosterRows(
  registrations: RegistrationView[],
  invitations: InvitationView[],
  contactIds: ReadonlyMap<string, string> = new Map(),
  channels: ReadonlyMap<string, InvitationChannelNote> = new Map(),
): RosterRow[] {
  const byId = new Map(invitations.map((i) => [i.id, i]));
  const rows: RosterRow[] = registrations.map((r) => {
    const invitation = r.invitationId ? byId.get(r.invitationId) : undefined;
    // An erased address matches nothing: no mismatch can be told once either side is erased.
    const mismatch = invitation !== undefined && !invitation.erasedAt && !r.erasedAt && emailKey(invitation.email) !== emailKey(r.email);
    const flags: RosterFlag[] = mismatch ? ["email_mismatch"] : [];
    if (r.erasedAt) flags.push("erased");
    // The session's host, holding the host's seat (registrations/host-seat.ts).
    if (r.source === "host") flags.push("host");
    return {
      group: registrationGroup(r.status),
      kind: "registration",
      id: r.id,
      name: r.name,
      email: r.email,
      status: r.status,
      waitlistPosition: r.waitlistPosition,
      source: r.source,
      delivery: null,
      invitedEmail: invitation?.email ?? null,
      flags,
      createdAt: r.createdAt,
      cancelledAt: r.cancelledAt,
      sendAt: null,
      contactId: contactIds.get(r.id) ?? null,
      channel: null,
      smsFallback: null,
      answers: r.answers,
      formVersion: r.formVersion,
      discountCode: r.discountCode,
      payment: r.payment,
    };
  });
  for (const i of invitations) {
    if (i.status === "accepted") continue; // shown as the registration it became
    const flags: RosterFlag[] = [];
    const deliveryFlag = i.delivery ? deliveryFlags[i.delivery] : undefined;
    if (deliveryFlag) flags.push(deliveryFlag);
    if (i.raisedCapacity > 0) flags.push("capacity_raised");
    if (i.reopenedAt !== null) flags.push("reopened");
    if (i.erasedAt) flags.push("erased");
    rows.push({
      group: invitationGroup(i.status),
      kind: "invitation",
      id: i.id,
      name: i.name ?? "",
      email: i.email,
      status: i.status,
      waitlistPosition: null,
      source: i.holdSeat ? "invitation_holding_seat" : "invitation",
      delivery: i.delivery,
      invitedEmail: i.email,
      flags,
      createdAt: i.createdAt,
      cancelledAt: null,
      sendAt: i.status === "scheduled" ? i.sendAt : null,
      contactId: contactIds.get(i.id) ?? null,
      channel: channels.get(i.id)?.channel ?? null,
      smsFallback: channels.get(i.id)?.fallback ?? null,
      answers: null,
      formVersion: null,
      discountCode: i.discountCode,
      payment: null,
    });
  }
  // Stable sort: inside a group, the order the ledger gave (waitlist by position, then by time).
  return rows.sort((a, b) => groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group));
}

/** What a registration paid: what it owed once paid (0 when a discount covered it all), else null. */
export function amountPaid(p: RosterRow["payment"]): number | null {
  if (!p) return null;
  return p.paidAt !== null || p.amountDue === 0 ? p.amountDue : null;
}

/** The money of a roster in one currency: paid in all, refunded in all, and what stays paid (paid less refunded). */
export type RosterPayments = { currency: string; paid: number; refunded: number; net: number };

/**
 * The roster's money, per currency (one, unless the session's price changed currency): every
 * payment taken, including those owed or made back, less what went back.
 */
export function rosterPayments(rows: readonly RosterRow[]): RosterPayments[] {
  const totals = new Map<string, RosterPayments>();
  for (const r of rows) {
    if (!r.payment) continue;
    const t = totals.get(r.payment.currency) ?? { currency: r.payment.currency, paid: 0, refunded: 0, net: 0 };
    t.paid += amountPaid(r.payment) ?? 0;
    t.refunded += r.payment.refundedAmount ?? 0;
    t.net = t.paid - t.refunded;
    totals.set(t.currency, t);
  }
  return [...totals.values()];
}
