// Invitation moves inside a ledger transaction: the one send path, closing, the checks a link must
// pass, one-time codes, and the time-driven sends and expiries. Synchronous, like every call made
// while a transaction is open; which moves are allowed is decided in invitations/lifecycle.ts.

import { fail } from "../errors/problem";
import { newChildId } from "../ids/ids";
import { effectiveStatus, expiryOnSend, invitationLink } from "../invitations/lifecycle";
import type { CreateInvitationsInput } from "../invitations/schemas";
import type { InvitationToken } from "../invitations/tokens";
import { emailKey } from "../recipients/address";
import type { Recipient } from "../recipients/parse";
import { promoteWaitlist } from "./seating";
import type { Actor, LedgerStore } from "./store";
import type { InvitationRecord } from "./views";

const CODE_TTL_MS = 10 * 60_000;
const CODE_TRIES = 5;

/** A new invitation row, not yet sent (sending goes through sendInvitation). */
export function newInvitation(
  sessionId: string,
  recipient: Recipient,
  token: InvitationToken,
  input: CreateInvitationsInput & { linkTemplate: string | null },
  status: "draft" | "scheduled",
  raisedCapacity: number,
  actor: Actor,
  now: Date,
): InvitationRecord {
  return {
    id: newChildId("inv", sessionId),
    email: recipient.email,
    emailKey: emailKey(recipient.email),
    name: recipient.name,
    holdSeat: input.holdSeat,
    discountCode: input.discountCode ?? null,
    status,
    sendAt: iso(input.sendAt),
    sentAt: null,
    sendCount: 0,
    expiresAt: iso(input.expiresAt),
    expiresInDays: input.expiresInDays ?? null,
    subject: input.subject ?? null,
    buttonText: input.buttonText ?? null,
    message: input.message ?? null,
    locale: input.locale,
    requireEmailMatch: input.requireEmailMatch,
    raisedCapacity,
    linkTemplate: input.linkTemplate,
    tokenSalt: token.salt,
    tokenHash: token.secretHash,
    delivery: null,
    deliveryAt: null,
    registrationId: null,
    codeHash: null,
    codeExpiresAt: null,
    codeAttempts: 0,
    createdBy: actor,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    closedAt: null,
  };
}

/** The one send path: first send and resend alike. Assumes the move was checked. */
export function sendInvitation(
  store: LedgerStore,
  row: InvitationRecord,
  token: string,
  action: "send" | "resend",
  now: Date,
): InvitationRecord {
  const s = store.sessionRecord()!;
  const next: InvitationRecord = {
    ...row,
    status: "sent",
    sentAt: now.toISOString(),
    sendCount: row.sendCount + 1,
    expiresAt: action === "send" ? expiryOnSend(row.expiresAt, row.expiresInDays, now) : row.expiresAt,
    delivery: "queued",
    deliveryAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  store.updateInvitation(row.id, next);
  store.mail(
    "invitation",
    next,
    {
      link: invitationLink(row.linkTemplate, s.baseUrl, token),
      subject: row.subject,
      buttonText: row.buttonText,
      message: row.message,
      discountCode: row.discountCode,
      holdSeat: row.holdSeat,
      expiresAt: next.expiresAt,
    },
    row.id,
  );
  store.markDirty("invitation", row.id);
  return next;
}

export function closeInvitation(
  store: LedgerStore,
  row: InvitationRecord,
  status: "accepted" | "cancelled" | "declined" | "expired",
  now: Date,
  registrationId: string | null = row.registrationId,
): InvitationRecord {
  const next: InvitationRecord = { ...row, status, registrationId, closedAt: now.toISOString(), updatedAt: now.toISOString() };
  store.updateInvitation(row.id, next);
  if (status === "cancelled" && row.status === "sent") store.mail("invitation_cancelled", row, {}, row.id);
  store.markDirty("invitation", row.id);
  return next;
}

/** Why the link cannot be used now, if it cannot. */
export function linkRefusal(store: LedgerStore, inv: InvitationRecord, now: Date) {
  const status = effectiveStatus(inv, now);
  if (status === "expired") return fail("invitation_expired", "This invitation has expired. Ask the organiser for a new one.");
  if (status === "cancelled") return fail("invitation_cancelled", "This invitation was cancelled.");
  if (status === "accepted" || status === "declined") return fail("invitation_used", `This invitation was already ${status}.`);
  if (status !== "sent") return fail("not_found", "This invitation link is not valid.");
  if (store.sessionRecord()!.status === "cancelled") return fail("session_cancelled", "This session has been cancelled.");
  return null;
}

/** Stores a fresh one-time code (its hash) with all its tries; returns when it expires. */
export function setCode(store: LedgerStore, inv: InvitationRecord, codeHash: string, now: Date): string {
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS).toISOString();
  store.updateInvitation(inv.id, { codeHash, codeExpiresAt: expiresAt, codeAttempts: 0, updatedAt: now.toISOString() });
  return expiresAt;
}

/** Checks a one-time code; a wrong one uses up one of the tries (and that is written). */
export function checkCode(store: LedgerStore, inv: InvitationRecord, codeHash: string | null, now: Date) {
  if (!codeHash) return fail("email_verification_required", "Enter the code we emailed to the invited address.");
  const usable = inv.codeHash && inv.codeExpiresAt && Date.parse(inv.codeExpiresAt) > now.getTime() && inv.codeAttempts < CODE_TRIES;
  if (!usable) return fail("verification_code_expired", "This code has expired or was tried too often. Ask for a new one.");
  if (codeHash !== inv.codeHash) {
    const attempts = inv.codeAttempts + 1;
    store.updateInvitation(inv.id, { codeAttempts: attempts });
    return fail("invalid_verification_code", "That code is not the one we sent.", { attemptsLeft: CODE_TRIES - attempts });
  }
  return null;
}

/**
 * Time-driven work: sends the scheduled invitations in `due` that are still scheduled (their link
 * tokens in `links`), expires what is due, and fills the seats that frees.
 */
export function sendAndExpireDue(store: LedgerStore, due: InvitationRecord[], links: Map<string, string>, now: Date): void {
  const s = store.sessionRecord();
  if (!s) return;
  for (const d of due) {
    const row = store.invitation(d.id)!;
    if (row.status === "scheduled" && effectiveStatus(row, now) === "scheduled")
      sendInvitation(store, row, links.get(row.id)!, "send", now);
  }
  const expiring = store.dueToExpire(now);
  for (const row of expiring) closeInvitation(store, row, "expired", now);
  if (expiring.length || due.length) {
    promoteWaitlist(store, now);
    store.markDirty("session", s.id);
  }
}

/** An instant from the API, in the one form the ledger stores (UTC, milliseconds). */
export function iso(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}
