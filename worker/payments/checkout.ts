// Where a registration awaiting payment is sent to pay. With Stripe configured (both secrets,
// payments/stripe.ts), a Stripe Checkout Session created for the registration; locally
// (development, on a developer's own machine, no Stripe) the dev checkout page,
// /dev/checkout/{registrationId}, whose buttons run the same ledger transitions Stripe's events do.
// Anywhere else (or Stripe without its webhook secret) no checkout can be confirmed, so a priced
// session refuses registrations (payments_unavailable) rather than hold seats nobody can pay for.
//
// After paying or giving up, the person goes back where they came from: the page that embeds the
// join element (`returnUrl`, only on an origin the org lists for its widget: no open redirect),
// else the session's hosted page; `rollcall_checkout=paid|cancelled` says how it ended.

import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { embedOriginsOfSession, originAllowed } from "../auth/origins";
import { devRoutesOpen } from "../config/dev-mode";
import { orgs } from "../db/schema";
import { quote } from "../discounts/decide";
import { findDiscountCode, programsOfSession, sessionPricing } from "../discounts/store";
import { type FieldError, fail, type Outcome, ok, ProblemError, unwrap } from "../errors/problem";
import type { Answering } from "../forms/answers";
import type { Locale } from "../i18n/locales";
import { base64url, hmacSha256 } from "../ids/ids";
import type { SessionLedgerStub } from "../sessions/ledger-client";
import type { Price } from "../sessions/price";
import {
  amountDue,
  CHECKOUT_KEY_TRIES,
  CHECKOUT_RETRY_AFTER_SECONDS,
  type CheckoutView,
  checkoutIdempotencyKey,
  decideCheckoutFailure,
} from "./decide";
import { type Stripe, type StripeConfig, StripeSdk, stripeClient, stripeSettings } from "./stripe";

export type CheckoutProvider = { kind: "stripe"; config: StripeConfig } | { kind: "dev" } | { kind: "none"; reason: string };

/** Who takes this request's payments: Stripe when fully configured, else the dev page where it is open, else nobody. */
export function checkoutProvider(env: Env, url: string): CheckoutProvider {
  const stripe = stripeSettings(env);
  if (stripe.kind === "complete") return { kind: "stripe", config: stripe.config };
  // Never take money whose payment could not be confirmed. (In production the worker refuses to
  // serve at all while Stripe is set up by half, index.ts; this answers the other environments.)
  if (stripe.kind === "partial")
    return { kind: "none", reason: `Stripe is partly configured (${stripe.missing} is not set), so no payment can be confirmed.` };
  const built = typeof ROLLCALL_DEV_ROUTES === "undefined" || ROLLCALL_DEV_ROUTES;
  if (built && devRoutesOpen(env, url)) return { kind: "dev" };
  return { kind: "none", reason: "This session is priced, and payments are not set up here." };
}

/** Whether this request may start a checkout. */
export function checkoutAvailable(env: Env, url: string): boolean {
  return checkoutProvider(env, url).kind !== "none";
}

export type CheckoutResult = "paid" | "cancelled";

/** `url` with the outcome appended, for the page the person goes back to. */
export function withCheckoutResult(url: string, result: CheckoutResult): string {
  const next = new URL(url);
  next.searchParams.set("rollcall_checkout", result);
  return next.toString();
}

/** The longest return URL kept (the body's limit too). */
export const RETURN_URL_MAX = 2000;

/**
 * Where the person goes back after checkout: `returnUrl` when it is an http(s) URL on an origin
 * the org lists for its widget (an org listing none allows only this worker's own pages), else
 * the session's hosted page. Pure.
 */
