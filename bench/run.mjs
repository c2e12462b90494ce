// `npm run bench`: measures Rollcall on a local `wrangler dev` with a fresh state of its own
// (removed first), then prints every figure and whether each target holds.
//
// The state lives in memory where the machine has a RAM-backed directory (/dev/shm on Linux), so
// that the figures measure the worker and not this machine's disk: on disk every commit of the
// ledger and of D1 waits for the local file to be synced before its answer goes out, a wait that
// depends on the disk (on a virtual machine's, it held single writes to 0.75–0.79 of the round
// trip's rate at 10 connections, against 1.03–1.11 in memory) and that Cloudflare's storage does
// not have. `npm run bench -- --on-disk` keeps the state under .wrangler/ to measure with it.
//
// Each benchmark is a module under bench/ that exports `title` and `run(ctx)`, which prints its
// lines through ctx.print and returns its targets (see lib/report.mjs). To add one (invitation
// creation, email delivery…), write the module and append it to BENCHMARKS: they run in order on
// the same server. ctx offers:
//   url                          the server, http://127.0.0.1:<port>
//   stateDir                     the server's state (wrangler's --persist-to), e.g. for `wrangler d1 execute --local`
//   apiKey                       an org API key of a fresh org
//   newOrg(name)                 another fresh org, for a benchmark that must count everything in it → its API key
//   api(method, path, options)   JSON request with the API key → parsed body ({ body, key, expect })
//   createSession(fields)        POST /v1/sessions with sensible defaults → the session
//   countServerErrors(...stats)  adds load results' 5xx to the run's total
//   print(line)

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort, PROJECT_ROOT, startDevServer } from "../scripts/dev-server.mjs";
import { startResendStandin } from "../test/support/resend-standin.mjs";
import * as directory from "./directory.mjs";
import * as email from "./email.mjs";
import * as fanout from "./fanout.mjs";
import * as invitations from "./invitations.mjs";
import { keepAliveAgent, send } from "./lib/load.mjs";
import { target } from "./lib/report.mjs";
import * as registrations from "./registrations.mjs";
import * as rush from "./rush.mjs";
import * as widgetSize from "./widget-size.mjs";

// Invitations first: they time single requests and want a server with no mail queued yet.
// `npm run bench -- registrations rush` runs only the named ones ("email" included).
const ALL = { invitations, registrations, rush, directory, fanout, "widget-size": widgetSize };
const ON_DISK = process.argv.includes("--on-disk");
const ONLY = process.argv.slice(2).filter((arg) => arg !== "--on-disk");
for (const name of ONLY) {
  if (!(name in ALL) && name !== "email") {
    console.error(`No benchmark named ${name}: choose among ${[...Object.keys(ALL), "email"].join(", ")}.`);
    process.exit(2);
  }
}
const BENCHMARKS = Object.entries(ALL)
  .filter(([name]) => ONLY.length === 0 || ONLY.includes(name))
  .map(([, benchmark]) => benchmark);
const RUN_EMAIL = ONLY.length === 0 || ONLY.includes("email");
const STATE_ROOT = !ON_DISK && existsSync("/dev/shm") ? join("/dev/shm", "rollcall-bench") : join(PROJECT_ROOT, ".wrangler");
const STATE_DIR = join(STATE_ROOT, "bench-state");
const EMAIL_STATE_DIR = join(STATE_ROOT, "bench-email-state");
const WHOLE_RUN_LIMIT_MS = 10 * 60_000;

/**
 * What each benchmark's run(ctx) receives (see the list above).
 * @typedef {{
 *   url: string,
 *   stateDir: string,
 *   apiKey: string,
 *   serverErrors: number,
 *   api: (method: string, path: string, options?: { body?: unknown, key?: string, expect?: number }) => Promise<any>,
 *   newOrg: (name: string) => Promise<string>,
 *   print: (line: string) => void,
 *   countServerErrors: (...stats: import("./lib/load.mjs").LoadStats[]) => void,
 *   createSession: (fields: Record<string, unknown>) => Promise<any>,
 * }} BenchContext
 */

/** @type {Awaited<ReturnType<typeof startDevServer>> | null} */
let server = null;

