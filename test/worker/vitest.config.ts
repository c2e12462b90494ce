// Worker tests run inside workerd with the real bindings (D1, Durable Objects, queues).
import { readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { unstable_readConfig } from "wrangler";

const root = path.resolve(import.meta.dirname, "../..");
const configPath = path.join(root, "wrangler.toml");

/** What `wrangler deploy` would build from wrangler.toml, plain and --env production (config.test.ts reads it). */
function deployedConfig() {
  const shape = (env?: string) => {
    const config = unstable_readConfig({ config: configPath, env });
    const producers: { queue: string }[] = config.queues.producers ?? [];
    const consumers: { queue: string; dead_letter_queue?: string }[] = config.queues.consumers ?? [];
    // Every queue the worker sends to, consumes or dead-letters into: each must exist before a deploy.
    const queues = [
      ...new Set([
        ...producers.map((p) => p.queue),
        ...consumers.flatMap((c) => [c.queue, ...(c.dead_letter_queue ? [c.dead_letter_queue] : [])]),
      ]),
    ];
    return { vars: config.vars, define: config.define, runWorkerFirst: config.assets?.run_worker_first, queues };
  };
  return JSON.stringify({ topLevel: shape(), production: shape("production") });
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  // The queue consumers' settings of each environment, for the test that holds them.
  const configPath = path.join(root, "wrangler.toml");
  const consumers = Object.fromEntries(
    ["development", "production"].map((name) => [
      name,
      unstable_readConfig({ config: configPath, env: name === "production" ? name : undefined }).queues.consumers,
    ]),
  );
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            TEST_MAIL_CONSUMERS: JSON.stringify(consumers),
            DEPLOYED_CONFIG: deployedConfig(),
            DEV_VARS_EXAMPLE: readFileSync(path.join(root, ".dev.vars.example"), "utf8"),
            README: readFileSync(path.join(root, "README.md"), "utf8"),
            // A developer's settings, as .dev.vars gives them to `npm start` (wrangler.toml's
            // top level is production's).
            ROLLCALL_ENV: "development",
            MAIL_FROM: "Rollcall <invitations@rollcall.local>",
            ROLLCALL_ROOT_KEY: "test-root-key-0123456789abcdefghijklmnop",
            ROLLCALL_SIGNING_SECRET: "test-signing-secret-0123456789abcdefghijkl",
            // Mail goes to the dev outbox whatever a local .dev.vars says; email tests hand the
            // consumer a Resend stand-in themselves (test/support/resend-standin.mjs).
            RESEND_API_KEY: "",
            RESEND_WEBHOOK_SECRET: "whsec_dGVzdC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5",
            // Texts go to the dev outbox; SMS tests hand the consumer a Twilio stand-in themselves
            // (test/support/twilio-standin.mjs) and sign webhooks with this token.
            TWILIO_ACCOUNT_SID: "",
            TWILIO_AUTH_TOKEN: "",
            TWILIO_FROM: "",
          },
        },
      }),
    ],
    test: {
      root,
      include: ["test/worker/**/*.test.ts"],
      setupFiles: ["test/worker/setup.ts"],
      globalSetup: ["test/support/resend-standin.mjs", "test/support/twilio-standin.mjs", "test/support/stripe-standin.mjs"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
});
