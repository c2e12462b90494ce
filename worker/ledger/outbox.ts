// Draining the ledger's outboxes after its commits: rows whose version is ahead of what D1 last
// received become D1 projection rows, decided emails go to the mail queue. A row counts as
// projected only once delivered, so a failed drain loses nothing; the ledger retries it from its
// alarm, backing off.

import { asc, inArray } from "drizzle-orm";
import type { MailMessage } from "../email/message";
import type { SessionView } from "../sessions/schemas";
import type { ProjectionRows, ProjectionWriter } from "./projection";
import * as t from "./schema";
import type { LedgerStore } from "./store";
import type { InvitationRecord, RegistrationRecord, SessionRecord } from "./views";

const DRAIN_BATCH = 500;
const MAIL_BATCH = 100;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;

export type Deliveries = {
  projection: ProjectionWriter;
  mailQueue: Pick<Queue<MailMessage>, "sendBatch">;
};

/** Delivers both outboxes until they are empty; throws when a delivery fails, leaving the rest. */
export async function drainOutboxes(store: LedgerStore, to: Deliveries, now: () => Date): Promise<void> {
  const db = store.db;
  // Rows written while a batch is in flight get a newer version and go with the next pass.
  for (;;) {
    const s = store.sessionRecord();
    if (!s) return;
    const session = s.version > s.projectedVersion ? { version: s.version, view: store.sessionView(now()) } : null;
    const registrations = store.staleRegistrations(DRAIN_BATCH);
    const invitations = store.staleInvitations(DRAIN_BATCH);
    const mail = db.select().from(t.mailOutbox).orderBy(asc(t.mailOutbox.id)).limit(MAIL_BATCH).all();
    if (!session && registrations.length === 0 && invitations.length === 0 && mail.length === 0) break;
    if (session || registrations.length || invitations.length) {
      await to.projection.write({
        sessions: session ? [sessionRow(s, session.view)] : [],
        registrations: registrations.map((r) => registrationRow(s, r)),
        invitations: invitations.map((r) => invitationRow(s, r)),
      });
      store.transaction(() => {
        if (session) store.markSessionProjected(session.version);
        store.markProjected("registrations", registrations);
        store.markProjected("invitations", invitations);
      });
    }
    if (mail.length) {
      await to.mailQueue.sendBatch(mail.map((m) => ({ body: m.message as MailMessage, contentType: "json" })));
      db.delete(t.mailOutbox)
        .where(
          inArray(
            t.mailOutbox.id,
            mail.map((m) => m.id),
          ),
        )
        .run();
    }
  }
}

/** How long to wait before the next try after `failures` failed drains in a row. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1));
}

function registrationRow(s: SessionRecord, r: RegistrationRecord): ProjectionRows["registrations"][number] {
  return {
    id: r.id,
    sessionId: s.id,
    orgId: s.orgId,
    name: r.name,
    email: r.email,
    status: r.status,
    source: r.source,
    invitationId: r.invitationId,
    createdAt: r.createdAt,
    cancelledAt: r.cancelledAt,
    erasedAt: r.erasedAt,
  };
}

function invitationRow(s: SessionRecord, r: InvitationRecord): ProjectionRows["invitations"][number] {
  return {
    id: r.id,
    sessionId: s.id,
    orgId: s.orgId,
    email: r.email,
    name: r.name,
    status: r.status,
    delivery: r.delivery,
    holdSeat: r.holdSeat,
    sendAt: r.sendAt,
    sentAt: r.sentAt,
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    erasedAt: r.erasedAt,
  };
}

function sessionRow(s: SessionRecord, view: SessionView): ProjectionRows["sessions"][number] {
  return {
    id: s.id,
    orgId: s.orgId,
    title: s.title,
    startsAt: s.startsAt,
    timeZone: s.timeZone,
    durationMinutes: s.durationMinutes,
    minParticipants: s.minParticipants,
    capacity: s.capacity,
    status: s.status,
    registrationOpensAt: s.registrationOpensAt,
    registrationClosesAt: view.registrationClosesAt,
    confirmed: view.seats.confirmed,
    held: view.seats.held,
    waitlisted: view.seats.waitlisted,
    available: view.seats.available,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    snapshot: JSON.stringify(view),
  };
}