export function returnTarget(
  returnUrl: string | undefined,
  sessionId: string,
  requestUrl: string,
  embedOrigins: readonly string[] | undefined,
): string {
  const own = new URL(requestUrl).origin;
  const hosted = `${own}/s/${encodeURIComponent(sessionId)}`;
  if (!returnUrl || returnUrl.length > RETURN_URL_MAX) return hosted;
  let parsed: URL;
  try {
    parsed = new URL(returnUrl);
  } catch {
    return hosted;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return hosted;
  if (parsed.username || parsed.password) return hosted;
  // "admin": listed origins only. The public policy's "any page when none are listed" would make
  // this an open redirect.
  return originAllowed("admin", parsed.origin, own, embedOrigins) ? parsed.toString() : hosted;
}

/** The dev checkout page's signature over its return URL (carried in its own URL). */
export async function devReturnSignature(secret: string, registrationId: string, returnUrl: string): Promise<string> {
  return base64url(await hmacSha256(`dev-checkout-return:${secret}`, `${registrationId}\n${returnUrl}`));
}

/** The dev checkout page of a registration, on the origin the request came to, carrying its return URL signed. */
export async function devCheckoutUrl(env: Env, requestUrl: string, registrationId: string, returnUrl: string | null): Promise<string> {
  const page = `${new URL(requestUrl).origin}/dev/checkout/${encodeURIComponent(registrationId)}`;
  if (!returnUrl) return page;
  const sig = await devReturnSignature(env.ROLLCALL_SIGNING_SECRET, registrationId, returnUrl);
  return `${page}?${new URLSearchParams({ return: returnUrl, sig })}`;
}

/** What Stripe is asked for one registration's Checkout Session. Pure, so the test reads it whole. */
export function checkoutSessionParams(
  registrationId: string,
  view: CheckoutView & { email: string; locale: string },
  orgName: string,
  returnUrl: string,
) {
  const metadata = { registrationId, sessionId: view.sessionId };
  return {
    mode: "payment" as const,
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: view.currency.toLowerCase(),
          unit_amount: view.amount,
          product_data: { name: `${view.sessionTitle} — ${orgName}` },
        },
      },
    ],
    client_reference_id: registrationId,
    metadata,
    // The payment carries them too: a refund made in Stripe's dashboard finds its registration.
    payment_intent_data: { metadata },
    // The hold's end: Stripe expires the checkout when the seat lets go.
    expires_at: Math.floor(Date.parse(view.holdUntil ?? "") / 1000),
    customer_email: view.email,
    locale: (view.locale === "fr" ? "fr" : "en") as "fr" | "en",
    success_url: withCheckoutResult(returnUrl, "paid"),
    cancel_url: withCheckoutResult(returnUrl, "cancelled"),
  };
}

/**
 * Starts the checkout of a registration now awaiting payment and answers where to pay. With
 * Stripe: one Checkout Session per registration (its idempotency keys are the registration's,
 * checkoutIdempotencyKey, so a retried request gets the same one), whose id the ledger keeps. A
 * checkout that cannot be created answers checkout_failed or payments_unavailable, the held seat
 * kept or freed as decideCheckoutFailure says; a registration whose hold was released meanwhile
 * answers hold_released.
 */
