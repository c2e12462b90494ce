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
// Before starting it applies the D1 migrations to the state dir, creates .dev.vars from
// .dev.vars.example when missing (with a fresh random value for each secret; an existing .dev.vars
// gets the settings it lacks and a random value for a secret the worker would refuse), and copies
// the demo site (demo/) to public/demo/. It builds the worker with the dev routes in (--define
// ROLLCALL_DEV_ROUTES:true), which wrangler.toml leaves out of every deployed build. RESEND_API_KEY,
// RESEND_BASE_URL and RESEND_WEBHOOK_SECRET in this process's environment reach the worker:
// wrangler itself ignores the shell's environment whenever .dev.vars exists, so they go through
// --var as well.
//
// freePort() → Promise<number> is exported too: a port on 127.0.0.1 that was free a moment ago.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { copyApiReference } from "./copy-api-reference.mjs";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_STATE_DIR = join(PROJECT_ROOT, ".wrangler", "state");

const WRANGLER = join(PROJECT_ROOT, "node_modules", ".bin", "wrangler");
const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 5_000;
const PASSED_THROUGH = ["RESEND_API_KEY", "RESEND_BASE_URL", "RESEND_WEBHOOK_SECRET"];
/** The secrets the worker refuses to run without (worker/config/secrets.ts, REQUIRED_SECRETS). */
const SECRETS = ["ROLLCALL_ROOT_KEY", "ROLLCALL_SIGNING_SECRET"];
/** The shortest secret the worker accepts (worker/config/secrets.ts, MIN_SECRET_LENGTH). */
const MIN_SECRET_LENGTH = 32;

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
  copyDemo();
  copyApiReference();
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
    // GET /__scheduled runs the Cron Trigger's handler (the fan-out benchmark's nudge).
    "--test-scheduled",
    // wrangler.toml compiles the dev routes out; a developer's server has them (on loopback only).
    "--define",
    "ROLLCALL_DEV_ROUTES:true",
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

/**
 * .dev.vars as the worker needs it. The first run copies the example file with a fresh random
 * value for each secret (the worker refuses the example's). A .dev.vars from an older checkout
 * gets the settings the example has and it lacks (ROLLCALL_ENV=development…), and a random value
 * for a secret that is missing, short or still the example's.
 */
function ensureDevVars() {
  const devVars = join(PROJECT_ROOT, ".dev.vars");
  const examplePath = join(PROJECT_ROOT, ".dev.vars.example");
  if (!existsSync(examplePath)) return;
  const example = readFileSync(examplePath, "utf8");
  const created = !existsSync(devVars);
  const before = created ? "" : readFileSync(devVars, "utf8");
  let text = created ? example : before;
  const changed = [];
  for (const [key, line] of settingLines(example)) {
    if (settingLines(text).has(key)) continue;
    text = `${text.replace(/\n?$/, "\n")}${line}\n`;
    changed.push(key);
  }
  for (const key of SECRETS) {
    const value = settingValue(settingLines(text).get(key) ?? "");
    if (value.length >= MIN_SECRET_LENGTH && value !== settingValue(settingLines(example).get(key) ?? "")) continue;
    const fresh = `${key}=${randomBytes(32).toString("base64url")}`;
    const line = settingLines(text).get(key);
    text = line === undefined ? `${text.replace(/\n?$/, "\n")}${fresh}\n` : text.replace(line, fresh);
    changed.push(key);
  }
  if (text === before) return;
  writeFileSync(devVars, text);
  if (!created) console.log(`.dev.vars: set ${[...new Set(changed)].join(", ")} (see .dev.vars.example)`);
}

/** The uncommented KEY=value lines of a .dev.vars text, by key. @param {string} text */
function settingLines(text) {
  return new Map(
    text
      .split("\n")
      .filter((line) => /^\s*[A-Z][A-Z0-9_]*\s*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")).trim(), line]),
  );
}

/** The value of a KEY=value line, unquoted. @param {string} line */
function settingValue(line) {
  return line
    .slice(line.indexOf("=") + 1)
    .trim()
    .replace(/^(["'])(.*)\1$/, "$2");
}

/**
 * The demo site is a developer's: copied into the assets here, never by the build (so `npm run
 * deploy` cannot ship it), and served by the worker only in development, on loopback.
 */
function copyDemo() {
  const target = join(PROJECT_ROOT, "public", "demo");
  rmSync(target, { recursive: true, force: true });
  cpSync(join(PROJECT_ROOT, "demo"), target, { recursive: true });
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
