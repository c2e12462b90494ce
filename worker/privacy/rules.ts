// Privacy as plain rules: when a record has been kept long enough, which records an erasure
// reaches, and what an erased record keeps. No I/O: the session ledger loads the rows, asks these
// functions, and writes what they return (ledger/privacy.ts); the scheduled purge and the API
// routes reach the ledgers through privacy/service.ts.
//
// An erased record stays in place, so seat counts, waitlist places and the roster's totals are
// unchanged: only what identifies the person goes (name, address, answers, the invitation's
// personal message), and `erasedAt` says when. Its email key becomes `erased:<id>`, which no
// address can equal, so it never blocks or matches a later registration of the same address.

import { closed } from "../invitations/decide";
import { type InvitationStatus, isPending } from "../invitations/statuses";
import type { RegistrationStatus } from "../registrations/statuses";

/** The instant `months` calendar months before `now` (UTC; the 31st falls back to a shorter month's last day). */
export function retentionCutoff(now: Date, months: number): Date {
  const totalMonths = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(now.getUTCDate(), lastDay),
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
}

type PersonRow = { id: string; emailKey: string; erasedAt: string | null };
type RegistrationRow = PersonRow & { status: RegistrationStatus; cancelledAt: string | null };
type InvitationRow = PersonRow & {
  status: InvitationStatus;
  closedAt: string | null;
  expiresAt: string | null;
  updatedAt: string;
  registrationId: string | null;
};

/** The email key of an erased record: unique per record, and never the key of an address. */
export const erasedKey = (id: string) => `erased:${id}`;

/**
 * Whether retention purges this registration now: every registration of a session that ended
 * before the cutoff, and a cancelled one cancelled before it. Instants are ISO strings (UTC).
 */
export function registrationPurgeDue(r: RegistrationRow, sessionEndsAt: string, cutoff: string): boolean {
  if (r.erasedAt) return false;
  if (sessionEndsAt < cutoff) return true;
  return r.status === "cancelled" && r.cancelledAt !== null && r.cancelledAt < cutoff;
}

/**
 * Whether retention purges this invitation now: every invitation of a session that ended before
 * the cutoff; a cancelled, declined or expired one closed before it; an accepted one once the
 * registration it became is purged (`registrationPurged`). Pending invitations past their expiry
 * are closed as expired by the ledger before it asks.
 */
export function invitationPurgeDue(i: InvitationRow, sessionEndsAt: string, cutoff: string, registrationPurged: boolean): boolean {
  if (i.erasedAt) return false;
  if (sessionEndsAt < cutoff) return true;
  if (i.status === "accepted") return registrationPurged;
  if (isPending(i.status)) return false;
  return closedSince(i) < cutoff;
}

/** When an invitation stopped mattering: an expired one at its expiry (the ledger may notice later), others when closed. */
function closedSince(i: InvitationRow): string {
  if (i.status === "expired" && i.expiresAt) return i.expiresAt;
  return i.closedAt ?? i.updatedAt;
}

/** A registration without its person: status, seat and history stay. */
export function erasedRegistration<R extends PersonRow & { name: string; email: string; answers: unknown }>(r: R, now: Date): R {
  return { ...r, name: "", email: "", emailKey: erasedKey(r.id), answers: null, erasedAt: now.toISOString() };
}

type ErasableInvitation = InvitationRow & {
  name: string | null;
  email: string;
  subject: string | null;
  message: string | null;
  codeHash: string | null;
  codeExpiresAt: string | null;
};

/** An invitation without its person (its subject and message may name them too). */
export function erasedInvitation<I extends ErasableInvitation>(i: I, now: Date): I {
  return {
    ...i,
    name: null,
    email: "",
    emailKey: erasedKey(i.id),
    subject: null,
    message: null,
    codeHash: null,
    codeExpiresAt: null,
    erasedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/**
 * What erasing one person does to the invitations of their address: each is stripped of them,
 * and one still waiting for an answer is cancelled as well (nobody can be reached at an erased
 * address, so it must not go on holding a seat or wait for a send). No email says so: the person
 * asked to be forgotten. Invitations already erased are left alone, which makes erasure idempotent.
 */
export function invitationErasure<I extends ErasableInvitation>(i: I, now: Date): { next: I; cancelled: boolean } | null {
  if (i.erasedAt) return null;
  const cancelled = isPending(i.status);
  return { next: erasedInvitation(cancelled ? closed(i, "cancelled", now) : i, now), cancelled };
}

/** What erasing one person does to a registration of their address (status and seat kept). */
export function registrationErasure<R extends PersonRow & { name: string; email: string; answers: unknown }>(r: R, now: Date): R | null {
  return r.erasedAt ? null : erasedRegistration(r, now);
}
