// The life of an invitation, as plain rules: which moves are allowed from which status, when an
// invitation holds a seat, and what a reader sees at a given moment.
//
//   draft ("to send") ─send→ sent ("pending") ─accept→ accepted
//   draft ─schedule→ scheduled ─(sendAt)→ sent ─decline→ declined
//   draft | scheduled | sent ─cancel→ cancelled        sent ─(expiresAt)→ expired
//   sent ─resend→ sent (same link, sendCount + 1)
//   declined ─reopen→ sent (the invited person changed their mind, from the same link)
//   declined ─cancel→ cancelled (the provider closes it: it can no longer be re-opened)

import { type InvitationAction, type InvitationEvent, type InvitationStatus, isPending } from "./statuses";

export type { InvitationAction, InvitationStatus } from "./statuses";

export const DEFAULT_EXPIRY_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

const moves: Record<InvitationAction, Partial<Record<InvitationStatus, InvitationStatus>>> = {
  send: { draft: "sent", scheduled: "sent" },
  resend: { sent: "sent" },
  cancel: { draft: "cancelled", scheduled: "cancelled", sent: "cancelled", declined: "cancelled" },
  accept: { sent: "accepted" },
  decline: { sent: "declined" },
  expire: { draft: "expired", scheduled: "expired", sent: "expired" },
  reopen: { declined: "sent" },
};

/** The status after `action`, or null when the move is not allowed. */
export function transition(from: InvitationStatus, action: InvitationAction): InvitationStatus | null {
  return moves[action][from] ?? null;
}

type Timed = { status: InvitationStatus; expiresAt: string | null };

/** What a write of an invitation adds to its history, or null when its status did not move. */
export function eventOf(
  before: { status: InvitationStatus; sendCount: number } | undefined,
  after: { status: InvitationStatus; sendCount: number },
): InvitationEvent | null {
  if (!before) return "created";
  if (before.status === after.status) return after.status === "sent" && after.sendCount > before.sendCount ? "resent" : null;
  switch (after.status) {
    case "sent":
      return before.status === "declined" ? "reopened" : "sent";
    case "accepted":
    case "declined":
    case "expired":
    case "cancelled":
      return after.status;
    default:
      return null; // draft and scheduled are only ever where an invitation starts
  }
}

export function isExpired(inv: Timed, now: Date): boolean {
  return inv.expiresAt !== null && Date.parse(inv.expiresAt) <= now.getTime();
}

/** What a reader sees: an invitation past its expiry is expired even before the alarm has run. */
export function effectiveStatus(inv: Timed, now: Date): InvitationStatus {
  if (isPending(inv.status) && isExpired(inv, now)) return "expired";
  return inv.status;
}

/**
 * A pending invitation that holds a seat takes it away from the public: the one rule behind the
 * session's `held` count. At a moment `now`, an invitation past its expiry holds nothing; without
 * `now`, the stored status decides (the ledger's counters, which close due expiries first).
 */
export function holdsSeat(inv: { holdSeat: boolean; status: InvitationStatus; expiresAt?: string | null }, now?: Date): boolean {
  const status = now ? effectiveStatus({ status: inv.status, expiresAt: inv.expiresAt ?? null }, now) : inv.status;
  return inv.holdSeat && isPending(status);
}

/**
 * Whether an address counts as already invited: an answer still awaited (and not expired), or an
 * acceptance. Declined, cancelled and expired invitations leave room for a new one.
 */
export function countsAsInvited(inv: Timed, now: Date): boolean {
  const status = effectiveStatus(inv, now);
  return status === "accepted" || isPending(status);
}

/** The expiry an invitation gets when it is sent, unless one was fixed when it was created. */
export function expiryOnSend(fixed: string | null, days: number | null, sentAt: Date): string {
  return fixed ?? new Date(sentAt.getTime() + (days ?? DEFAULT_EXPIRY_DAYS) * DAY_MS).toISOString();
}

/**
 * Why an expiry fixed at creation cannot work, or null when it can: an invitation must still be
 * valid when its email goes out (now, or at `sendAt`), else it would mail a dead link or never
 * be sent at all while holding a seat until then.
 */
export function fixedExpiryProblem(
  expiresAt: string | null,
  sendAt: string | null,
  now: Date,
): { code: "not_in_future" | "ends_before_start"; message: string } | null {
  if (expiresAt === null) return null;
  const expires = Date.parse(expiresAt);
  if (expires <= now.getTime()) return { code: "not_in_future", message: "must be in the future" };
  if (sendAt !== null && expires <= Date.parse(sendAt)) return { code: "ends_before_start", message: "must be after sendAt" };
  return null;
}

/** The status a new invitation starts in. */
export function initialStatus(send: "now" | "later", sendAt: string | null, now: Date): "draft" | "scheduled" | "sent" {
  if (send === "later") return "draft";
  if (sendAt && Date.parse(sendAt) > now.getTime()) return "scheduled";
  return "sent";
}

/** `ada@example.org` → `a••@example.org`: enough to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  const local = email.slice(0, at);
  return `${local[0]}${"•".repeat(Math.min(6, Math.max(2, local.length - 1)))}${email.slice(at)}`;
}

/** The link in the email: the org's own page when it set a template, else the hosted page. */
export function invitationLink(template: string | null, baseUrl: string, token: string): string {
  if (template?.includes("{token}")) return template.replaceAll("{token}", encodeURIComponent(token));
  return `${baseUrl}/r/${encodeURIComponent(token)}`;
}
