// Draining the ledger's outboxes after its commits: rows whose version is ahead of what D1 last
// received become D1 projection rows, decided emails go to the mail queue. A row counts as
// projected only once delivered, so a failed drain loses nothing; the ledger retries it from its
// alarm, backing off.
//
// Emails travel in bundles (email/message.ts): one queue message per request to the provider, at
// most 100 emails and ~96 KB, and one sendBatch carries at most 100 bundles and ~224 KB (Queues
// refuse more than 128 KB per message and 256 KB per sendBatch). An email too large for any
// message, or one the queue refuses on its own while the others go, moves aside into the dead
// letters (mail.ts) instead of blocking the emails behind it. When nothing goes at all, the
// queue is down: everything stays, and the alarm tries again.

import type { DiscountUse } from "../discounts/redemptions";
import { BATCH_LIMIT } from "../email/mailer";
import type { MailBundle, MailMessage } from "../email/message";
import { isUrgent, type MailQueues } from "../email/queues";
import type { RefundQueueMessage } from "../payments/decide";
import type { SessionView } from "../sessions/schemas";
import type { WebhookEventType } from "../webhooks/events";
import type { WebhookQueueMessage } from "../webhooks/message";
import { moveMailAside } from "./mail";
import type { ProjectionRows, ProjectionWriter } from "./projection";
import type { LedgerStore } from "./store";
import type { InvitationRecord, RegistrationRecord, SessionRecord } from "./views";

const DRAIN_BATCH = 500;
/** Outbox emails read per pass. */
const MAIL_PASS = 500;
/** What one bundle carries at most (JSON bytes of its emails), under the queue's 128 KB per message. */
export const BUNDLE_BYTES = 96 * 1024;
/** An email larger than this fits in no queue message, whatever else it travels with. */
export const MAX_EMAIL_BYTES = 120 * 1024;
/** What one sendBatch carries at most, under the queue's 256 KB, and its count of messages. */
export const SEND_BYTES = 224 * 1024;
const SEND_MESSAGES = 100;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;

export type Deliveries = {
  projection: ProjectionWriter;
  /** Both mail queues as one (email/queues.ts): drainMail sends the urgent emails in bundles of their own. */
  mailQueue: Pick<MailQueues, "sendBatch">;
  webhookQueue: Pick<Queue<WebhookQueueMessage>, "sendBatch">;
  /** The event types some enabled endpoint of the org subscribes to (webhooks/endpoints.ts subscribedTypes). */
  webhookSubscriptions: (orgId: string) => Promise<ReadonlySet<string>>;
  refundQueue: Pick<Queue<RefundQueueMessage>, "sendBatch">;
};

/** Webhook events read per pass; one sendBatch carries at most 100 messages. */
const EVENT_PASS = 100;

/** Delivers both outboxes until they are empty; throws when a delivery fails, leaving the rest. */
export async function drainOutboxes(store: LedgerStore, to: Deliveries, now: () => Date): Promise<void> {
  // Rows written while a batch is in flight get a newer version and go with the next pass.
  for (;;) {
    const s = store.sessionRecord();
    if (!s) return;
    const session = s.version > s.projectedVersion ? { version: s.version, view: store.sessionView(now()) } : null;
    const registrations = store.staleRegistrations(DRAIN_BATCH);
    const invitations = store.staleInvitations(DRAIN_BATCH);
    const mail = store.outboxMail(MAIL_PASS);
    const events = store.outboxEvents(EVENT_PASS);
    const refunds = store.outboxRefunds(EVENT_PASS);
    if (
      !session &&
      registrations.length === 0 &&
      invitations.length === 0 &&
      mail.length === 0 &&
      events.length === 0 &&
      refunds.length === 0
    )
      break;
    if (session || registrations.length || invitations.length) {
      await to.projection.write({
        sessions: session ? [sessionRow(s, session.view)] : [],
        registrations: registrations.map((r) => registrationRow(s, r)),
        invitations: invitations.map((r) => invitationRow(s, r)),
        discountUses: registrations.flatMap((r) => discountUseOf(s, r)),
      });
      store.transaction(() => {
        if (session) store.markSessionProjected(session.version);
        store.markProjected("registrations", registrations);
        store.markProjected("invitations", invitations);
      });
    }
    if (mail.length) await drainMail(store, to.mailQueue, mail, now);
    if (events.length) await drainEvents(store, to, s.orgId, s.id, events);
    if (refunds.length) {
      // A failed send keeps them all: a refund may reach the queue twice (the consumer refunds once), never zero times.
      await to.refundQueue.sendBatch(
        refunds.map((r) => ({
          body: { sessionId: s.id, registrationId: r.registrationId } satisfies RefundQueueMessage,
          contentType: "json",
        })),
      );
      store.transaction(() => store.deleteOutboxRefunds(refunds.map((r) => r.registrationId)));
    }
  }
}

/**
 * Hands webhook events to the queue, in outbox order, and forgets them once the queue has them. A
 * failed send keeps every one of them for the next drain: an event may then reach the queue twice,
 * never zero times (the consumer delivers each event id once per endpoint). Only the events some
 * enabled endpoint of the org subscribes to are queued, read when they leave: most orgs have none,
 * and the consumer would find no endpoint for them either.
 */
