// Discount arithmetic and the rules of a code, as plain functions: what a code takes off a price,
// or why it does not apply. Every path that accepts a code (an invitation, the public join form,
// checkout) asks `quote`.

import { fail, type Outcome, ok } from "../errors/problem";
import type { Price } from "../sessions/price";

/** A code as the catalogue holds it (worker/db/schema.ts discount_codes). */
export type DiscountRule = {
  code: string;
  active: boolean;
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  validFrom: string | null;
  validUntil: string | null;
  maxUses: number | null;
  sessionIds: string[];
  programIds: string[];
};

/** What a code takes off: handed to checkout (payments) as it is. */
export type DiscountQuote = { code: string; amountOff: number };

export type QuoteContext = {
  sessionId: string;
  /** The programs the session belongs to. */
  programIds: string[];
  /** Null for a free session: no code applies to it. */
  price: Price | null;
  at: Date;
  /** Uses already counted (redemptions). */
  uses: number;
};

/** The form a code is stored and compared in: trimmed, upper case (codes are case-insensitive). */
export const normaliseCode = (code: string) => code.trim().toUpperCase();

/** Whether a code is known and not archived, and inside its validity window at `at`. */
export function usable(rule: DiscountRule | null, at: Date): Outcome<DiscountRule> {
  if (!rule?.active) return fail("discount_invalid", "No such discount code.");
  const now = at.getTime();
  if (rule.validFrom && now < Date.parse(rule.validFrom)) return fail("discount_expired", "This discount code is not valid yet.");
  if (rule.validUntil && now >= Date.parse(rule.validUntil)) return fail("discount_expired", "This discount code has expired.");
  return ok(rule);
}

/** Whether a code's restrictions let it apply to a session (no restriction: every session). */
export function appliesTo(rule: DiscountRule, sessionId: string, programIds: string[]): boolean {
  if (rule.sessionIds.length === 0 && rule.programIds.length === 0) return true;
  return rule.sessionIds.includes(sessionId) || programIds.some((id) => rule.programIds.includes(id));
}

/** What `rule` takes off `price`: a percentage rounded to the minor unit, or a fixed amount, never more than the price. */
export function amountOff(rule: DiscountRule, price: Price): number {
  const off = rule.percentOff != null ? Math.round((price.amount * rule.percentOff) / 100) : (rule.amountOff ?? 0);
  return Math.min(off, price.amount);
}

/**
 * The discount `rule` gives on a session, or why it gives none: unknown or archived
 * (`discount_invalid`), outside its window (`discount_expired`), restricted to other sessions or
 * programs, a free session, or a fixed amount in another currency (`discount_not_applicable`),
 * used `maxUses` times already (`discount_exhausted`).
 */
export function quote(rule: DiscountRule | null, context: QuoteContext): Outcome<DiscountQuote> {
  const found = usable(rule, context.at);
  if (!found.ok) return found;
  const r = found.value;
  if (!appliesTo(r, context.sessionId, context.programIds))
    return fail("discount_not_applicable", "This discount code is for other sessions.");
  if (!context.price) return fail("discount_not_applicable", "This session is free: no discount applies.");
  if (r.amountOff != null && r.currency?.toUpperCase() !== context.price.currency.toUpperCase())
    return fail("discount_not_applicable", `This discount code is in ${r.currency}, the session's price in ${context.price.currency}.`);
  if (r.maxUses != null && context.uses >= r.maxUses) return fail("discount_exhausted", "This discount code has been used up.");
  return ok({ code: r.code, amountOff: amountOff(r, context.price) });
}
