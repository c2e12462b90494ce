// The dev checkout page (/dev/checkout/{registrationId}), beside /dev/mail: with no payment
// provider set up, a registrant sent to checkout lands here and pays or abandons, which runs the
// same ledger transitions as a provider's events (confirm, or free the seat). Development only:
// built out of deployed builds (ROLLCALL_DEV_ROUTES) and 404 unless ROLLCALL_ENV=development and
// the request comes to this machine. The buttons post a token signed for this registration, so
// another site cannot pay or abandon on someone's behalf.

import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { Hono } from "hono";
import { equalInConstantTime } from "../auth/compare";
import { devRoutesOpen } from "../config/dev-mode";
import { orgs } from "../db/schema";
import type { Outcome } from "../errors/problem";
import { Document } from "../html/document";
import type { AppEnv } from "../http/context";
import { isLocale, type Locale } from "../i18n/locales";
import { negotiateLocale } from "../i18n/negotiate";
import { base64url, hmacSha256, sessionOfChild } from "../ids/ids";
import { ledgerFor } from "../sessions/ledger-client";
import { formatPrice } from "../sessions/price";
import { formatInstant } from "../time/format";
import { sessionTime } from "../time/when";
import { devReturnSignature, withCheckoutResult } from "./checkout";
import { type CheckoutOutcome, type CheckoutView, checkoutStage } from "./decide";
import { devCheckoutText } from "./dev-checkout-text";

/** The page's CSP; a form that goes back to the embedding page after posting may redirect to that origin. */
const pageCsp = (back: string | null) =>
  `default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'${back ? ` ${new URL(back).origin}` : ""}; frame-ancestors 'none'`;

const styles =
  "body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:16px;color:#1f2328;background:#f6f8fa}" +
  "main{max-width:480px;margin:auto;background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:20px;overflow-wrap:anywhere}" +
  "h1{font-size:1.4rem;margin:.25rem 0}h2{font-size:1.1rem;margin:1rem 0 .25rem}" +
  ".standin{background:#fff8c5;border:1px solid #d4a72c;border-radius:8px;padding:.5rem .75rem;margin:0 0 1rem}" +
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.75rem 0}dt{font-weight:600}dd{margin:0}" +
  ".amount{font-size:1.5rem;font-weight:600}del{color:#57606a}" +
  ".actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}form{margin:0}" +
  "button{font:inherit;padding:.6rem 1.2rem;border-radius:8px;border:1px solid #1849a9;background:#1849a9;color:#fff;cursor:pointer}" +
  "button.secondary{background:#fff;color:#1849a9}button:focus-visible{outline:3px solid #1849a9;outline-offset:2px}" +
  ".note{color:#57606a;font-size:.9rem}";

/** The token the page's buttons carry: an HMAC of the registration id under the signing secret. */
async function checkoutToken(secret: string, registrationId: string): Promise<string> {
  return base64url(await hmacSha256(`dev-checkout:${secret}`, registrationId));
}

function page(locale: Locale, title: string, body: unknown, status = 200, back: string | null = null): Response {
  const doc = (
    <Document lang={locale} title={title} referrer="no-referrer" styles={styles}>
      <main>
        <p class="standin" role="note">
          {devCheckoutText[locale].standIn}
        </p>
        {body}
      </main>
    </Document>
  );
  return new Response(doc.toString(), {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": pageCsp(back), "cache-control": "no-store" },
  });
}

function notFound(c: Context<AppEnv>) {
  const t = devCheckoutText[negotiateLocale(c)];
  return page(negotiateLocale(c), t.checkout, <p>{t.notFound}</p>, 404);
}

/** The return URL the checkout URL carries, when its signature is this registration's (else null: no open redirect). */
async function signedReturn(secret: string, id: string, url: unknown, sig: unknown): Promise<string | null> {
  if (typeof url !== "string" || typeof sig !== "string" || !url) return null;
  return equalInConstantTime(sig, await devReturnSignature(secret, id, url)) ? url : null;
}

/** What is paid for and how much: the price struck before its discount code when one lowered it. */
function Summary(props: { v: CheckoutView; locale: Locale }) {
  const { v, locale } = props;
  const t = devCheckoutText[locale];
  const money = (amount: number) => formatPrice({ amount, currency: v.currency }, locale);
  return (
    <dl aria-label={t.summary}>
      {v.priceBefore !== null && (
        <>
          <dt>{t.price}</dt>
          <dd>
            <del>{money(v.priceBefore)}</del>
          </dd>
          <dt>{t.discount}</dt>
          <dd>{v.discountCode}</dd>
        </>
      )}
      <dt>{t.toPay}</dt>
      <dd class="amount">{money(v.amount)}</dd>
    </dl>
  );
}

