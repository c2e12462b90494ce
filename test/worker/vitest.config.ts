// Worker tests run inside workerd with the real bindings (D1, Durable Objects, queues).
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: path.join(root, "wrangler.toml") },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ROLLCALL_ROOT_KEY: "test-root-key",
            ROLLCALL_SIGNING_SECRET: "test-signing-secret",
          },
        },
      }),
    ],
    test: {
      root,
      include: ["test/worker/**/*.test.ts"],
      setupFiles: ["test/worker/setup.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
});
