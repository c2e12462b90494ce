// An org's webhook endpoints in D1: create (the secret shown once), list, read, change, delete,
// rotate the secret (the previous one keeps signing for 24 hours), and the delivery log with its
// "send again" and "send test event". Every function takes the org: an endpoint of another org is
// not found.

import { and, desc, eq, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { webhookDeliveries, webhookEndpoints } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { encodeCursor, readCursor } from "../http/cursor";
import { newId } from "../ids/ids";
import { type DeliveryStatus, ROTATION_OVERLAP_MS } from "./decide";
import { newEventId, TEST_EVENT_TYPE, type WebhookEvent, type WebhookEventType } from "./events";
import type { WebhookQueueMessage } from "./message";
import { newEndpointSecret, sealSecret } from "./secrets";
import { checkEndpointUrl } from "./url";

export type EndpointEnv = {
  DB: D1Database;
  WEBHOOK_QUEUE: Pick<Queue<WebhookQueueMessage>, "send">;
  ROLLCALL_ENV?: string;
  ROLLCALL_SIGNING_SECRET: string;
  ROLLCALL_SIGNING_SECRET_PREVIOUS?: string;
};

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export type EndpointView = {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  failingSince: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type DeliveryView = {
  id: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  latencyMs: number | null;
  responseExcerpt: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
};

export type EndpointInput = { url: string; events: WebhookEventType[]; description?: string; enabled?: boolean };

/** Anything but a developer's own machine is production: https only, no private hosts. */
export const isProduction = (env: { ROLLCALL_ENV?: string }) => env.ROLLCALL_ENV !== "development";

export function endpointView(r: EndpointRow, now: Date): EndpointView {
  const overlap = r.previousSecretExpiresAt && r.previousSecretExpiresAt > now.toISOString() ? r.previousSecretExpiresAt : null;
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.events as WebhookEventType[],
    enabled: r.enabled,
    disabledAt: r.disabledAt,
    disabledReason: r.disabledReason,
    failingSince: r.failingSince,
    previousSecretExpiresAt: overlap,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function deliveryView(r: DeliveryRow): DeliveryView {
  return {
    id: r.id,
    eventId: r.eventId,
    eventType: r.eventType,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    responseStatus: r.responseStatus,
    latencyMs: r.latencyMs,
    responseExcerpt: r.responseExcerpt,
    lastAttemptAt: r.lastAttemptAt,
    createdAt: r.createdAt,
  };
}

function checkedUrl(env: EndpointEnv, url: string): Outcome<string> {
  const checked = checkEndpointUrl(url, isProduction(env));
  return checked.ok ? ok(checked.url) : fail(checked.refusal.code, checked.refusal.detail);
}

export async function createEndpoint(
  env: EndpointEnv,
  orgId: string,
  input: EndpointInput,
  now: Date,
): Promise<Outcome<{ endpoint: EndpointView; secret: string }>> {
  const url = checkedUrl(env, input.url);
  if (!url.ok) return url;
  const secret = newEndpointSecret();
  const at = now.toISOString();
  const row: EndpointRow = {
    id: newId("whe"),
    orgId,
    url: url.value,
    description: input.description ?? "",
    events: [...new Set(input.events)],
    enabled: input.enabled ?? true,
    secretSealed: await sealSecret(env, secret),
    previousSecretSealed: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    disabledAt: input.enabled === false ? at : null,
    disabledReason: input.enabled === false ? "member" : null,
    createdAt: at,
    updatedAt: at,
  };
  await drizzle(env.DB).insert(webhookEndpoints).values(row);
  return ok({ endpoint: endpointView(row, now), secret });
}

/**
 * The event types some enabled endpoint of the org subscribes to: what a ledger, or the sweep of
 * the contact events' outbox (outbox.ts), hands to the webhook queue (an event no endpoint wants
 * is not queued at all).
 */
export async function subscribedTypes(database: D1Database, orgId: string): Promise<ReadonlySet<string>> {
  const rows = await drizzle(database)
    .select({ events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.enabled, true)));
  return new Set(rows.flatMap((r) => r.events));
}

export async function listEndpoints(database: D1Database, orgId: string): Promise<EndpointRow[]> {
  return drizzle(database).select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, orgId)).orderBy(webhookEndpoints.createdAt);
}

export async function findEndpoint(database: D1Database, orgId: string, id: string): Promise<Outcome<EndpointRow>> {
  const row = await drizzle(database)
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id)))
    .get();
  return row ? ok(row) : fail("not_found", "No such webhook endpoint.");
}

