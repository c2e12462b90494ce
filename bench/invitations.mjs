// Invitation creation: how long the server takes to answer POST /v1/sessions/{id}/invitations.
//
// (a) 200 pasted addresses (`Name <address>` per line), each run on a fresh 500-seat session,
//     once with send "later" (kept as "to send") and once with send "now" (every email decided
//     in the same transaction);
// (b) one address at a time, on one session.
// Requests go one after another (fetch keeps its connection alive) to 127.0.0.1, so the time
// measured is the server's plus a loopback hop; the "floor" line (GET /healthz) shows that hop.
// Between runs the server is left to go quiet (the previous run's emails delivered), so each run
// is measured on its own, not beside the rendering of the last run's 200 emails.
//
//   import { benchInvitations } from "./invitations.mjs";
//   await benchInvitations({ url: "http://127.0.0.1:8787", apiKey: "rk_…" });
//
// `node bench/invitations.mjs` runs it alone on a fresh local server of its own.

import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { freePort, PROJECT_ROOT, startDevServer } from "../scripts/dev-server.mjs";
import { pad, target } from "./lib/report.mjs";

export const title = "Invitation creation (server time, sequential)";

const BULK_RUNS = 20;
const BULK_SIZE = 200;
const BULK_SEATS = 500;
const SINGLE_RUNS = 50;
const FLOOR_RUNS = 50;
const SETTLE_LIMIT_MS = 20_000;
const PAUSE_WITHOUT_OUTBOX_MS = 3_000;

/**
 * Measures and prints; resolves with the figures in milliseconds and whether every request was
 * answered as expected.
 * @param {{ url: string, apiKey: string, print?: (line: string) => void }} options
 */
export async function benchInvitations({ url, apiKey, print = console.log }) {
  /** @param {string} method @param {string} path @param {unknown} body */
  const call = (method, path, body) => timed(url, { method, path, body, headers: { authorization: `Bearer ${apiKey}` } });
  /** @type {string[]} */
  const failures = [];
  /** @param {string} label @param {Timed} response */
  const expect201 = (label, response) => {
    if (response.status !== 201) failures.push(`${label}: ${response.status} ${response.body.slice(0, 200)}`);
    return response;
  };
  const newSession = async (/** @type {number} */ maxParticipants) =>
    JSON.parse(
      expect201(
        "session",
        await call("POST", "/v1/sessions", {
          title: "Bench: invitations",
          description: "Created by the benchmark.",
          startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          timeZone: "UTC",
          durationMinutes: 60,
          minParticipants: 0,
          maxParticipants,
        }),
      ).body,
    );
  const paste = (/** @type {string} */ run) =>
    Array.from({ length: BULK_SIZE }, (_, i) => `Guest ${run}-${i} <guest.${run}.${i}@example.org>`);
  /** @param {string} label @param {string} sessionId @param {unknown} body */
  const invite = async (label, sessionId, body) => expect201(label, await call("POST", `/v1/sessions/${sessionId}/invitations`, body)).ms;

  /**
   * Waits until the emails a "now" run decided have been delivered, so that no run pays for the
   * previous one's mail: the local outbox (/dev/mail.json) shows the first and the last address.
   * Without that outbox (a real mail provider configured), a fixed pause instead.
   */
  let outboxReadable = true;
  let unsettled = 0;
  /** @param {string[]} addresses */
  const settle = async (addresses, limitMs = SETTLE_LIMIT_MS) => {
    const deadline = Date.now() + limitMs;
    while (outboxReadable) {
      const seen = await Promise.all(
        addresses.map(async (to) => {
          const res = await timed(url, { path: `/dev/mail.json?limit=1&to=${encodeURIComponent(to)}` });
          if (res.status !== 200) outboxReadable = false;
          return res.status === 200 && JSON.parse(res.body).messages.length > 0;
        }),
      );
      if (seen.every(Boolean)) return;
      if (Date.now() > deadline) {
        unsettled++;
        return;
      }
      await sleep(100);
    }
    await sleep(PAUSE_WITHOUT_OUTBOX_MS);
  };
  const addressOf = (/** @type {string} */ entry) => entry.slice(entry.indexOf("<") + 1, -1);

  // Warm up: the first requests compile the worker's paths and create the first ledgers.
  for (const mode of ["later", "now"])
    await invite("warm-up", (await newSession(BULK_SEATS)).id, { recipients: paste(`w${mode}`).join("\n"), send: mode });
  // Mail of earlier benchmarks may still be queued ahead of these: wait longer once.
  const warmUp = paste("wnow");
  await settle([addressOf(warmUp[0]), addressOf(warmUp[warmUp.length - 1])], 4 * SETTLE_LIMIT_MS);

  const floor = [];
  for (let i = 0; i < FLOOR_RUNS; i++) floor.push((await timed(url, { path: "/healthz" })).ms);

  /** @type {Record<string, number[]>} */
  const bulk = { later: [], now: [] };
  for (let run = 0; run < BULK_RUNS; run++) {
    for (const mode of ["later", "now"]) {
      const session = await newSession(BULK_SEATS);
      const pasted = paste(`${mode}${run}`);
      bulk[mode].push(await invite(`${BULK_SIZE} addresses, ${mode}`, session.id, { recipients: pasted.join("\n"), send: mode }));
      if (mode === "now") await settle([addressOf(pasted[0]), addressOf(pasted[pasted.length - 1])]);
      else await sleep(200); // the projection's D1 write
    }
  }

  const single = [];
  const singleSession = await newSession(BULK_SEATS);
  for (let i = 0; i < SINGLE_RUNS; i++) {
    single.push(await invite("one address", singleSession.id, { recipients: `Solo ${i} <solo.${i}@example.org>` }));
    await settle([`solo.${i}@example.org`]);
  }

  const figures = {
    floor: stats(floor),
    bulkLater: stats(bulk.later),
    bulkNow: stats(bulk.now),
    single: stats(single),
  };
  /** @param {string} label @param {ReturnType<typeof stats>} s */
  const line = (label, s, extra = "") =>
    print(
      `${pad(label, 44)}${pad(`${s.runs} runs`, 9, true)}${pad(`p50 ${s.p50.toFixed(1)} ms`, 15, true)}${pad(`p99 ${s.p99.toFixed(1)} ms`, 16, true)}${extra}`,
    );
  line("floor: GET /healthz", figures.floor);
  line(
    `${BULK_SIZE} addresses, send "later"`,
    figures.bulkLater,
    `   (${((figures.bulkLater.p50 / BULK_SIZE) * 1000).toFixed(0)} µs per invitation at p50)`,
  );
  line(
    `${BULK_SIZE} addresses, send "now"`,
    figures.bulkNow,
    `   (${((figures.bulkNow.p50 / BULK_SIZE) * 1000).toFixed(0)} µs per invitation at p50)`,
  );
  line('1 address, send "now"', figures.single);
  print(`    ${BULK_SIZE} addresses cost ${(figures.bulkNow.p50 / figures.single.p50).toFixed(1)}× one address (send "now", p50)`);
  if (!outboxReadable) print(`    (no local outbox to watch: runs were spaced by ${PAUSE_WITHOUT_OUTBOX_MS / 1000} s pauses instead)`);
  if (unsettled) print(`    (${unsettled} runs began before the previous run's mail was delivered)`);
  for (const failure of failures.slice(0, 5)) print(`    unexpected answer: ${failure}`);
  return { ...figures, failures };
}

