// The D1 outbox of webhook events decided outside a session's ledger (contacts). A change writes its
// events' rows in its own batch (`outboxInserts`), so they exist exactly when the change committed;
// `sweepWebhookOutbox` hands them to the webhook queue and deletes what the queue took (an event
// no enabled endpoint of its org subscribes to is deleted without being queued, as a session's
// ledger does with its own). A crash
// between the send and the delete sends an event again with the same id (receivers de-duplicate by
// it); a queue that fails leaves the rows for the next sweep (the hourly cron at the latest).

import { asc } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { createMiddleware } from "hono/factory";
import { webhookOutbox } from "../db/schema";
import type { OutboxRow } from "./contact-events";
import { emitWebhookEvents } from "./emit";
import { subscribedTypes } from "./endpoints";
import type { WebhookEvent, WebhookEventType } from "./events";
import type { WebhookQueueMessage } from "./message";

/** Rows read and sent per sweep at most (the queue's batch limit). */
export const OUTBOX_SWEEP_LIMIT = 100;

/** The statement inserting these rows (one JSON parameter), for the batch of the change; none for none. */
export function outboxInserts(database: D1Database, rows: OutboxRow[]): D1PreparedStatement[] {
  if (!rows.length) return [];
  return [
    database
      .prepare(
        `insert into webhook_outbox (id, org_id, type, data, created_at)
         select r.value ->> 'id', r.value ->> 'orgId', r.value ->> 'type', r.value ->> 'data', r.value ->> 'createdAt'
         from json_each(?1) as r`,
      )
      .bind(JSON.stringify(rows)),
  ];
}

/** Sends up to OUTBOX_SWEEP_LIMIT rows, oldest first, and deletes them once the queue took them: how many it read, how many it sent. */
export async function sweepWebhookOutbox(
  database: D1Database,
  queue: Pick<Queue<WebhookQueueMessage>, "sendBatch">,
): Promise<{ swept: number; sent: number }> {
  const rows = await drizzle(database)
    .select()
    .from(webhookOutbox)
    .orderBy(asc(webhookOutbox.createdAt), asc(webhookOutbox.id))
    .limit(OUTBOX_SWEEP_LIMIT);
  if (!rows.length) return { swept: 0, sent: 0 };
  const orgs = [...new Set(rows.map((r) => r.orgId))];
  const wanted = new Map(await Promise.all(orgs.map(async (orgId) => [orgId, await subscribedTypes(database, orgId)] as const)));
  const events: WebhookEvent[] = rows
    .filter((r) => wanted.get(r.orgId)?.has(r.type))
    .map((r) => ({
      id: r.id,
      type: r.type as WebhookEventType,
      orgId: r.orgId,
      createdAt: r.createdAt,
      sessionId: null,
      sequence: null,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  if (events.length) await emitWebhookEvents(queue, events);
  await database
    .prepare("delete from webhook_outbox where id in (select value from json_each(?1))")
    .bind(JSON.stringify(rows.map((r) => r.id)))
    .run();
  return { swept: rows.length, sent: events.length };
}

/** Sweeps repeatedly until the outbox is empty or `rounds` sweeps ran (the hourly cron's backlog). */
export async function drainWebhookOutbox(
  database: D1Database,
  queue: Pick<Queue<WebhookQueueMessage>, "sendBatch">,
  rounds = 20,
): Promise<{ sent: number }> {
  let sent = 0;
  for (let i = 0; i < rounds; i++) {
    const swept = await sweepWebhookOutbox(database, queue);
    sent += swept.sent;
    if (swept.swept < OUTBOX_SWEEP_LIMIT) break;
  }
  return { sent };
}

/**
 * After a request that may have written outbox rows (a write to the directory), a sweep once the
 * response is sent (`waitUntil`): the events leave within the request's lifetime, and a sweep that
 * fails only leaves them for the cron.
 */
export const sweepOutboxAfterWrites = createMiddleware<{ Bindings: Env }>(async (c, next) => {
  await next();
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return;
  c.executionCtx.waitUntil(
    sweepWebhookOutbox(c.env.DB, c.env.WEBHOOK_QUEUE).catch((error: unknown) => console.error("webhook outbox sweep failed", error)),
  );
});
