// Draining the ledger's outboxes after its commits: stale rows become D1 projection rows, decided
// emails go to the mail queue. A row leaves its outbox only once delivered, so a failed drain
// loses nothing; the ledger retries it from its alarm, backing off.

import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { MailMessage } from "../email/message";
import type { SessionView } from "../sessions/schemas";
import type { ProjectionRows, ProjectionWriter } from "./projection";
import * as t from "./schema";
import { type LedgerStore, SQL_CHUNK } from "./store";
import type { SessionRecord } from "./views";

const DRAIN_BATCH = 500;
const MAIL_BATCH = 100;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;

export type Deliveries = {
  projection: ProjectionWriter;
  mailQueue: Pick<Queue<MailMessage>, "sendBatch">;
};

type DirtyRow = typeof t.projectionOutbox.$inferSelect;

/** Delivers both outboxes until they are empty; throws when a delivery fails, leaving the rest. */
export async function drainOutboxes(store: LedgerStore, to: Deliveries): Promise<void> {
  const db = store.db;
  // Rows that change while a batch is in flight are picked up by the next pass.
  for (;;) {
    const dirty = db.select().from(t.projectionOutbox).limit(DRAIN_BATCH).all();
    const mail = db.select().from(t.mailOutbox).orderBy(asc(t.mailOutbox.id)).limit(MAIL_BATCH).all();
    if (dirty.length === 0 && mail.length === 0) break;
    if (dirty.length) {
      await to.projection.write(projectionRows(store, dirty));
      store.transaction(() => {
        for (const d of dirty) {
          db.delete(t.projectionOutbox)
            .where(
              and(
                eq(t.projectionOutbox.kind, d.kind),
                eq(t.projectionOutbox.entityId, d.entityId),
                // A newer change to the same row stays for the next pass.
                eq(t.projectionOutbox.version, d.version),
              ),
            )
            .run();
        }
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

/** Rows still waiting in either outbox. */
export function pendingCount(store: LedgerStore): number {
  const [p] = store.db.select({ n: count() }).from(t.projectionOutbox).all();
  const [m] = store.db.select({ n: count() }).from(t.mailOutbox).all();
  return (p?.n ?? 0) + (m?.n ?? 0);
}

/** How long to wait before the next try after `failures` failed drains in a row. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1));
}

/** The D1 copies of the rows named in the projection outbox, as they are now. */
function projectionRows(store: LedgerStore, dirty: Pick<DirtyRow, "kind" | "entityId">[]): ProjectionRows {
  const rows: ProjectionRows = { sessions: [], registrations: [], invitations: [] };
  const s = store.sessionRecord();
  if (!s) return rows;
  const ids = (kind: string) => dirty.filter((d) => d.kind === kind).map((d) => d.entityId);
  if (ids("session").length) rows.sessions.push(sessionRow(s, store.currentView()));
  const registrationIds = ids("registration");
  for (let i = 0; i < registrationIds.length; i += SQL_CHUNK) {
    const found = store.db
      .select()
      .from(t.registrations)
      .where(inArray(t.registrations.id, registrationIds.slice(i, i + SQL_CHUNK)))
      .all();
    for (const r of found) {
      rows.registrations.push({
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
      });
    }
  }
  const invitationIds = ids("invitation");
  for (let i = 0; i < invitationIds.length; i += SQL_CHUNK) {
    const found = store.invitationsIn(invitationIds.slice(i, i + SQL_CHUNK));
    for (const r of found) {
      rows.invitations.push({
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
      });
    }
  }
  return rows;
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
