// The bindings and variables the worker runs with. wrangler generates them from wrangler.toml and
// .dev.vars.example (worker-configuration.d.ts, `npm run types`; `npm run verify` fails when it
// is stale). Written by hand only what wrangler cannot know: the secrets that may stay unset.

declare global {
  namespace Cloudflare {
    interface Env {
      /** Unset: mail goes to the local dev outbox instead of Resend. */
      RESEND_API_KEY?: string;
      /** A server speaking Resend's API (the stand-in in tests and the benchmark). */
      RESEND_BASE_URL?: string;
      /** Unset: Resend's delivery webhooks are refused. */
      RESEND_WEBHOOK_SECRET?: string;
      /** Twilio (worker/sms/settings.ts): all set, or none (texts go to the dev outbox; in production, stay emails). */
      TWILIO_ACCOUNT_SID?: string;
      /** Also verifies Twilio's webhooks (X-Twilio-Signature). */
      TWILIO_AUTH_TOKEN?: string;
      /** The sender number (E.164); or TWILIO_MESSAGING_SERVICE_SID instead. */
      TWILIO_FROM?: string;
      TWILIO_MESSAGING_SERVICE_SID?: string;
      /** A server speaking Twilio's API (the stand-in in tests and the benchmark). */
      TWILIO_BASE_URL?: string;
      /** Stripe (worker/payments/stripe.ts): both secrets, or none (the dev checkout page locally; elsewhere priced sessions refuse). */
      STRIPE_SECRET_KEY?: string;
      /** Verifies Stripe's webhooks (Stripe-Signature); without it no Stripe checkout is started. */
      STRIPE_WEBHOOK_SECRET?: string;
      /** A server speaking Stripe's API (protocol, host and port; the stand-in in tests). */
      STRIPE_API_BASE?: string;
      /**
       * Signing secrets replaced by ROLLCALL_SIGNING_SECRET, newest first (spaces or commas between):
       * what they signed still verifies, and links they made are derived again under them.
       */
      ROLLCALL_SIGNING_SECRET_PREVIOUS?: string;
    }
  }
}

export type Env = Cloudflare.Env;
