// What an invitation email's discount code leaves to pay (seed 000: the link leads to the session
// "including any discount"): priced when the email goes, from the org's catalogue, as the
// invitation's page prices it (payments/checkout.ts invitedPrice). One lookup per session and code.

import type { SessionOrg } from "../orgs/orgs";
import { invitedPrice } from "../payments/checkout";
import type { Price } from "../sessions/price";
import type { MailMessage } from "./message";

/** Adds `toPay` to each invitation email of a priced session that names a discount code. */
export async function priceInvitations(
  database: D1Database,
  messages: readonly MailMessage[],
  orgs: ReadonlyMap<string, SessionOrg>,
  now: Date,
): Promise<void> {
  const quotes = new Map<string, Promise<Price | null>>();
  await Promise.all(
    messages.map(async (m) => {
      if (m.template !== "invitation") return;
      const d = m.data;
      const org = m.sessionId ? orgs.get(m.sessionId) : undefined;
      if (!m.sessionId || !org || !d.discountCode || !d.price || d.toPay !== undefined) return;
      const key = `${m.sessionId} ${d.discountCode}`;
      const seat = { sessionId: m.sessionId, price: d.price, invitationDiscount: d.discountCode };
      if (!quotes.has(key)) quotes.set(key, invitedPrice(database, org.orgId, seat, now));
      d.toPay = await quotes.get(key)!;
    }),
  );
}