/** Where the payment stands, in the page's words; Pay and Abandon only while the seat is held for it. */
function Stage(props: { v: CheckoutView; locale: Locale; buttons: unknown }) {
  const { v, locale } = props;
  const t = devCheckoutText[locale];
  const stage = checkoutStage(v);
  const when = (at: string | null) => (at ? formatInstant(at, v.timeZone, locale) : "—");
  const money = (amount: number) => formatPrice({ amount, currency: v.currency }, locale);
  const said = {
    awaiting: t.heldUntil(when(v.holdUntil)),
    paid: t.paid(when(v.paidAt)),
    paid_cancelled: t.paidCancelled(when(v.paidAt)),
    refund_due: t.refundDue(money(v.amount)),
    refunded: t.refunded(money(v.refundedAmount ?? v.amount), when(v.refundedAt)),
    released: t.released,
    closed: t.closed,
  }[stage];
  return (
    <section aria-labelledby="stage">
      <h2 id="stage">{t.stage[stage]}</h2>
      <p role="status">{said}</p>
      {stage === "awaiting" && (
        <>
          <div class="actions">{props.buttons}</div>
          <p class="note">{t.abandonNote}</p>
        </>
      )}
    </section>
  );
}

export function devCheckoutRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/dev/checkout/:id", async (c) => {
    if (!devRoutesOpen(c.env, c.req.url)) return c.notFound();
    const id = c.req.param("id");
    const sessionId = sessionOfChild("reg", id);
    const ledger = sessionId ? ledgerFor(c.env, sessionId) : null;
    if (!ledger?.ok) return notFound(c);
    const found = (await ledger.value.checkoutView(id)) as Outcome<CheckoutView>;
    if (!found.ok) return notFound(c);
    const v = found.value;
    // The visitor's language, else the one they registered in.
    const locale = negotiateLocale(c, isLocale(v.locale) ? v.locale : null);
    const t = devCheckoutText[locale];
    const org = await drizzle(c.env.DB).select({ name: orgs.name }).from(orgs).where(eq(orgs.id, v.orgId)).get();
    const token = await checkoutToken(c.env.ROLLCALL_SIGNING_SECRET, id);
    const back = await signedReturn(c.env.ROLLCALL_SIGNING_SECRET, id, c.req.query("return"), c.req.query("sig"));
    const amount = formatPrice({ amount: v.amount, currency: v.currency }, locale);
    const buttons = (["paid", "abandoned"] as const).map((outcome) => (
      <form method="post" action={`/dev/checkout/${encodeURIComponent(id)}`}>
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="outcome" value={outcome} />
        {back ? (
          <>
            <input type="hidden" name="return" value={back} />
            <input type="hidden" name="sig" value={c.req.query("sig") ?? ""} />
          </>
        ) : null}
        <button type="submit" class={outcome === "paid" ? "" : "secondary"}>
          {outcome === "paid" ? t.pay(amount) : t.abandon}
        </button>
      </form>
    ));
    return page(
      locale,
      t.title(v.sessionTitle),
      <>
        <h1>{v.sessionTitle}</h1>
        <p class="note">
          {org?.name && <>{org.name} · </>}
          {sessionTime(v.startsAt, v.durationMinutes, v.timeZone, locale)}
        </p>
        <Summary v={v} locale={locale} />
        <Stage v={v} locale={locale} buttons={buttons} />
      </>,
      200,
      back,
    );
  });

  app.post("/dev/checkout/:id", async (c) => {
    if (!devRoutesOpen(c.env, c.req.url)) return c.notFound();
    const id = c.req.param("id");
    const locale = negotiateLocale(c);
    const t = devCheckoutText[locale];
    const form = await c.req.parseBody();
    const outcome = form.outcome;
    const expected = await checkoutToken(c.env.ROLLCALL_SIGNING_SECRET, id);
    if (typeof form.token !== "string" || !equalInConstantTime(form.token, expected))
      return page(locale, t.checkout, <p>{t.expired}</p>, 403);
    if (outcome !== "paid" && outcome !== "abandoned") return page(locale, t.checkout, <p>{t.choose}</p>, 400);
    const sessionId = sessionOfChild("reg", id);
    const ledger = sessionId ? ledgerFor(c.env, sessionId) : null;
    if (!ledger?.ok) return notFound(c);
    const settled = await ledger.value.settlePayment(id, outcome as CheckoutOutcome);
    if (!settled.ok) return notFound(c);
    // Back where the person came from, when the checkout URL carried it signed; else to this page
    // again, which now says how it ended (a reload posts nothing twice).
    const back = await signedReturn(c.env.ROLLCALL_SIGNING_SECRET, id, form.return, form.sig);
    if (back) return c.redirect(withCheckoutResult(back, outcome === "paid" ? "paid" : "cancelled"), 303);
    return c.redirect(`/dev/checkout/${encodeURIComponent(id)}?result=${outcome === "paid" ? "success" : "cancel"}`, 303);
  });

  return app;
}
