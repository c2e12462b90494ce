// Uses of a discount code, counted safely under concurrency: a use is a row of
// discount_redemptions, inserted by one statement only while fewer than `maxUses` rows exist
// (D1 runs each statement alone, so no two registrations can both take the last use). Payments
// A public registration claims its use (redeem) before the ledger holds its seat; from then on
// the ledger's projection keeps the uses in step with the registrations (discountUseStatements):
// a registration cancelled before it paid (its hold lapsed, abandoned, cancelled) gives its use
// back, and one that holds or paid with a code keeps one. A use claimed for a registration that
// never came (the worker stopped before the ledger call) is given back by the hourly cron
// (releaseLeakedUses).

import { fail, type Outcome, ok } from "../errors/problem";

/**
 * Counts a use of discount `discountId` by `registrationId`: ok when counted (or already counted
 * for this registration: a retry does not count twice), `discount_exhausted` when its uses are
 * all taken, `discount_invalid` when it is archived or not the org's.
 */
export async function redeem(
  database: D1Database,
  orgId: string,
  discountId: string,
  registrationId: string,
  now: Date,
): Promise<Outcome<{ discountId: string; registrationId: string }>> {
  const [inserted, existing] = await database.batch([
    database
      .prepare(
        `insert or ignore into discount_redemptions (discount_id, registration_id, org_id, redeemed_at)
         select d.id, ?2, d.org_id, ?3 from discount_codes d
         where d.id = ?1 and d.org_id = ?4 and d.active = 1
           and (d.max_uses is null or (select count(*) from discount_redemptions r where r.discount_id = d.id) < d.max_uses)`,
      )
      .bind(discountId, registrationId, now.toISOString(), orgId),
    database.prepare("select 1 from discount_redemptions where discount_id = ? and registration_id = ?").bind(discountId, registrationId),
  ]);
  if (inserted?.meta.changes === 1 || existing?.results.length) return ok({ discountId, registrationId });
  const code = await database
    .prepare("select active from discount_codes where id = ? and org_id = ?")
    .bind(discountId, orgId)
    .first<{ active: number }>();
  if (!code?.active) return fail("discount_invalid", "No such discount code.");
  return fail("discount_exhausted", "This discount code has been used up.");
}

/** Gives back the use a registration held (its hold ended unpaid, or it was cancelled before paying); true when one was held. */
export async function release(database: D1Database, registrationId: string): Promise<boolean> {
  const result = await database.prepare("delete from discount_redemptions where registration_id = ?").bind(registrationId).run();
  return result.meta.changes > 0;
}

/**
 * A use claimed this long ago whose registration is not in D1 never got one: the worker stopped
 * between the claim and the ledger call, so nothing will release it. Two hours is four times the
 * longest hold (a checkout's 31 minutes; but a hold does not matter here: every registration,
 * pending_payment and cancelled included, is projected at its first drain, right after the ledger's
 * commit) and leaves the projection two hours of failed drains (retried at most 5 minutes apart)
 * before a use is taken for leaked. Should a projection be later still, its discount use statement
 * counts the use again when the registration arrives.
 */
export const LEAKED_USE_AFTER_MS = 2 * 60 * 60_000;
/**
 * The claims the sweep looks at: those made in the two days before LEAKED_USE_AFTER_MS, so each run
 * reads one window through the redeemed_at index rather than every use ever; an hourly cron gives
 * each claim some 48 runs.
 */
export const LEAKED_USE_WINDOW_MS = 2 * 24 * 60 * 60_000;
/** Uses released per statement, and statements per run: at most 1,000 a run, the rest next hour. */
const SWEEP_BATCH = 100;
const SWEEP_BATCHES = 10;

/**
 * The cron's sweep: releases uses claimed between LEAKED_USE_WINDOW_MS and LEAKED_USE_AFTER_MS ago
 * under a registration id D1's registrations projection does not have. Each statement checks and
 * deletes at once, so a registration projected meanwhile keeps its use.
 */
export async function releaseLeakedUses(database: D1Database, now: Date): Promise<{ released: number }> {
  const before = new Date(now.getTime() - LEAKED_USE_AFTER_MS).toISOString();
  const after = new Date(now.getTime() - LEAKED_USE_AFTER_MS - LEAKED_USE_WINDOW_MS).toISOString();
  const statement = database
    .prepare(
      `delete from discount_redemptions where rowid in (
         select d.rowid from discount_redemptions d
         where d.redeemed_at > ?1 and d.redeemed_at <= ?2
           and not exists (select 1 from registrations r where r.id = d.registration_id)
         order by d.redeemed_at limit ?3)`,
    )
    .bind(after, before, SWEEP_BATCH);
  let released = 0;
  for (let run = 0; run < SWEEP_BATCHES; run++) {
    const changes = (await statement.run()).meta.changes;
    released += changes;
    if (changes < SWEEP_BATCH) break;
  }
  return { released };
}

/** A registration naming a discount code, as the ledger's projection hands it over. */
export type DiscountUse = { registrationId: string; orgId: string; code: string; held: boolean };

/**
 * The statements that bring discount_redemptions in step with these registrations: a use `held`
 * (awaiting payment, waiting in line, confirmed, or paid) is kept or counted (after the fact: a
 * late payment whose hold had lapsed, an invitation's code), one not held (cancelled unpaid) is
 * given back. Idempotent, so the projection may send them again.
 */
export function discountUseStatements(database: D1Database, uses: DiscountUse[], now: Date): D1PreparedStatement[] {
  return uses.map((u) =>
    u.held
      ? database
          .prepare(
            `insert or ignore into discount_redemptions (discount_id, registration_id, org_id, redeemed_at)
             select d.id, ?1, d.org_id, ?2 from discount_codes d where d.org_id = ?3 and d.code = ?4`,
          )
          .bind(u.registrationId, now.toISOString(), u.orgId, u.code)
      : database.prepare("delete from discount_redemptions where registration_id = ?").bind(u.registrationId),
  );
}
