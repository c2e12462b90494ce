// A session's price: an amount in the currency's minor units (cents, yen…) and its ISO 4217 code.
// Free sessions have no price (null). Plain functions shared by the schemas, the ledger, the pages
// and the emails; the widget formats the same shape with Intl.NumberFormat in the browser.

import { z } from "@hono/zod-openapi";
import { because } from "../errors/fields";

/** The largest amount a price may have (in minor units): Stripe's own ceiling for one charge. */
export const MAX_PRICE_AMOUNT = 99_999_999;

/** The longest refund window a session may set, in days before its start. */
export const MAX_REFUND_UNTIL_DAYS = 365;

export type Price = { amount: number; currency: string };

let currencies: Set<string> | undefined;

/** An ISO 4217 code the runtime knows how to format (the same list Intl formats with). */
export function isCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf("currency"));
  return currencies.has(code);
}

/** An ISO 4217 code the runtime formats, in any case: a session's price and a discount's amount take it alike. */
export const Currency = z
  .string()
  .trim()
  .transform((c) => c.toUpperCase())
  .refine(isCurrency, because("not_a_currency", "must be an ISO 4217 currency code such as EUR"))
  .openapi({ example: "EUR" });

export const PriceSchema = z
  .object({
    amount: z
      .number()
      .int()
      .min(1, "must be at least 1 (a free session has no price: send null)")
      .max(MAX_PRICE_AMOUNT)
      .openapi({ description: "In the currency's minor units: 2500 is €25.00, 2500 is ¥2,500.", example: 2500 }),
    currency: Currency,
  })
  .strict();

export const RefundUntilDays = z.number().int().min(0).max(MAX_REFUND_UNTIL_DAYS).nullable().openapi({
  description:
    "A participant who cancels their own paid seat is refunded in full until this many days before the start, and not after; null: no refund on their own cancellation. A cancellation by the provider always refunds in full.",
  example: 7,
});

/** How many digits the currency's minor unit has (2 for EUR, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * An amount typed in major units ("25", "25.50", "25,50") as minor units of `currency`, or null
 * when it is not a positive amount. An unknown currency counts two digits (its own check refuses it).
 */
export function typedMinorUnits(typed: string, currency: string): number | null {
  const value = Number(typed.trim().replace(",", "."));
  if (typed.trim() === "" || !Number.isFinite(value) || value <= 0) return null;
  const code = currency.trim().toUpperCase();
  return Math.round(value * 10 ** (isCurrency(code) ? minorDigits(code) : 2));
}

/** A price as a form shows it back, in major units without grouping: "25.00", "2500" (JPY). */
export function typedAmount(price: Price): string {
  const digits = minorDigits(price.currency);
  return (price.amount / 10 ** digits).toFixed(digits);
}

/** "€25.00" in English, "25,00 €" in French. */
export function formatPrice(price: Price, locale: string): string {
  const digits = minorDigits(price.currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency: price.currency }).format(price.amount / 10 ** digits);
}

/** The price as stored in two columns, or null when either is missing (a free session). */
export function priceOf(amount: number | null, currency: string | null): Price | null {
  return amount !== null && currency !== null ? { amount, currency } : null;
}

/**
 * What a registration was asked before any discount: the price it kept when its amount due was
 * set, else (a registration from before prices were kept) the session's price now, and only in the
 * registration's own currency: a price since changed to another currency was never asked of it.
 */
export function askedPrice(kept: number | null, currency: string | null, session: Price | null): Price | null {
  if (currency === null) return null;
  if (kept !== null) return { amount: kept, currency };
  return session?.currency === currency ? session : null;
}

/**
 * The last instant a participant's own cancellation is refunded in full: `refundUntilDays` days
 * before the start (null: never). What refundableByPolicy counts, and what a confirmation says.
 */
export function refundDeadline(refundUntilDays: number | null, startsAt: string): string | null {
  if (refundUntilDays === null) return null;
  return new Date(Date.parse(startsAt) - refundUntilDays * 86_400_000).toISOString();
}

/**
 * Whether a participant's own cancellation at `now` is refunded in full: only while the session's
 * start is at least `refundUntilDays` days away (null: never).
 */
export function refundableByPolicy(refundUntilDays: number | null, startsAt: string, now: Date): boolean {
  const deadline = refundDeadline(refundUntilDays, startsAt);
  return deadline !== null && now.getTime() <= Date.parse(deadline);
}