export async function startCheckout(
  env: Env,
  ledger: SessionLedgerStub,
  request: { url: string; registrationId: string; sessionId: string; returnUrl?: string | undefined; now: Date },
  options: { keepSeatOnFailure?: boolean; retriable?: boolean } = {},
): Promise<Outcome<string>> {
  const provider = checkoutProvider(env, request.url);
  if (provider.kind === "none") return fail("payments_unavailable", provider.reason);
  const asked = request.returnUrl ? await embedOriginsOfSession(env.DB, request.sessionId, request.now) : undefined;
  const back = returnTarget(request.returnUrl, request.sessionId, request.url, asked);
  if (provider.kind === "dev") return ok(await devCheckoutUrl(env, request.url, request.registrationId, request.returnUrl ? back : null));

  const found = (await ledger.checkoutView(request.registrationId)) as Outcome<CheckoutView & { email: string; locale: string }>;
  if (!found.ok) return found;
  const view = found.value;
  // A replayed registration whose hold went back: nothing to pay for any more.
  if (!view.paid && view.status !== "pending_payment")
    return fail(
      "hold_released",
      "The seat held for this registration was released; nothing was charged. Register again, with a new Idempotency-Key.",
    );
  const org = await drizzle(env.DB).select({ name: orgs.name }).from(orgs).where(eq(orgs.id, view.orgId)).get();
  try {
    const params = checkoutSessionParams(request.registrationId, view, org?.name ?? "Rollcall", back);
    const checkout = await createCheckoutSession(stripeClient(provider.config), request.registrationId, params);
    if (!checkout.url) throw new Error(`Stripe answered checkout ${checkout.id} without a url`);
    const kept = (await ledger.attachCheckout(request.registrationId, checkout.id)) as Outcome<unknown>;
    if (!kept.ok) return kept;
    return ok(checkout.url);
  } catch (error) {
    console.error(`checkout of ${request.registrationId} could not be created:`, error instanceof Error ? error.message : error);
    const failure = decideCheckoutFailure(
      error instanceof StripeSdk.errors.StripeError ? { statusCode: error.statusCode } : null,
      { retriable: options.retriable ?? false, keepSeat: options.keepSeatOnFailure ?? false },
      view.holdUntil,
    );
    if (failure.release) await ledger.settlePayment(request.registrationId, "abandoned");
    if (failure.code === "payments_unavailable")
      return fail("payments_unavailable", "The payment provider refused to start the payment; nothing was charged.");
    const detail = failure.retryWithKey
      ? `The payment could not be started; nothing was charged. The seat stays held until ${failure.heldUntil}: send the same request again with the same Idempotency-Key to get its checkout.`
      : "The payment could not be started; nothing was charged. Try again in a moment.";
    return fail("checkout_failed", detail, {
      ...(failure.heldUntil ? { heldUntil: failure.heldUntil } : {}),
      retryAfter: CHECKOUT_RETRY_AFTER_SECONDS,
    });
  }
}

/**
 * Creates the registration's Checkout Session, or answers the one made for it before: each
 * key in turn (checkoutIdempotencyKey) until one is not a failure Stripe replays.
 */
async function createCheckoutSession(stripe: Stripe, registrationId: string, params: ReturnType<typeof checkoutSessionParams>) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await stripe.checkout.sessions.create(params, { idempotencyKey: checkoutIdempotencyKey(registrationId, attempt) });
    } catch (error) {
      const replayed = error instanceof StripeSdk.errors.StripeError && error.headers?.["idempotent-replayed"] === "true";
      if (!replayed || attempt + 1 >= CHECKOUT_KEY_TRIES) throw error;
    }
  }
}

/**
 * A registration's answer as the API gives it: when it awaits payment, with `checkoutUrl`, the
 * checkout started for it (startCheckout; its refusal is the answer's). The public registration
 * and an invitation's acceptance answer through this.
 */
export async function withCheckoutUrl<A extends { payment?: unknown; registration: { id: string } }>(
  env: Env,
  ledger: SessionLedgerStub,
  answer: A,
  request: { url: string; sessionId: string; returnUrl?: string | undefined; now: Date },
  options: { retriable?: boolean } = {},
): Promise<A & { checkoutUrl?: string }> {
  if (!answer.payment) return answer;
  const started = await startCheckout(env, ledger, { ...request, registrationId: answer.registration.id }, options);
  // A failure of a moment says when to try again.
  if (!started.ok && started.error.code === "checkout_failed")
    throw new ProblemError(started.error, { "retry-after": String(started.error.extra?.retryAfter ?? CHECKOUT_RETRY_AFTER_SECONDS) });
  return { ...answer, checkoutUrl: unwrap(started) };
}

/**
 * A person's answer to their invitation from one of their pages (the program page, their own
 * page), through the session's ledger (answerProgramSeat): accepted in a priced session, the seat
 * is held while they pay and the checkout started for it (startCheckout), whose URL is answered;
 * otherwise the ledger's refusal, if any. "pay" starts again the checkout of the seat held for
 * them (back from a checkout left unfinished): the same checkout when one was made, and a
 * checkout that cannot be started leaves the hold to lapse on its own. `returnUrl` is the page
 * they come back to.
 */