async function main() {
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => abort(`stopped by ${signal}`));
  setTimeout(() => abort(`the benchmark took longer than ${WHOLE_RUN_LIMIT_MS / 60_000} minutes`), WHOLE_RUN_LIMIT_MS).unref();

  rmSync(STATE_DIR, { recursive: true, force: true });
  const rootKey = `bench-root-${randomBytes(16).toString("hex")}`;
  const port = await freePort();
  const where = STATE_ROOT.startsWith("/dev/shm") ? "in memory" : "on disk";
  console.log(`Starting a fresh server on 127.0.0.1:${port} (state ${where}: ${STATE_DIR})…`);
  server = await startDevServer({ port, stateDir: STATE_DIR, vars: { ROLLCALL_ROOT_KEY: rootKey } });

  const ctx = await context(server.url, rootKey, STATE_DIR);
  const targets = [];
  for (const benchmark of BENCHMARKS) {
    console.log(`\n${benchmark.title}`);
    targets.push(...(await benchmark.run(ctx)));
  }
  targets.push(target("no 5xx in the whole run", ctx.serverErrors === 0, `${ctx.serverErrors} 5xx`));

  const reloads = (readFileSync(server.logFile, "utf8").match(/Reloading local server/g) ?? []).length;
  await server.stop();
  rmSync(STATE_DIR, { recursive: true, force: true });

  if (RUN_EMAIL) await runEmail(rootKey, targets);
  if (reloads) {
    console.log(`\nWarning: wrangler reloaded the worker ${reloads} time(s) during the run (a file under worker/ changed,`);
    console.log("or it restarted the worker under load); requests in flight then answer 503 and the figures are disturbed.");
  }

  console.log("\nTargets");
  for (const t of targets) console.log(`  ${t.ok ? "pass" : "MISS"}  ${t.name}: ${t.measured}`);
  process.exit(targets.every((t) => t.ok) ? 0 : 1);
}

/**
 * Email delivery on a server of its own whose mail goes to a Resend stand-in enforcing Resend's
 * 2 requests/s, so the thousands of confirmations of the other benchmarks do not queue ahead of it.
 * @param {string} rootKey
 * @param {{ name: string; ok: boolean; measured: string }[]} targets
 */
async function runEmail(rootKey, targets) {
  console.log(`\n${email.title}`);
  const standin = await startResendStandin({ rateLimit: 2 });
  rmSync(EMAIL_STATE_DIR, { recursive: true, force: true });
  server = await startDevServer({
    port: await freePort(),
    stateDir: EMAIL_STATE_DIR,
    vars: { ROLLCALL_ROOT_KEY: rootKey, RESEND_BASE_URL: standin.url, RESEND_API_KEY: "re_bench" },
  });
  const emailCtx = await context(server.url, rootKey, EMAIL_STATE_DIR);
  process.env.RESEND_BASE_URL = standin.url;
  process.env.RESEND_API_KEY = "re_bench";
  targets.push(...(await email.run(emailCtx)));
  await server.stop();
  rmSync(EMAIL_STATE_DIR, { recursive: true, force: true });
  await standin.close();
}

/** @param {string} url @param {string} rootKey @param {string} stateDir @returns {Promise<BenchContext>} */
async function context(url, rootKey, stateDir) {
  const agent = keepAliveAgent(4);
  /** @type {BenchContext["api"]} */
  const api = async (method, path, { body, key, expect } = {}) => {
    const response = await send(agent, url, { method, path, body, headers: { authorization: `Bearer ${key ?? ctx.apiKey}` } });
    if (expect !== undefined && response.status !== expect)
      throw new Error(`${method} ${path} answered ${response.status}: ${response.body}`);
    return JSON.parse(response.body);
  };
  /** @type {BenchContext} */
  const ctx = {
    url,
    stateDir,
    apiKey: "", // the fresh org's, set below before any call needs it
    serverErrors: 0,
    api,
    newOrg: async (name) => (await api("POST", "/v1/orgs", { key: rootKey, body: { name }, expect: 201 })).apiKey,
    print: (line) => console.log(line),
    countServerErrors: (...stats) => {
      for (const s of stats) ctx.serverErrors += s.serverErrors;
    },
    createSession: (fields) =>
      api("POST", "/v1/sessions", {
        expect: 201,
        body: {
          description: "Created by the benchmark.",
          startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          timeZone: "UTC",
          durationMinutes: 60,
          minParticipants: 0,
          ...fields,
        },
      }),
  };
  ctx.apiKey = await ctx.newOrg("Benchmark org");
  return ctx;
}

/** @param {string} reason */
async function abort(reason) {
  console.error(`\nBenchmark aborted: ${reason}`);
  if (server) await server.stop();
  process.exit(1);
}

main().catch((error) => abort(error.stack ?? error.message));
