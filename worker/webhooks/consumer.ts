// The webhook queue's consumer: each message is one event. It finds the endpoints of the event's
// org that subscribe to its type (or the one endpoint a test event or a "send again" names), keeps
// one delivery row per (endpoint, event), signs the event per Standard Webhooks and POSTs it to
// each endpoint that has not taken it yet. What failed is tried again by the queue (message.retry,
// backing off, decide.ts) for up to 3 days after the event; then the deliveries are marked failed.
// An endpoint whose every delivery failed for 3 days is disabled and its org's owners are emailed.

import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Webhook } from "standardwebhooks";
import { members, orgs, webhookDeliveries, webhookEndpoints } from "../db/schema";
import type { MailMessage } from "../email/message";
import { mailQueues } from "../email/queues";
import { DEFAULT_LOCALE, type Locale } from "../i18n/locales";
import { newId, randomSecret } from "../ids/ids";
import { afterFailure, DELIVERY_TIMEOUT_MS, delivered, excerpt, noAnswer, retryDelaySeconds, shouldDisable } from "./decide";
import type { DeliveryRow, EndpointRow } from "./endpoints";
import type { WebhookEvent } from "./events";
import type { WebhookQueueMessage } from "./message";
import { openSecret } from "./secrets";

/** How many endpoints one event is POSTed to at once. */
export const PARALLEL_POSTS = 6;

export type WebhookDeps = {
  /** Where POSTs go (the platform's fetch; a receiving stand-in in tests). */
  fetch: typeof fetch;
  now: () => Date;
};

type ConsumerEnv = Pick<Env, "MAIL_QUEUE" | "URGENT_MAIL_QUEUE"> & {
  DB: D1Database;
  ROLLCALL_SIGNING_SECRET: string;
  ROLLCALL_SIGNING_SECRET_PREVIOUS?: string;
};

export async function handleWebhookQueue(
  batch: MessageBatch<WebhookQueueMessage>,
  env: ConsumerEnv,
  deps: WebhookDeps = { fetch: (input, init) => fetch(input, init), now: () => new Date() },
): Promise<void> {
  // Each org's enabled endpoints are read once for the whole batch: most events of a busy session
  // go to an org with no endpoint at all, and are then done without another query.
  const read = new Map<string, Promise<EndpointRow[]>>();
  const enabled: EnabledEndpoints = {
    of(orgId) {
      let found = read.get(orgId);
      if (!found) {
        found = enabledEndpoints(env.DB, orgId);
        // A failed read is not kept: the next event of the org reads again.
        found.catch(() => read.delete(orgId));
        read.set(orgId, found);
      }
      return found;
    },
    forget: (orgId) => read.delete(orgId),
  };
  for (const message of batch.messages) {
    try {
      const outcome = await deliverEvent(env, deps, message.body, message.attempts, enabled);
      if (outcome.retry) message.retry({ delaySeconds: outcome.delaySeconds });
      else message.ack();
    } catch (error) {
      // D1 or a secret could not be read: nothing was decided, the queue tries the whole event again.
      console.error(`webhooks: event ${message.body.event?.id} failed before delivery`, error);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/** What became of one try of an event: done (delivered or given up), or to be tried again. */
export type EventOutcome = { retry: false } | { retry: true; delaySeconds: number };

/** An org's enabled endpoints, read once and read again after one of them may have been disabled. */
type EnabledEndpoints = { of: (orgId: string) => Promise<EndpointRow[]>; forget: (orgId: string) => void };

async function enabledEndpoints(database: D1Database, orgId: string): Promise<EndpointRow[]> {
  // Awaited here: a drizzle query runs again each time it is awaited, and this promise is shared.
  return await drizzle(database)
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.enabled, true)));
}

