// The discount-code catalogue in D1: create, list, read, edit and archive an org's codes, and
// find one by what a person typed.

import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { discountCodes, discountRedemptions, programs, sessions } from "../db/schema";
import { type FieldError, fieldError } from "../errors/fields";
import { fail, type Outcome, ok } from "../errors/problem";
import { newId } from "../ids/ids";
import type { Price } from "../sessions/price";
import { type DiscountRule, normaliseCode } from "./decide";
import type { CreateDiscountCodeInput, DiscountCodeView, UpdateDiscountCodeInput } from "./schemas";

const uses = sql<number>`(select count(*) from ${discountRedemptions} where ${discountRedemptions.discountId} = ${discountCodes.id})`;

const columns = {
  id: discountCodes.id,
  code: discountCodes.code,
  percentOff: discountCodes.percentOff,
  amountOff: discountCodes.amountOff,
  currency: discountCodes.currency,
  validFrom: discountCodes.validFrom,
  validUntil: discountCodes.validUntil,
  maxUses: discountCodes.maxUses,
  uses,
  sessionIds: discountCodes.sessionIds,
  programIds: discountCodes.programIds,
  active: discountCodes.active,
  createdAt: discountCodes.createdAt,
  updatedAt: discountCodes.updatedAt,
};

export async function listDiscountCodes(database: D1Database, orgId: string, active?: boolean): Promise<DiscountCodeView[]> {
  const where = active == null ? eq(discountCodes.orgId, orgId) : and(eq(discountCodes.orgId, orgId), eq(discountCodes.active, active));
  return drizzle(database).select(columns).from(discountCodes).where(where).orderBy(asc(discountCodes.code)).all();
}

export async function readDiscountCode(database: D1Database, orgId: string, id: string): Promise<DiscountCodeView | null> {
  const row = await drizzle(database)
    .select(columns)
    .from(discountCodes)
    .where(and(eq(discountCodes.orgId, orgId), eq(discountCodes.id, id)))
    .get();
  return row ?? null;
}

/** The org's code as typed (any case), with its id and the uses counted now; null when there is none. */
export async function findDiscountCode(
  database: D1Database,
  orgId: string,
  typed: string,
): Promise<(DiscountRule & { id: string; uses: number }) | null> {
  const row = await drizzle(database)
    .select(columns)
    .from(discountCodes)
    .where(and(eq(discountCodes.orgId, orgId), eq(discountCodes.code, normaliseCode(typed))))
    .get();
  return row ?? null;
}

/** The programs a session belongs to (what a code restricted to programs is checked against). */
export async function programsOfSession(database: D1Database, sessionId: string): Promise<string[]> {
  const rows = await database
    .prepare("select program_id from program_sessions where session_id = ?")
    .bind(sessionId)
    .all<{ program_id: string }>();
  return rows.results.map((r) => r.program_id);
}

/**
 * The org of a session and its price, from D1's copy of the session: the price as the session
 * describes it (`price: {amount, currency}`), null for a free session. Null when D1 has no such
 * session.
 */
export async function sessionPricing(database: D1Database, sessionId: string): Promise<{ orgId: string; price: Price | null } | null> {
  const row = await database
    .prepare("select org_id, snapshot from sessions where id = ?")
    .bind(sessionId)
    .first<{ org_id: string; snapshot: string }>();
  if (!row) return null;
  const price = (JSON.parse(row.snapshot) as { price?: Partial<Price> | null }).price;
  const priced = price && Number.isInteger(price.amount) && typeof price.currency === "string" && (price.amount ?? 0) > 0;
  return { orgId: row.org_id, price: priced ? { amount: price.amount as number, currency: price.currency as string } : null };
}