/** Changes what is given; enabling again clears the failure streak (the next failure starts a new one). */
export async function updateEndpoint(
  env: EndpointEnv,
  orgId: string,
  id: string,
  patch: Partial<EndpointInput>,
  now: Date,
): Promise<Outcome<EndpointView>> {
  const found = await findEndpoint(env.DB, orgId, id);
  if (!found.ok) return found;
  const at = now.toISOString();
  const set: Partial<EndpointRow> = { updatedAt: at };
  if (patch.url !== undefined) {
    const url = checkedUrl(env, patch.url);
    if (!url.ok) return url;
    set.url = url.value;
  }
  if (patch.events !== undefined) set.events = [...new Set(patch.events)];
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.enabled !== undefined && patch.enabled !== found.value.enabled) {
    set.enabled = patch.enabled;
    set.disabledAt = patch.enabled ? null : at;
    set.disabledReason = patch.enabled ? null : "member";
    set.failingSince = null;
  }
  await drizzle(env.DB)
    .update(webhookEndpoints)
    .set(set)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id)));
  return ok(endpointView({ ...found.value, ...set }, now));
}

/** Deletes the endpoint and its delivery log; events still queued for it find no endpoint and are dropped. */
export async function deleteEndpoint(database: D1Database, orgId: string, id: string): Promise<Outcome<{ id: string; deleted: true }>> {
  const found = await findEndpoint(database, orgId, id);
  if (!found.ok) return found;
  const db = drizzle(database);
  await db.batch([
    db.delete(webhookDeliveries).where(eq(webhookDeliveries.endpointId, id)),
    db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id))),
  ]);
  return ok({ id, deleted: true });
}

/** A new secret, shown once; the one it replaces keeps signing beside it for 24 hours. */
export async function rotateSecret(
  env: EndpointEnv,
  orgId: string,
  id: string,
  now: Date,
): Promise<Outcome<{ endpoint: EndpointView; secret: string }>> {
  const found = await findEndpoint(env.DB, orgId, id);
  if (!found.ok) return found;
  const secret = newEndpointSecret();
  const set = {
    secretSealed: await sealSecret(env, secret),
    previousSecretSealed: found.value.secretSealed,
    previousSecretExpiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString(),
    updatedAt: now.toISOString(),
  };
  await drizzle(env.DB)
    .update(webhookEndpoints)
    .set(set)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id)));
  return ok({ endpoint: endpointView({ ...found.value, ...set }, now), secret });
}

/** A page of the endpoint's deliveries, newest first; `nextCursor` reads on to older ones. */
export async function listDeliveries(
  database: D1Database,
  orgId: string,
  endpointId: string,
  page: { limit: number; cursor?: string },
): Promise<Outcome<{ deliveries: DeliveryView[]; nextCursor: string | null }>> {
  const found = await findEndpoint(database, orgId, endpointId);
  if (!found.ok) return found;
  const read = readCursor(page.cursor);
  if (!read.ok) return read;
  const cursor = read.value;
  const older = cursor
    ? or(lt(webhookDeliveries.createdAt, cursor.s), and(eq(webhookDeliveries.createdAt, cursor.s), lt(webhookDeliveries.id, cursor.i)))
    : undefined;
  const rows = await drizzle(database)
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), older))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return ok({
    deliveries: shown.map(deliveryView),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ s: last.createdAt, i: last.id }) : null,
  });
}

/** Sends a delivery's event to its endpoint again (same event id: a receiver that has it ignores it). */
export async function sendAgain(env: EndpointEnv, orgId: string, endpointId: string, deliveryId: string): Promise<Outcome<DeliveryView>> {
  const found = await findEndpoint(env.DB, orgId, endpointId);
  if (!found.ok) return found;
  const db = drizzle(env.DB);
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: "pending" })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)))
    .returning();
  if (!row) return fail("not_found", "No such delivery.");
  await env.WEBHOOK_QUEUE.send({ event: JSON.parse(row.payload) as WebhookEvent, endpointId }, { contentType: "json" });
  return ok(deliveryView(row));
}

/** Queues a `webhook.test` event for this endpoint only (whatever it subscribes to). */
export async function sendTestEvent(env: EndpointEnv, orgId: string, endpointId: string, now: Date): Promise<Outcome<{ eventId: string }>> {
  const found = await findEndpoint(env.DB, orgId, endpointId);
  if (!found.ok) return found;
  const event: WebhookEvent = {
    id: newEventId(),
    type: TEST_EVENT_TYPE,
    orgId,
    createdAt: now.toISOString(),
    sessionId: null,
    sequence: null,
    data: { endpointId, message: "A test event from Rollcall." },
  };
  await env.WEBHOOK_QUEUE.send({ event, endpointId }, { contentType: "json" });
  return ok({ eventId: event.id });
}
