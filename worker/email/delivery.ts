// An invitation's delivery status, and the one rule for combining reports that arrive late or out
// of order. Pure: the ledger, the mail log and the webhook all apply `nextDeliveryStatus`.

import { DELIVERY_STATUSES, type DeliveryStatus } from "../invitations/statuses";

export { DELIVERY_STATUSES, type DeliveryStatus } from "../invitations/statuses";

/**
 * How much each status tells the provider, higher wins:
 *
 *   queued < sent < delayed < delivered < failed < bounced < complained
 *
 * - Progress only moves forward: a `sent` webhook that arrives after `delivered` changes nothing,
 *   and a `delayed` report is superseded by the delivery it was delaying.
 * - Problems that end the story (failed, bounced, complained) outrank `delivered`, so a late
 *   `delivered` never hides a bounce; the roster flags the address either way.
 * - Among problems, the provider's evidence beats our own: `failed` is what we conclude when we
 *   could not hand the message over, a bounce is the receiving server refusing it, and a complaint
 *   is a person marking it as spam (the strongest reason never to mail that address again).
 */
const rank: Record<DeliveryStatus, number> = {
  queued: 0,
  sent: 1,
  delayed: 2,
  delivered: 3,
  failed: 4,
  bounced: 5,
  complained: 6,
};

/** The status to keep when `incoming` is reported while `current` is recorded. */
export function nextDeliveryStatus(current: DeliveryStatus | null, incoming: DeliveryStatus): DeliveryStatus {
  if (current === null) return incoming;
  return rank[incoming] > rank[current] ? incoming : current;
}

/** One delivery report for an invitation, as its ledger records it. */
export type DeliveryUpdate = { invitationId: string; status: DeliveryStatus; at: string };

/**
 * What a set of reports changes, given the statuses recorded now (`current` holds every known
 * invitation, null when nothing was reported yet; reports about others are left out): for each
 * invitation whose status moves, its new status and the time of the report that moved it last.
 * Reports about the same invitation combine as if they had arrived one by one, in the order given.
 */
export function deliveryChanges(
  current: ReadonlyMap<string, DeliveryStatus | null>,
  updates: readonly DeliveryUpdate[],
): Map<string, { status: DeliveryStatus; at: string }> {
  const changes = new Map<string, { status: DeliveryStatus; at: string }>();
  for (const u of updates) {
    if (!current.has(u.invitationId)) continue;
    const before = changes.get(u.invitationId)?.status ?? current.get(u.invitationId) ?? null;
    const status = nextDeliveryStatus(before, u.status);
    // The rank only grows, so a status that moved never comes back to where it started.
    if (status !== before) changes.set(u.invitationId, { status, at: u.at });
  }
  return changes;
}

/** Whether the status says the address has a problem worth showing on the roster. */
export function isDeliveryProblem(status: DeliveryStatus | null): boolean {
  return status === "failed" || status === "bounced" || status === "complained";
}

export function isDeliveryStatus(value: unknown): value is DeliveryStatus {
  return typeof value === "string" && (DELIVERY_STATUSES as readonly string[]).includes(value);
}

/**
 * An invitation's status when a member re-drives its dead email: `failed` was our own conclusion
 * and is taken back (the email is queued again); a bounce or a complaint is the provider's
 * evidence and stays.
 */
export function redrivenStatus(current: DeliveryStatus | null): DeliveryStatus | null {
  return current === "failed" ? "queued" : current;
}
