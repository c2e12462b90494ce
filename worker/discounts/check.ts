// The catalogue's word on a code that an invitation or a registration names, before the
// session's ledger stores it: the code as the catalogue spells it, or a refusal.

import { fail, type Outcome, ok } from "../errors/problem";
import { appliesTo, type DiscountQuote, quote, usable } from "./decide";
import { redeem } from "./redemptions";
import { findDiscountCode, listDiscountCodes, programsOfSession, sessionPricing } from "./store";

/**
 * An invitation's code: known, not archived, inside its window now, and not restricted to other
 * sessions. Its uses are counted at checkout, not here (an invitation may never be accepted).
 */
export async function checkInvitationDiscount(
  database: D1Database,
  orgId: string,
  sessionId: string,
  typed: string,
  now: Date,
): Promise<Outcome<string>> {
  const found = usable(await findDiscountCode(database, orgId, typed), now);
  if (!found.ok) return found;
  if (!appliesTo(found.value, sessionId, await programsOfSession(database, sessionId)))
    return fail("discount_not_applicable", "This discount code is restricted to other sessions.");
  return ok(found.value.code);
}

/** The codes an invitation to `sessionId` may name at `now` (what checkInvitationDiscount accepts). */
export async function invitationDiscounts(database: D1Database, orgId: string, sessionId: string, now: Date) {
  const [codes, programIds] = await Promise.all([listDiscountCodes(database, orgId, true), programsOfSession(database, sessionId)]);
  return codes.filter((code) => usable(code, now).ok && appliesTo(code, sessionId, programIds));
}

/**
 * A code typed on the public join form (or an invitation's), quoted against the session's price,
 * and one of its uses claimed for `registrationId` in the same step (redeem): `discount_exhausted`
 * when another registration took the last use meanwhile. An unknown session is an unknown code
 * here; the ledger answers for the session itself. The caller gives the use back (release) if the
 * registration is not made after all.
 */
export async function claimTypedDiscount(
  database: D1Database,
  sessionId: string,
  typed: string,
  registrationId: string,
  now: Date,
): Promise<Outcome<DiscountQuote>> {
  const session = await sessionPricing(database, sessionId);
  const rule = session ? await findDiscountCode(database, session.orgId, typed) : null;
  const programIds = rule ? await programsOfSession(database, sessionId) : [];
  const quoted = quote(rule, { sessionId, programIds, price: session?.price ?? null, at: now, uses: rule?.uses ?? 0 });
  if (!quoted.ok || !rule || !session) return quoted;
  const used = await redeem(database, session.orgId, rule.id, registrationId, now);
  return used.ok ? quoted : used;
}