/**
 * Adapter for bench/run.mjs: same server, same org.
 * @param {import("./run.mjs").BenchContext} ctx
 */
export async function run(ctx) {
  const figures = await benchInvitations({ url: ctx.url, apiKey: ctx.apiKey, print: ctx.print });
  return [target("every invitation request answered 201", figures.failures.length === 0, `${figures.failures.length} did not`)];
}

const sleep = (/** @type {number} */ ms) => new Promise((done) => setTimeout(done, ms));

/**
 * @typedef {{ status: number, body: string, ms: number }} Timed
 */

/**
 * One request, timed from sending to the last byte of the answer: { status, body, ms }.
 * @param {string} url
 * @param {{ method?: string, path: string, headers?: Record<string, string>, body?: unknown }} request
 * @returns {Promise<Timed>}
 */
async function timed(url, { method = "GET", path, headers = {}, body }) {
  const address = new URL(path, url);
  if (address.hostname !== "127.0.0.1") throw new Error(`the benchmark only talks to 127.0.0.1, not ${address.hostname}`);
  const started = performance.now();
  try {
    const res = await fetch(address, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    return { status: res.status, body: text, ms: performance.now() - started };
  } catch (error) {
    return { status: 0, body: String(error), ms: performance.now() - started };
  }
}

/** @param {number[]} ms */
function stats(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { runs: sorted.length, p50: at(0.5), p99: at(0.99) };
}

async function standalone() {
  const stateDir = join(PROJECT_ROOT, ".wrangler", "bench-invitations-state");
  rmSync(stateDir, { recursive: true, force: true });
  const rootKey = `bench-root-${randomBytes(16).toString("hex")}`;
  const server = await startDevServer({ port: await freePort(), stateDir, vars: { ROLLCALL_ROOT_KEY: rootKey } });
  try {
    const org = await timed(server.url, {
      method: "POST",
      path: "/v1/orgs",
      body: { name: "Benchmark org" },
      headers: { authorization: `Bearer ${rootKey}` },
    });
    if (org.status !== 201) throw new Error(`creating the org answered ${org.status}: ${org.body}`);
    console.log(title);
    const { failures } = await benchInvitations({ url: server.url, apiKey: JSON.parse(org.body).apiKey });
    process.exitCode = failures.length ? 1 : 0;
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  standalone().catch((error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  });
}