/** Refuses restrictions naming sessions or programs that are not the org's. */
async function checkRestrictions(database: D1Database, orgId: string, body: { sessionIds?: string[]; programIds?: string[] }) {
  const db = drizzle(database);
  const errors: FieldError[] = [];
  const sessionIds = [...new Set(body.sessionIds ?? [])];
  const programIds = [...new Set(body.programIds ?? [])];
  if (sessionIds.length) {
    const found = new Set(
      (
        await db
          .select({ id: sessions.id })
          .from(sessions)
          .where(and(eq(sessions.orgId, orgId), inArray(sessions.id, sessionIds)))
      ).map((r) => r.id),
    );
    for (const [i, id] of sessionIds.entries())
      if (!found.has(id)) errors.push(fieldError(`sessionIds.${i}`, "not_yours", "is not a session of the organisation", { id }));
  }
  if (programIds.length) {
    const found = new Set(
      (
        await db
          .select({ id: programs.id })
          .from(programs)
          .where(and(eq(programs.orgId, orgId), inArray(programs.id, programIds)))
      ).map((r) => r.id),
    );
    for (const [i, id] of programIds.entries())
      if (!found.has(id)) errors.push(fieldError(`programIds.${i}`, "not_yours", "is not a program of the organisation", { id }));
  }
  return errors.length
    ? fail("validation_failed", "Some restrictions name sessions or programs that are not yours.", undefined, errors)
    : null;
}

export async function createDiscountCode(
  database: D1Database,
  orgId: string,
  body: CreateDiscountCodeInput,
  now: Date,
): Promise<Outcome<DiscountCodeView>> {
  const refused = await checkRestrictions(database, orgId, body);
  if (refused) return refused;
  const at = now.toISOString();
  const id = newId("dsc");
  const inserted = await drizzle(database)
    .insert(discountCodes)
    .values({
      id,
      orgId,
      code: body.code,
      percentOff: body.percentOff ?? null,
      amountOff: body.amountOff ?? null,
      currency: body.currency ?? null,
      validFrom: body.validFrom ?? null,
      validUntil: body.validUntil ?? null,
      maxUses: body.maxUses ?? null,
      sessionIds: [...new Set(body.sessionIds ?? [])],
      programIds: [...new Set(body.programIds ?? [])],
      active: true,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: discountCodes.id });
  if (!inserted.length) return fail("discount_code_taken", `The organisation already has the code ${body.code}.`);
  return ok((await readDiscountCode(database, orgId, id)) as DiscountCodeView);
}

export async function updateDiscountCode(
  database: D1Database,
  orgId: string,
  id: string,
  body: UpdateDiscountCodeInput,
  now: Date,
): Promise<Outcome<DiscountCodeView>> {
  const current = await readDiscountCode(database, orgId, id);
  if (!current) return fail("not_found", "No such discount code.");
  const validFrom = body.validFrom === undefined ? current.validFrom : body.validFrom;
  const validUntil = body.validUntil === undefined ? current.validUntil : body.validUntil;
  if (validFrom && validUntil && validUntil <= validFrom)
    return fail("validation_failed", "The code's window ends before it starts.", undefined, [
      fieldError("validUntil", "ends_before_start", "must be after validFrom"),
    ]);
  const refused = await checkRestrictions(database, orgId, body);
  if (refused) return refused;
  const changes = {
    ...(body.validFrom !== undefined ? { validFrom: body.validFrom } : {}),
    ...(body.validUntil !== undefined ? { validUntil: body.validUntil } : {}),
    ...(body.maxUses !== undefined ? { maxUses: body.maxUses } : {}),
    ...(body.sessionIds ? { sessionIds: [...new Set(body.sessionIds)] } : {}),
    ...(body.programIds ? { programIds: [...new Set(body.programIds)] } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
  };
  await drizzle(database)
    .update(discountCodes)
    .set({ ...changes, updatedAt: now.toISOString() })
    .where(and(eq(discountCodes.orgId, orgId), eq(discountCodes.id, id)));
  return ok((await readDiscountCode(database, orgId, id)) as DiscountCodeView);
}

/** What a code may be restricted to: the org's sessions (latest first, at most 200) and programs. */
export async function restrictionChoices(database: D1Database, orgId: string) {
  const db = drizzle(database);
  const [sessionRows, programRows] = await Promise.all([
    db
      .select({ id: sessions.id, title: sessions.title, startsAt: sessions.startsAt, timeZone: sessions.timeZone })
      .from(sessions)
      .where(eq(sessions.orgId, orgId))
      .orderBy(sql`${sessions.startsAt} desc`)
      .limit(200),
    db.select({ id: programs.id, name: programs.name }).from(programs).where(eq(programs.orgId, orgId)).orderBy(asc(programs.name)),
  ]);
  return { sessions: sessionRows, programs: programRows };
}