async function deliverEvent(
  env: ConsumerEnv,
  deps: WebhookDeps,
  body: WebhookQueueMessage,
  attempt: number,
  enabled: EnabledEndpoints,
): Promise<EventOutcome> {
  const { event, endpointId } = body;
  const db = drizzle(env.DB);
  // A test event or a "send again" names its endpoint, enabled or not; any other event goes to the
  // org's enabled endpoints that subscribe to its type.
  const endpoints = endpointId
    ? await db
        .select()
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.orgId, event.orgId), eq(webhookEndpoints.id, endpointId)))
    : (await enabled.of(event.orgId)).filter((e) => (e.events as string[]).includes(event.type));
  if (endpoints.length === 0) return { retry: false };

  const payload = JSON.stringify(event);
  const now = deps.now().toISOString();
  const fresh = endpoints.map((e) => ({
    id: newId("whd"),
    endpointId: e.id,
    orgId: event.orgId,
    eventId: event.id,
    eventType: event.type,
    payload,
    status: "pending",
    createdAt: now,
  }));
  // Nine bound values a row: ten rows a statement stays under D1's 100.
  for (let i = 0; i < fresh.length; i += 10)
    await db
      .insert(webhookDeliveries)
      .values(fresh.slice(i, i + 10))
      .onConflictDoNothing();
  // This event's pending deliveries, to the endpoints chosen above (filtered here, not in the query:
  // an org's endpoints may outnumber D1's 100 bound values a statement).
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const rows = (
    await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.eventId, event.id), eq(webhookDeliveries.status, "pending")))
  ).filter((row) => byId.has(row.endpointId));
  // A few POSTs at a time (a Worker keeps at most six connections open), so one slow endpoint
  // does not hold the others back by its whole timeout.
  const failed: { row: DeliveryRow; endpoint: EndpointRow }[] = [];
  for (let i = 0; i < rows.length; i += PARALLEL_POSTS)
    await Promise.all(
      rows.slice(i, i + PARALLEL_POSTS).map(async (row) => {
        const endpoint = byId.get(row.endpointId)!;
        if (!(await attempt1(env, deps, endpoint, row))) failed.push({ row, endpoint });
      }),
    );
  if (failed.length === 0) return { retry: false };
  for (const { endpoint } of failed) await disableIfFailing(env, deps, endpoint.id);
  enabled.forget(event.orgId);

  // A test event or a delivery sent again by a member is tried once: its log row shows the answer.
  const next = endpointId ? ({ retry: false } as const) : afterFailure(event.createdAt, attempt, deps.now());
  if (next.retry) return next;
  const ids = failed.map((f) => f.row.id);
  for (let i = 0; i < ids.length; i += 90)
    await db
      .update(webhookDeliveries)
      .set({ status: "failed" })
      .where(inArray(webhookDeliveries.id, ids.slice(i, i + 90)));
  return { retry: false };
}

/** One POST of a delivery, recorded in its row and in its endpoint's failure streak. Returns whether it was received. */
async function attempt1(env: ConsumerEnv, deps: WebhookDeps, endpoint: EndpointRow, row: DeliveryRow): Promise<boolean> {
  const sentAt = deps.now();
  const headers = {
    "content-type": "application/json",
    "user-agent": "Rollcall-Webhooks/1",
    "webhook-id": row.eventId,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": await signatures(env, endpoint, row.eventId, sentAt, row.payload),
  };
  const started = Date.now();
  let status: number | null = null;
  let text: string;
  try {
    const response = await deps.fetch(endpoint.url, {
      method: "POST",
      headers,
      body: row.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    status = response.status;
    text = await response.text().catch((error: unknown) => `(body unreadable: ${String(error)})`);
  } catch (error) {
    text = noAnswer(error instanceof Error ? error.message : String(error));
  }
  const latencyMs = Date.now() - started;
  const ok = delivered(status);
  const at = deps.now().toISOString();
  const db = drizzle(env.DB);
  await db.batch([
    db
      .update(webhookDeliveries)
      .set({
        status: ok ? "succeeded" : "pending",
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        responseStatus: status,
        latencyMs,
        responseExcerpt: excerpt(text),
        lastAttemptAt: at,
      })
      .where(eq(webhookDeliveries.id, row.id)),
    db
      .update(webhookEndpoints)
      .set({ failingSince: ok ? null : sql`coalesce(${webhookEndpoints.failingSince}, ${at})` })
      .where(eq(webhookEndpoints.id, endpoint.id)),
  ]);
  return ok;
}

/**
 * The `webhook-signature` header: `v1,<base64>` under the endpoint's secret, and under the previous
 * one too while a rotation's overlap lasts (space-separated, as Standard Webhooks allows).
 */
async function signatures(env: ConsumerEnv, endpoint: EndpointRow, eventId: string, at: Date, payload: string): Promise<string> {
  const secrets = [await openSecret(env, endpoint.secretSealed)];
  if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > at.toISOString())
    secrets.push(await openSecret(env, endpoint.previousSecretSealed));
  return secrets.map((secret) => new Webhook(secret).sign(eventId, at, payload)).join(" ");
}

/** Disables an endpoint failing for 3 days; the one call that flips it emails the org's owners. */
async function disableIfFailing(env: ConsumerEnv, deps: WebhookDeps, endpointId: string): Promise<void> {
  const db = drizzle(env.DB);
  const endpoint = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).get();
  const now = deps.now();
  if (!endpoint?.enabled || !shouldDisable(endpoint.failingSince, now)) return;
  const flipped = await db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledAt: now.toISOString(), disabledReason: "failures", updatedAt: now.toISOString() })
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.enabled, true), isNull(webhookEndpoints.disabledAt)))
    .returning({ id: webhookEndpoints.id });
  if (flipped.length === 0) return;
  const org = await db.select().from(orgs).where(eq(orgs.id, endpoint.orgId)).get();
  const owners = await db
    .select({ email: members.email })
    .from(members)
    .where(and(eq(members.orgId, endpoint.orgId), eq(members.role, "owner")));
  const locale: Locale = org?.settings.defaultLocale ?? DEFAULT_LOCALE;
  for (const { email } of owners) {
    const mail: MailMessage<"webhook_disabled"> = {
      id: `msg_${randomSecret(12)}`,
      template: "webhook_disabled",
      to: email,
      locale,
      data: { orgName: org?.name ?? "", url: endpoint.url, failingSince: endpoint.failingSince! },
    };
    await mailQueues(env).send(mail, { contentType: "json" });
  }
}

export type { WebhookEvent };
