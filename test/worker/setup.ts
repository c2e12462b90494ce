// Applies the D1 migrations before each test file (storage is isolated per file).
import { applyD1Migrations, env } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
      /** JSON: the vars, define, run_worker_first and queues of wrangler.toml, top level and production (vitest.config.ts). */
      DEPLOYED_CONFIG: string;
      /** The text of README.md. */
      README: string;
      /** The text of .dev.vars.example. */
      DEV_VARS_EXAMPLE: string;
      /** JSON: the queue consumers of wrangler.toml, by environment. */
      TEST_MAIL_CONSUMERS: string;
    }
  }
}

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// The pool gives the worker wrangler.toml's `define`, which leaves the dev routes out of every
// deployed build; the tests build it as scripts/dev-server.mjs does (--define ROLLCALL_DEV_ROUTES:true).
(globalThis as { ROLLCALL_DEV_ROUTES?: boolean }).ROLLCALL_DEV_ROUTES = true;
