// Stripe's settings fail closed: both secrets or neither. One without the other in production, the
// worker refuses to serve and names the missing setting and the fix (as with Twilio's settings);
// elsewhere it serves, and a priced session answers payments_unavailable (stripe-checkout.test.ts).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { stripeSettings, stripeSettingsFault } from "../../worker/payments/stripe";
import { BASE, expectProblem } from "./helpers";

async function healthz(settings: Record<string, string | undefined>) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}/healthz`) as Request<unknown, IncomingRequestCfProperties>,
    { ...env, ...settings } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, body: text.startsWith("{") ? JSON.parse(text) : text, headers: res.headers };
}

const complete = { STRIPE_SECRET_KEY: "sk_test_123", STRIPE_WEBHOOK_SECRET: "whsec_123" };

describe("Stripe's settings", () => {
  it("are complete with both secrets, none with neither, partial with one", () => {
    expect(stripeSettings(complete)).toMatchObject({ kind: "complete", config: { secretKey: "sk_test_123", webhookSecret: "whsec_123" } });
    expect(stripeSettings({ STRIPE_API_BASE: "http://127.0.0.1:3032" })).toEqual({ kind: "none" });
    expect(stripeSettings({ ...complete, STRIPE_WEBHOOK_SECRET: " " })).toEqual({ kind: "partial", missing: "STRIPE_WEBHOOK_SECRET" });
    expect(stripeSettingsFault({ ...complete, STRIPE_SECRET_KEY: "", ROLLCALL_ENV: "production" })).toEqual({
      setting: "STRIPE_SECRET_KEY",
      detail:
        "Stripe is partly configured (STRIPE_SECRET_KEY not set): the worker refuses to serve until STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are both set, or neither (wrangler secret put STRIPE_SECRET_KEY).",
    });
  });

  for (const missing of Object.keys(complete))
    it(`refuse to serve in production while ${missing} alone is missing, naming it and the fix`, async () => {
      const res = await healthz({ ...complete, [missing]: "", ROLLCALL_ENV: "production" });
      expectProblem(res, "server_misconfigured");
      expect(res.body.setting).toBe(missing);
      expect(res.body.detail).toContain(`${missing} not set`);
      expect(res.body.detail).toContain(`wrangler secret put ${missing}`);
    });

  it("serve in production when both or neither are set, and locally even when one is", async () => {
    expect((await healthz({ ...complete, ROLLCALL_ENV: "production" })).status).toBe(200);
    expect((await healthz({ ROLLCALL_ENV: "production" })).status).toBe(200);
    expect((await healthz({ STRIPE_SECRET_KEY: "sk_test_123", ROLLCALL_ENV: "development" })).status).toBe(200);
  });
});
