// Applies the D1 migrations before each test file (storage is isolated per file).
import { applyD1Migrations, env } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
      /** JSON: the queue consumers of wrangler.toml, by environment. */
      TEST_MAIL_CONSUMERS: string;
    }
  }
}

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
