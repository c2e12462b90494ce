// The ledger's mail that could not leave: dead letters kept (from the drain, which moves aside what
// the mail queue refuses, and from the mail consumer, which gives up after an hour of outage), the
// roster's count of what waits and what failed, and a member's re-drive. Steps run inside one
// transaction, like every other step of the ledger.

import { keptForRedrive, worthRedriving } from "../email/dead-letters";
import { type DeliveryStatus, redrivenStatus } from "../email/delivery";
import type { MailMessage } from "../email/message";
import { randomSecret } from "../ids/ids";
import { effectiveStatus } from "../invitations/lifecycle";
import { recordDeliveries } from "./invitations";
import type { LedgerStore } from "./store";

/** An email waiting in the outbox longer than this is stuck, and the roster says so. */
export const STUCK_AFTER_MS = 60_000;

export type MailStatus = {
  /** Emails held in the outbox for more than a minute: the mail queue is not taking them. */
  waiting: number;
  /** Emails that could not be sent and wait for a member's re-drive. */
  failed: number;
};

export type Redriven = { redriven: number; dropped: number };

export function mailStatusOf(store: LedgerStore, now: Date): MailStatus {
  return store.mailCounts(new Date(now.getTime() - STUCK_AFTER_MS));
}

/**
 * Keeps dead emails for a re-drive (those worth keeping) and marks the invitations they concern
 * as failed, so the roster shows it.
 */
export function keepDeadMail(store: LedgerStore, messages: MailMessage[], reason: string, at: string): { kept: number } {
  let kept = 0;
  for (const m of messages) {
    if (!keptForRedrive(m)) continue;
    store.keepDeadMail(m, reason, at);
    kept++;
  }
  recordDeliveries(
    store,
    messages.flatMap((m) => (m.invitationId ? [{ invitationId: m.invitationId, status: "failed" as const, at }] : [])),
  );
  return { kept };
}

/** Moves outbox rows the mail queue refuses out of its way, into the dead letters. */
export function moveMailAside(store: LedgerStore, rows: { id: number; message: unknown }[], reason: string, now: Date): void {
  store.deleteOutboxMail(rows.map((r) => r.id));
  keepDeadMail(
    store,
    rows.map((r) => r.message as MailMessage),
    reason,
    now.toISOString(),
  );
}

/**
 * Puts every dead email still worth sending back in the outbox, under a new id (the mail log keeps
 * the old one's story), and takes back the `failed` of the invitations they concern. Invitations
 * answered, cancelled or expired since are not emailed again: their dead letters are dropped.
 * Re-driven emails go in the order they first died (the outbox's ids grow).
 */
export function redriveDeadMail(store: LedgerStore, now: Date): Redriven {
  const dead = store.deadMail();
  // An invitation emailed twice in vain (sent, then resent) is emailed once: its newest email.
  const chosen = new Set<number>();
  const invited = new Set<string>();
  for (const row of [...dead].reverse()) {
    const message = row.message as MailMessage;
    const invitation = message.invitationId ? store.invitation(message.invitationId) : undefined;
    if (!worthRedriving(message, invitation ? effectiveStatus(invitation, now) : null)) continue;
    if (message.template === "invitation" && message.invitationId) {
      if (invited.has(message.invitationId)) continue;
      invited.add(message.invitationId);
    }
    chosen.add(row.id);
  }
  for (const row of dead) {
    if (!chosen.has(row.id)) continue;
    const message = row.message as MailMessage;
    store.requeueMail({ ...message, id: `msg_${randomSecret(12)}` } as MailMessage, now);
    const invitation = message.invitationId ? store.invitation(message.invitationId) : undefined;
    if (invitation) {
      const delivery = redrivenStatus(invitation.delivery as DeliveryStatus | null);
      if (delivery !== invitation.delivery) store.updateInvitation(invitation, { ...invitation, delivery, deliveryAt: now.toISOString() });
    }
  }
  store.forgetDeadMail(dead.map((r) => r.id));
  return { redriven: chosen.size, dropped: dead.length - chosen.size };
}