export async function answerSeat(
  env: Env,
  ledger: SessionLedgerStub,
  request: {
    orgId: string;
    email: string;
    answer: "accept" | "decline" | "pay";
    url: string;
    sessionId: string;
    returnUrl: string;
    now: Date;
    /** Accepting: the answers to the session's questions. */
    answering?: Answering;
    /** Accepting: the language of the page the person answers on (the registration's emails speak it). */
    locale?: Locale;
  },
): Promise<{ refusal: string | null; errors?: FieldError[]; checkoutUrl?: string }> {
  if (request.answer === "pay") {
    const seat = (await ledger.programSeat(request.orgId, request.email)) as Outcome<{
      awaitingPayment: { registrationId: string } | null;
    }>;
    const held = seat.ok ? seat.value.awaitingPayment : null;
    if (!held) return { refusal: "invalid_transition" };
    const { url, sessionId, returnUrl, now } = request;
    const registrationId = held.registrationId;
    const started = await startCheckout(env, ledger, { url, registrationId, sessionId, returnUrl, now }, { keepSeatOnFailure: true });
    return started.ok ? { refusal: null, checkoutUrl: started.value } : { refusal: started.error.code };
  }
  const answered = (await ledger.answerProgramSeat(request.orgId, request.email, request.answer, {
    payments: checkoutAvailable(env, request.url),
    ...(request.answering ? { answering: request.answering } : {}),
    ...(request.locale ? { locale: request.locale } : {}),
  })) as Outcome<{ refusal: string | null; errors?: FieldError[]; registrationId?: string; checkout?: boolean }>;
  if (!answered.ok) return { refusal: answered.error.code };
  const { refusal, errors, registrationId, checkout } = answered.value;
  if (!checkout || !registrationId) return { refusal, ...(errors ? { errors } : {}) };
  const started = await startCheckout(env, ledger, {
    url: request.url,
    registrationId,
    sessionId: request.sessionId,
    returnUrl: request.returnUrl,
    now: request.now,
  });
  return started.ok ? { refusal: null, checkoutUrl: started.value } : { refusal: started.error.code };
}

/**
 * Each seat with what accepting it costs the person now (`toPay`: the price less their
 * invitation's code), for a priced one they may accept; null for the others. The person's own page
 * and a program's page both say it on the button ("Accept and pay €22.50").
 */
export function withPriceToPay<T extends { canAccept: boolean; sessionId: string; price: Price | null; invitationDiscount: string | null }>(
  database: D1Database,
  orgId: string,
  seats: T[],
  now: Date,
): Promise<(T & { toPay: Price | null })[]> {
  return Promise.all(
    seats.map(async (s) => ({ ...s, toPay: s.canAccept && s.price ? await invitedPrice(database, orgId, s, now) : null })),
  );
}

/**
 * What accepting this invitation would cost now: the session's price less the invitation's code, as
 * the catalogue quotes it today (its use is claimed only on accepting). A code no longer usable
 * takes nothing off: accepting then says why.
 */
export async function invitedPrice(
  database: D1Database,
  orgId: string,
  seat: { sessionId: string; price: Price | null; invitationDiscount: string | null },
  now: Date,
): Promise<Price | null> {
  if (!seat.price || !seat.invitationDiscount) return seat.price;
  const rule = await findDiscountCode(database, orgId, seat.invitationDiscount);
  const programIds = rule ? await programsOfSession(database, seat.sessionId) : [];
  const quoted = quote(rule, { sessionId: seat.sessionId, programIds, price: seat.price, at: now, uses: rule?.uses ?? 0 });
  return { ...seat.price, amount: amountDue(seat.price.amount, quoted.ok ? quoted.value : null) };
}

/**
 * An invitation link's answer with what accepting costs now (`toPay`; null in a free session): the
 * price less the invitation's code as the catalogue quotes it today, as `invitedPrice` says it on
 * the person's own page and a program's page (seed 000: the link leads to the session "including
 * any discount").
 */
export async function withLinkPrice<L extends { session: { price: Price | null }; invitation: { discountCode: string | null } }>(
  database: D1Database,
  sessionId: string,
  link: L,
  now: Date,
): Promise<L & { invitation: L["invitation"] & { toPay: Price | null } }> {
  const { price } = link.session;
  const code = link.invitation.discountCode;
  const session = price && code ? await sessionPricing(database, sessionId) : null;
  const toPay = session ? await invitedPrice(database, session.orgId, { sessionId, price, invitationDiscount: code }, now) : price;
  return { ...link, invitation: { ...link.invitation, toPay } };
}
