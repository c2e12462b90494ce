// Stripe's settings and its client. Both secrets (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET) or
// none: with the key but no webhook secret nothing could confirm a payment. In production the
// worker refuses to serve until it is fixed (worker/index.ts), as with Twilio's settings; elsewhere
// no checkout starts (payments_unavailable) rather than take money that would never confirm a seat. STRIPE_API_BASE
// points the client at another server speaking Stripe's API (the stand-in of the tests). The
// client speaks fetch (no Node http in workerd) and verifies webhooks with Web Crypto.

import Stripe from "stripe";

type StripeEnv = Partial<Record<"STRIPE_SECRET_KEY" | "STRIPE_WEBHOOK_SECRET" | "STRIPE_API_BASE", string>>;

export type StripeConfig = { secretKey: string; webhookSecret: string; apiBase?: string };

export type StripeSettings = { kind: "none" } | { kind: "partial"; missing: string } | { kind: "complete"; config: StripeConfig };

/** Pure: what the environment says about Stripe. */
export function stripeSettings(env: StripeEnv): StripeSettings {
  const value = (name: keyof StripeEnv) => env[name]?.trim() || undefined;
  const secretKey = value("STRIPE_SECRET_KEY");
  const webhookSecret = value("STRIPE_WEBHOOK_SECRET");
  if (!secretKey && !webhookSecret) return { kind: "none" };
  if (!secretKey) return { kind: "partial", missing: "STRIPE_SECRET_KEY" };
  if (!webhookSecret) return { kind: "partial", missing: "STRIPE_WEBHOOK_SECRET" };
  const apiBase = value("STRIPE_API_BASE");
  return { kind: "complete", config: { secretKey, webhookSecret, ...(apiBase ? { apiBase } : {}) } };
}

/**
 * In production, Stripe set up by half: what an operator reads in the 500 and in the log (the
 * worker refuses to serve, as with Twilio's settings). Null otherwise: elsewhere the worker serves,
 * and a priced session refuses registrations with payments_unavailable instead.
 */
export function stripeSettingsFault(env: StripeEnv & { ROLLCALL_ENV?: string }): { setting: string; detail: string } | null {
  if (env.ROLLCALL_ENV !== "production") return null;
  const settings = stripeSettings(env);
  if (settings.kind !== "partial") return null;
  return {
    setting: settings.missing,
    detail: `Stripe is partly configured (${settings.missing} not set): the worker refuses to serve until STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are both set, or neither (wrangler secret put ${settings.missing}).`,
  };
}

/** A client for `config`, over fetch; STRIPE_API_BASE replaces Stripe's protocol, host and port. */
export function stripeClient(config: StripeConfig): Stripe {
  const base = config.apiBase ? new URL(config.apiBase) : null;
  return new Stripe(config.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    // Retries of a create reuse its idempotency key: a lost answer never makes a second object.
    maxNetworkRetries: 1,
    timeout: 10_000,
    ...(base
      ? {
          protocol: base.protocol.replace(":", "") as "http" | "https",
          host: base.hostname,
          port: base.port || (base.protocol === "https:" ? 443 : 80),
        }
      : {}),
  });
}

/** Web Crypto for webhook signatures (Node's crypto is not there in workerd). */
export function subtleCrypto(): ReturnType<typeof Stripe.createSubtleCryptoProvider> {
  return Stripe.createSubtleCryptoProvider();
}

export type { Stripe };
export { Stripe as StripeSdk };
