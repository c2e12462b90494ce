// Incoming provider events (Resend's, Stripe's) handled once each: the event's id is claimed in
// D1's webhook_events before it is applied, a replay finds it claimed, and a failure forgets it so
// that the provider's retry is handled. Ids are kept longer than any provider retries an event
// (Stripe: 3 days), one window for the whole table, so that no provider's sweep drops another's ids.

import { eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { webhookEvents } from "../db/schema";

const SEEN_FOR_MS = 4 * 24 * 60 * 60 * 1000;

/** Applies the event `id` unless it was handled before: `replayed` then, else what `apply` gave. */
export async function handleOnce<T>(
  database: D1Database,
  event: { id: string; type: string },
  now: Date,
  apply: () => Promise<T>,
): Promise<{ replayed: true } | { replayed: false; value: T }> {
  const db = drizzle(database);
  const [, claimed] = await db.batch([
    db.delete(webhookEvents).where(lt(webhookEvents.receivedAt, new Date(now.getTime() - SEEN_FOR_MS).toISOString())),
    db
      .insert(webhookEvents)
      .values({ id: event.id, type: event.type, receivedAt: now.toISOString() })
      .onConflictDoNothing()
      .returning({ id: webhookEvents.id }),
  ]);
  if (claimed.length === 0) return { replayed: true };
  try {
    return { replayed: false, value: await apply() };
  } catch (error) {
    await db.delete(webhookEvents).where(eq(webhookEvents.id, event.id));
    throw error;
  }
}
