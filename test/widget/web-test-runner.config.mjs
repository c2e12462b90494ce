// Element tests in real Chromium (Debian's, run as root: hence --no-sandbox). TypeScript is
// compiled on the fly by esbuild; the API is never reached: each test replaces window.fetch.

import path from "node:path";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { chromeLauncher } from "@web/test-runner-chrome";

const root = path.resolve(import.meta.dirname, "../..");

export default {
  rootDir: root,
  files: ["test/widget/**/*.test.ts"],
  nodeResolve: true,
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, target: "es2022", tsconfig: path.join(root, "widget/tsconfig.json") })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        args: [
          "--no-sandbox",
          "--headless",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
        ],
      },
    }),
  ],
  filterBrowserLogs: ({ args }) => !String(args[0]).includes("Lit is in dev mode"),
  testFramework: { config: { timeout: 10_000 } },
  testsFinishTimeout: 180_000,
};
