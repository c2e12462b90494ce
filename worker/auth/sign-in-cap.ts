// The daily cap on sign-in links per address. The per-minute limits (SIGNIN_*_LIMITER in
// wrangler.toml) stop a burst, but a script spread over many clients could still send an address
// a few links every minute, all day: each one an email in someone's inbox. Past the cap, the
// address gets no more links until the next UTC day. Counting runs in D1 (rate-limit bindings
// only have 10- and 60-second windows); deciding is the pure function below.

import { lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { signInRequests } from "../db/schema";
import { sha256Hex } from "../ids/ids";

/** Far above what a person asks for in a day (three slow mails, a few browsers), far below a mail cannon. */
export const SIGN_IN_LINKS_PER_DAY = 10;

const DAY_MS = 24 * 60 * 60_000;

export type DailyVerdict = { ok: true } | { ok: false; retryAfter: number };

/** The count of today's requests (this one included) against the cap; refused until the next UTC midnight. */
export function dailyVerdict(count: number, now: Date, cap = SIGN_IN_LINKS_PER_DAY): DailyVerdict {
  if (count <= cap) return { ok: true };
  const nextDay = Math.floor(now.getTime() / DAY_MS + 1) * DAY_MS;
  return { ok: false, retryAfter: Math.ceil((nextDay - now.getTime()) / 1000) };
}

/**
 * Counts one request for a sign-in link to `addressKey` (the normalised address, emailKey) today,
 * and answers whether it is within the cap. One atomic upsert; yesterday's rows go in the same batch.
 */
export async function countSignInRequest(database: D1Database, addressKey: string, now: Date): Promise<DailyVerdict> {
  const day = now.toISOString().slice(0, 10);
  const addressHash = await sha256Hex(`sign-in:${addressKey}`);
  const db = drizzle(database);
  const [, counted] = await db.batch([
    db.delete(signInRequests).where(lt(signInRequests.day, day)),
    db
      .insert(signInRequests)
      .values({ addressHash, day, count: 1 })
      .onConflictDoUpdate({ target: [signInRequests.addressHash, signInRequests.day], set: { count: sql`${signInRequests.count} + 1` } })
      .returning({ count: signInRequests.count }),
  ]);
  return dailyVerdict(counted[0]?.count ?? 1, now);
}
