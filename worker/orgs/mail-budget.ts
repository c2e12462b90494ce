// Each organisation's hourly mail budget: every email sent on its behalf (invitations,
// confirmations, codes…) counts in the UTC hour it is sent, up to MAIL_HOURLY_BUDGET (1,000 by
// default). The mail consumer reserves before it sends and has what does not fit wait for the next
// hour; the API refuses to start a send the hour cannot cover (`mail_budget_exceeded`). Mail of no
// org (sign-in links, the owner's alert) is never counted, so no org can delay a sign-in.
// What someone waits for with a page open (a one-time code, a confirmation code, the link to manage
// a registration: email/queues.ts) may go a tenth past the budget, so a launch that spends the hour
// does not keep its last registrants from their codes; past that, it waits too, so a public page
// that emails codes cannot be made to mail without end.

import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { mailBudget, members } from "../db/schema";
import { type Failure, fail, type Outcome, ok } from "../errors/problem";

export const DEFAULT_MAIL_HOURLY_BUDGET = 1000;
const HOUR_MS = 3_600_000;
/** Counts of finished hours are kept this long, then swept. */
const KEEP_MS = 24 * HOUR_MS;

/** The hourly budget this deployment gives every org. */
export function mailHourlyBudget(env: { MAIL_HOURLY_BUDGET?: string }): number {
  const value = Number(env.MAIL_HOURLY_BUDGET);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAIL_HOURLY_BUDGET;
}

/** How many more emails someone waits for (codes, links) an org may send in an hour once its budget is spent. */
export const urgentAllowance = (limit: number): number => Math.ceil(limit / 10);

/** The UTC hour `at` falls in. */
export function mailWindow(at: Date): { start: string; end: Date } {
  const start = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
  return { start: new Date(start).toISOString(), end: new Date(start + HOUR_MS) };
}

/** Seconds from `at` until the next hour, when the budget starts again (at least 1). */
export function secondsToNextWindow(at: Date): number {
  return Math.max(1, Math.ceil((mailWindow(at).end.getTime() - at.getTime()) / 1000));
}

/** The refusal of a send that needs `wanted` emails when only `left` remain this hour. */
export function budgetRefusal(wanted: number, left: number, limit: number, at: Date): Failure | null {
  if (wanted <= left) return null;
  const resumes = mailWindow(at).end.toISOString().slice(11, 16);
  return fail(
    "mail_budget_exceeded",
    `This would send up to ${wanted} emails, and your organisation can send ${left} more of its ${limit} an hour until ${resumes} UTC.`,
    { limit, remaining: left, retryAfter: secondsToNextWindow(at) },
  ).error;
}

/** Emails the org may still send this hour. */
export async function mailLeft(database: D1Database, orgId: string, limit: number, at: Date): Promise<number> {
  const row = await drizzle(database)
    .select({ sent: mailBudget.sent })
    .from(mailBudget)
    .where(and(eq(mailBudget.orgId, orgId), eq(mailBudget.windowStart, mailWindow(at).start)))
    .get();
  return Math.max(0, limit - (row?.sent ?? 0));
}

/**
 * Counts up to `wanted` emails of the org in this hour, as many as its budget has left, in one
 * statement (no other reservation can slip between the read and the write). Returns how many
 * were granted. Finished hours older than a day are swept in the same round trip.
 */
export async function reserveMail(database: D1Database, orgId: string, wanted: number, limit: number, at: Date): Promise<number> {
  const window = mailWindow(at).start;
  const [reserved] = await database.batch<{ granted: number }>([
    // SET expressions read the row as it was, so `granted` is computed from the old `sent`.
    database
      .prepare(
        `insert into mail_budget (org_id, window_start, sent, granted) values (?1, ?2, min(?3, ?4), min(?3, ?4))
         on conflict (org_id, window_start) do update set
           granted = max(0, min(?4, mail_budget.sent + ?3) - mail_budget.sent),
           sent = max(mail_budget.sent, min(?4, mail_budget.sent + ?3))
         returning granted`,
      )
      .bind(orgId, window, wanted, limit),
    database.prepare("delete from mail_budget where window_start < ?1").bind(new Date(at.getTime() - KEEP_MS).toISOString()),
  ]);
  return reserved?.results[0]?.granted ?? 0;
}

/**
 * Marks the hour's budget alert as sent; true only for the first caller of the hour, who then
 * tells the owners. Returns their addresses.
 */
export async function takeBudgetAlert(database: D1Database, orgId: string, at: Date): Promise<Outcome<string[]>> {
  const db = drizzle(database);
  const marked = await db
    .update(mailBudget)
    .set({ alertedAt: at.toISOString() })
    .where(and(eq(mailBudget.orgId, orgId), eq(mailBudget.windowStart, mailWindow(at).start), isNull(mailBudget.alertedAt)))
    .returning({ orgId: mailBudget.orgId });
  if (marked.length === 0) return fail("invalid_transition", "The owners were already told this hour.");
  const owners = await db
    .select({ email: members.email })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.role, "owner")));
  return ok(owners.map((o) => o.email));
}
