// Element tests in real Chromium (Debian's, run as root: hence --no-sandbox). TypeScript is
// compiled on the fly by esbuild; the API is never reached: each test replaces window.fetch.

import path from "node:path";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { chromeLauncher } from "@web/test-runner-chrome";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../support/chromium.mjs";

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
        executablePath: CHROMIUM_PATH,
        args: CHROMIUM_FLAGS,
      },
    }),
  ],
  filterBrowserLogs: ({ args }) => !String(args[0]).includes("Lit is in dev mode"),
  testFramework: { config: { timeout: 10_000 } },
  testsFinishTimeout: 180_000,
};