async function drainEvents(
  store: LedgerStore,
  to: Pick<Deliveries, "webhookQueue" | "webhookSubscriptions">,
  orgId: string,
  sessionId: string,
  rows: ReturnType<LedgerStore["outboxEvents"]>,
): Promise<void> {
  const subscribed = await to.webhookSubscriptions(orgId);
  const messages = rows
    .filter((row) => subscribed.has(row.type))
    .map((row) => ({
      body: {
        event: {
          id: row.eventId,
          type: row.type as WebhookEventType,
          orgId,
          createdAt: row.createdAt,
          sessionId,
          sequence: row.id,
          data: row.data,
        },
      } satisfies WebhookQueueMessage,
      contentType: "json" as const,
    }));
  if (messages.length) await to.webhookQueue.sendBatch(messages);
  store.transaction(() => store.deleteOutboxEvents(rows.map((r) => r.id)));
}

type OutboxRow = { id: number; message: unknown };
type Sized = { row: OutboxRow; bytes: number };

/**
 * Hands these outbox emails to the queue in bundles. A sendBatch that fails is split in halves
 * until the emails that fail alone are found; those move aside once others went through. When
 * nothing goes, the error is the queue's: it is thrown, and every email stays.
 */
async function drainMail(store: LedgerStore, queue: Deliveries["mailQueue"], rows: OutboxRow[], now: () => Date): Promise<void> {
  const sized = rows.map((row) => ({ row, bytes: jsonBytes(row.message) }));
  const tooLarge = sized.filter((s) => s.bytes > MAX_EMAIL_BYTES);
  if (tooLarge.length)
    store.transaction(() =>
      moveMailAside(
        store,
        tooLarge.map((s) => s.row),
        `too large for the mail queue (${Math.max(...tooLarge.map((s) => s.bytes))} bytes)`,
        now(),
      ),
    );

  let sent = 0;
  const alone: OutboxRow[] = [];
  let lastError: unknown;
  const send = async (part: Sized[]): Promise<void> => {
    try {
      await queue.sendBatch(bundlesOf(part).map((bundle) => ({ body: bundle, contentType: "json" })));
      store.transaction(() => store.deleteOutboxMail(part.map((s) => s.row.id)));
      sent += part.length;
    } catch (error) {
      lastError = error;
      if (part.length === 1) alone.push(part[0]!.row);
      // Two emails failed alone and nothing went: the queue itself is failing, stop asking it.
      if (sent === 0 && alone.length >= 2) throw error;
      if (part.length === 1) return;
      const half = Math.ceil(part.length / 2);
      await send(part.slice(0, half));
      await send(part.slice(half));
    }
  };
  // Emails someone waits for (email/queues.ts) in bundles of their own, and first: a bundle
  // carrying one goes on the urgent queue, and the others need not ride along.
  const fitting = sized.filter((s) => s.bytes <= MAX_EMAIL_BYTES);
  const urgent = fitting.filter((s) => isUrgent(s.row.message as MailMessage));
  const rest = fitting.filter((s) => !isUrgent(s.row.message as MailMessage));
  for (const part of [...sendGroups(urgent), ...sendGroups(rest)]) await send(part);

  if (alone.length === 0) return;
  if (sent === 0) throw lastError;
  store.transaction(() => moveMailAside(store, alone, `refused by the mail queue: ${String(lastError)}`.slice(0, 500), now()));
}

/** Emails in bundles, in outbox order: a bundle closes at 100 emails or BUNDLE_BYTES. */
export function bundlesOf(emails: Sized[]): MailBundle[] {
  return packed(emails, BATCH_LIMIT, BUNDLE_BYTES).map((group) => ({ messages: group.map((s) => s.row.message as MailMessage) }));
}

/** Outbox emails in the parts one sendBatch each carries: at most 100 bundles and SEND_BYTES. */
export function sendGroups(emails: Sized[]): Sized[][] {
  const parts: Sized[][] = [];
  let part: Sized[] = [];
  let bytes = 0;
  let bundles = 0;
  for (const bundle of packed(emails, BATCH_LIMIT, BUNDLE_BYTES)) {
    const size = bundle.reduce((sum, s) => sum + s.bytes, 0);
    if (part.length && (bytes + size > SEND_BYTES || bundles === SEND_MESSAGES)) {
      parts.push(part);
      part = [];
      bytes = 0;
      bundles = 0;
    }
    part.push(...bundle);
    bytes += size;
    bundles++;
  }
  if (part.length) parts.push(part);
  return parts;
}

/** Items in order, in groups of at most `count` and `bytes` (an item larger than `bytes` goes alone). */
function packed(items: Sized[], count: number, bytes: number): Sized[][] {
  const groups: Sized[][] = [];
  let group: Sized[] = [];
  let size = 0;
  for (const item of items) {
    if (group.length && (group.length === count || size + item.bytes > bytes)) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(item);
    size += item.bytes;
  }
  if (group.length) groups.push(group);
  return groups;
}

/** The size of a value as the queue carries it (JSON, UTF-8). */
function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
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

/** A registration's discount use: held unless it was cancelled before it paid. */
function discountUseOf(s: SessionRecord, r: RegistrationRecord): DiscountUse[] {
  if (r.discountCode === null) return [];
  return [{ registrationId: r.id, orgId: s.orgId, code: r.discountCode, held: r.status !== "cancelled" || r.paidAt !== null }];
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
    listed: s.listed,
    tags: s.tags,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    snapshot: JSON.stringify(view),
  };
}
