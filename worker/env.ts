// The bindings and variables the worker runs with (wrangler.toml, .dev.vars, secrets).

declare global {
  interface Env extends Cloudflare.Env {}
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      LEDGER: DurableObjectNamespace<import("./ledger/ledger").SessionLedger>;
      ASSETS: Fetcher;
      MAIL_QUEUE: Queue<import("./email/message").MailMessage>;
      INVITE_LIMITER: RateLimit;
      INVITE_SESSION_LIMITER: RateLimit;
      REGISTER_CLIENT_LIMITER: RateLimit;
      REGISTER_SESSION_LIMITER: RateLimit;
      CODE_CLIENT_LIMITER: RateLimit;
      CODE_SESSION_LIMITER: RateLimit;
      SIGNIN_CLIENT_LIMITER: RateLimit;
      SIGNIN_ADDRESS_LIMITER: RateLimit;
      ROLLCALL_ENV: string;
      ROLLCALL_ROOT_KEY: string;
      ROLLCALL_SIGNING_SECRET: string;
      MAIL_FROM: string;
      RESEND_API_KEY?: string;
      RESEND_BASE_URL?: string;
      RESEND_WEBHOOK_SECRET?: string;
    }
  }
}

export type Env = Cloudflare.Env;
