// The dev checkout page (/dev/checkout/{registrationId}), beside /dev/mail: with no payment
// provider set up, a registrant sent to checkout lands here and pays or abandons, which runs the
// same ledger transitions as a provider's events (confirm, or free the seat). Development only:
// built out of deployed builds (ROLLCALL_DEV_ROUTES) and 404 unless ROLLCALL_ENV=development and
// the request comes to this machine. The buttons post a token signed for this registration, so
// another site cannot pay or abandon on someone's behalf.

import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { equalInConstantTime } from "../auth/compare";
import { devRoutesOpen } from "../config/dev-mode";
import { orgs } from "../db/schema";
import type { Outcome } from "../errors/problem";
import { Document } from "../html/document";
import type { AppEnv } from "../http/context";
import { base64url, hmacSha256, sessionOfChild } from "../ids/ids";
import { ledgerFor } from "../sessions/ledger-client";
import { formatPrice } from "../sessions/price";
import { formatInstant } from "../time/format";
import { devReturnSignature, withCheckoutResult } from "./checkout";
import type { CheckoutOutcome, CheckoutView } from "./decide";

/** The page's CSP; a form that goes back to the embedding page after posting may redirect to that origin. */
const pageCsp = (back: string | null) =>
  `default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'${back ? ` ${new URL(back).origin}` : ""}; frame-ancestors 'none'`;

const styles =
  "body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:24px;color:#1f2328;background:#f6f8fa}main{max-width:480px;margin:auto;background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:24px}.amount{font-size:2rem;font-weight:600;margin:.5rem 0}form{display:inline-block;margin:8px 8px 0 0}button{font:inherit;padding:.6rem 1.2rem;border-radius:8px;border:1px solid #1849a9;background:#1849a9;color:#fff;cursor:pointer}button.secondary{background:#fff;color:#1849a9}.note{color:#57606a;font-size:.9rem}";

/** The token the page's buttons carry: an HMAC of the registration id under the signing secret. */
async function checkoutToken(secret: string, registrationId: string): Promise<string> {
  return base64url(await hmacSha256(`dev-checkout:${secret}`, registrationId));
}

function page(title: string, body: unknown, status = 200, back: string | null = null): Response {
  const doc = (
    <Document lang="en" title={title} referrer="no-referrer" styles={styles}>
      <main>{body}</main>
    </Document>
  );
  return new Response(doc.toString(), {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": pageCsp(back), "cache-control": "no-store" },
  });
}

const notFound = () => page("Checkout", <p>This checkout does not exist.</p>, 404);

/** The return URL the checkout URL carries, when its signature is this registration's (else null: no open redirect). */
async function signedReturn(secret: string, id: string, url: unknown, sig: unknown): Promise<string | null> {
  if (typeof url !== "string" || typeof sig !== "string" || !url) return null;
  return equalInConstantTime(sig, await devReturnSignature(secret, id, url)) ? url : null;
}

export function devCheckoutRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/dev/checkout/:id", async (c) => {
    if (!devRoutesOpen(c.env, c.req.url)) return c.notFound();
    const id = c.req.param("id");
    const sessionId = sessionOfChild("reg", id);
    const ledger = sessionId ? ledgerFor(c.env, sessionId) : null;
    if (!ledger?.ok) return notFound();
    const found = (await ledger.value.checkoutView(id)) as Outcome<CheckoutView>;
    if (!found.ok) return notFound();
    const v = found.value;
    const org = await drizzle(c.env.DB).select({ name: orgs.name }).from(orgs).where(eq(orgs.id, v.orgId)).get();
    const token = await checkoutToken(c.env.ROLLCALL_SIGNING_SECRET, id);
    const back = await signedReturn(c.env.ROLLCALL_SIGNING_SECRET, id, c.req.query("return"), c.req.query("sig"));
    const amount = formatPrice({ amount: v.amount, currency: v.currency }, "en");
    return page(
      `Checkout — ${v.sessionTitle}`,
      <>
        <p class="note">Dev checkout: no payment provider is set up, nothing is charged.</p>
        <h1>{org?.name ?? "Checkout"}</h1>
        <p>{v.sessionTitle}</p>
        <p class="amount">{amount}</p>
        {v.status === "pending_payment" ? (
          <>
            <p class="note">The seat is held until {v.holdUntil ? formatInstant(v.holdUntil, "UTC", "en") : "—"}.</p>
            {(["paid", "abandoned"] as const).map((outcome) => (
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
                  {outcome === "paid" ? "Pay" : "Abandon"}
                </button>
              </form>
            ))}
          </>
        ) : (
          <p role="status">{v.paid ? "Paid." : "This checkout is closed."}</p>
        )}
      </>,
      200,
      back,
    );
  });

  app.post("/dev/checkout/:id", async (c) => {
    if (!devRoutesOpen(c.env, c.req.url)) return c.notFound();
    const id = c.req.param("id");
    const form = await c.req.parseBody();
    const outcome = form.outcome;
    const expected = await checkoutToken(c.env.ROLLCALL_SIGNING_SECRET, id);
    if (typeof form.token !== "string" || !equalInConstantTime(form.token, expected))
      return page("Checkout", <p>This form has expired.</p>, 403);
    if (outcome !== "paid" && outcome !== "abandoned") return page("Checkout", <p>Choose Pay or Abandon.</p>, 400);
    const sessionId = sessionOfChild("reg", id);
    const ledger = sessionId ? ledgerFor(c.env, sessionId) : null;
    if (!ledger?.ok) return notFound();
    const settled = await ledger.value.settlePayment(id, outcome as CheckoutOutcome);
    if (!settled.ok) return notFound();
    // Back where the person came from, when the checkout URL carried it signed; else to this page
    // again, which now says how it ended (a reload posts nothing twice).
    const back = await signedReturn(c.env.ROLLCALL_SIGNING_SECRET, id, form.return, form.sig);
    if (back) return c.redirect(withCheckoutResult(back, outcome === "paid" ? "paid" : "cancelled"), 303);
    return c.redirect(`/dev/checkout/${encodeURIComponent(id)}?result=${outcome === "paid" ? "success" : "cancel"}`, 303);
  });

  return app;
}
