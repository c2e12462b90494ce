// Starts and stops a local Rollcall server (`wrangler dev`, fully offline) for `npm start`, the
// benchmark and the end-to-end tests.
//
//   import { startDevServer } from "./scripts/dev-server.mjs";
//   const server = await startDevServer({ port: 8787, stateDir: ".wrangler/e2e-state", vars: { KEY: "value" } });
//   await fetch(`${server.url}/healthz`);
//   await server.stop();
//
// startDevServer({ port, stateDir?, vars? }) → Promise<{ url, stop(), logFile }>
//   port      the port to listen on, on 127.0.0.1 only. Refused when something already listens there.
//   stateDir  where D1, Durable Object and queue state persist (wrangler's --persist-to); relative
//             paths are taken from the project root. Default: .wrangler/state (what `npm start` uses).
//   vars      extra worker variables, passed as `--var KEY:VALUE` (they win over .dev.vars and
//             over the environment; "" blanks one, e.g. { RESEND_API_KEY: "" } for the dev outbox).
//   url       "http://127.0.0.1:<port>", resolved once GET /healthz answers 200.
//   stop()    ends wrangler and every workerd it started (the whole process group); safe to call twice.
//   logFile   wrangler's output (<stateDir>/dev-server.log), for a failing test to show.
//
// Before starting it applies the D1 migrations to the state dir and creates .dev.vars from
// .dev.vars.example when missing. RESEND_API_KEY, RESEND_BASE_URL and RESEND_WEBHOOK_SECRET in
// this process's environment reach the worker: wrangler itself ignores the shell's environment
// whenever .dev.vars exists, so they go through --var as well.
//
// freePort() → Promise<number> is exported too: a port on 127.0.0.1 that was free a moment ago.

import { spawn } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_STATE_DIR = join(PROJECT_ROOT, ".wrangler", "state");

const WRANGLER = join(PROJECT_ROOT, "node_modules", ".bin", "wrangler");
const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 5_000;
const PASSED_THROUGH = ["RESEND_API_KEY", "RESEND_BASE_URL", "RESEND_WEBHOOK_SECRET"];

/** @typedef {{ code: number | null, signal: NodeJS.Signals | null, error?: Error }} Exit */

/** wrangler must never phone home: no metrics, no error reports, no Request.cf download. */
const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

/**
 * @param {{ port: number, stateDir?: string, vars?: Record<string, string> }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void>, logFile: string }>}
 */
export async function startDevServer({ port, stateDir = DEFAULT_STATE_DIR, vars = {} }) {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`startDevServer: invalid port ${port}`);
  const persistTo = resolve(PROJECT_ROOT, stateDir);
  mkdirSync(persistTo, { recursive: true });
  ensureDevVars();
  await assertPortFree(port);
  await applyMigrations(persistTo);

  const logFile = join(persistTo, "dev-server.log");
  const log = openSync(logFile, "w");
  const args = [
    "dev",
    "--ip",
    HOST,
    "--port",
    String(port),
    "--inspector-port",
    String(await freePort()),
    "--persist-to",
    persistTo,
    "--show-interactive-dev-session=false",
    ...workerVars(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
  ];
  // detached: wrangler leads a new process group, so stop() can end it with all its workerd.
  const child = spawn(WRANGLER, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...OFFLINE_ENV },
    stdio: ["ignore", log, log],
    detached: true,
  });
  closeSync(log);

  const group = /** @type {number} */ (child.pid);
  /** @type {Promise<Exit>} */
  const exited = new Promise((done) => {
    child.once("exit", (code, signal) => done({ code, signal }));
    child.once("error", (error) => done({ code: null, signal: null, error }));
  });
  // Should this process end without calling stop(), do not leave a server behind.
  const killOnExit = () => signalGroup(group, "SIGKILL");
  process.once("exit", killOnExit);

  /** @type {Promise<void> | null} */
  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      signalGroup(group, "SIGTERM");
      const calm = await waitForGroupToEnd(group, STOP_GRACE_MS);
      if (!calm) {
        signalGroup(group, "SIGKILL");
        await waitForGroupToEnd(group, STOP_GRACE_MS);
      }
      await exited;
    })();
    return stopping;
  };

  const url = `http://${HOST}:${port}`;
  try {
    await waitForHealth(url, exited);
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : error}\n--- last lines of ${logFile} ---\n${tail(logFile, 40)}`);
  }
  return { url, stop, logFile };
}

/**
 * A TCP port on 127.0.0.1 that nothing listened on when asked.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, HOST, () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => done(port));
    });
  });
}

/** The first run copies the example file, which holds the local root key and signing secret. */
function ensureDevVars() {
  const devVars = join(PROJECT_ROOT, ".dev.vars");
  const example = join(PROJECT_ROOT, ".dev.vars.example");
  if (!existsSync(devVars) && existsSync(example)) copyFileSync(example, devVars);
}

/** @param {Record<string, string>} vars */
function workerVars(vars) {
  const fromEnv = PASSED_THROUGH.filter((key) => process.env[key]).map((key) => /** @type {[string, string]} */ ([key, process.env[key]]));
  const merged = new Map([...fromEnv, ...Object.entries(vars)]);
  return [...merged].filter(([, value]) => value !== undefined && value !== null).map(([k, v]) => [k, String(v)]);
}

/** @param {number} port @returns {Promise<void>} */
function assertPortFree(port) {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", (/** @type {NodeJS.ErrnoException} */ error) =>
      fail(error.code === "EADDRINUSE" ? new Error(`Port ${port} on ${HOST} is already in use; choose another with PORT=…`) : error),
    );
    probe.listen(port, HOST, () => probe.close(() => done()));
  });
}

/** @param {string} persistTo */
async function applyMigrations(persistTo) {
  const { code, output } = await run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo]);
  if (code !== 0) throw new Error(`Applying the D1 migrations failed (exit ${code}):\n${output}`);
}

/**
 * Runs a command to completion with no stdin (wrangler then answers its own prompts).
 * @param {string} command @param {string[]} args
 * @returns {Promise<{ code: number | null, output: string }>}
 */
function run(command, args) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...OFFLINE_ENV, CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", fail);
    child.once("close", (code) => done({ code, output }));
  });
}

/** @param {string} url @param {Promise<Exit>} exited */
async function waitForHealth(url, exited) {
  /** @type {Exit | null} */
  let ended = null;
  exited.then((how) => (ended = how));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    // Set by the callback above while this loop awaits: the checker cannot see that.
    const exit = /** @type {Exit | null} */ (ended);
    if (exit)
      throw new Error(`wrangler dev exited before it was ready (${exit.error?.message ?? `code ${exit.code}, signal ${exit.signal}`})`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url}/healthz did not answer within ${READY_TIMEOUT_MS / 1000} s`);
}

/** @param {number} group @param {NodeJS.Signals | 0} signal */
function signalGroup(group, signal) {
  try {
    process.kill(-group, signal);
    return true;
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === "ESRCH") return false; // the group is already gone
    throw error;
  }
}

/** @param {number} group @param {number} ms */
async function waitForGroupToEnd(group, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!signalGroup(group, 0)) return true;
    await sleep(50);
  }
  return !signalGroup(group, 0);
}

/** @param {string} file @param {number} lines */
function tail(file, lines) {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}
