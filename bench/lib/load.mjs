// The benchmark's HTTP client: keep-alive connections to 127.0.0.1, a bounded load generator, and
// latency statistics. node:http rather than fetch, so the client costs little next to the server.

import { Agent, request as httpRequest } from "node:http";

/**
 * @typedef {{ method?: string, path: string, headers?: Record<string, string>, body?: unknown }} BenchRequest
 * @typedef {{ status: number, body: string, ms: number, totalMs: number }} BenchResponse
 * @typedef {ReturnType<typeof summarize>} LoadStats
 */

/**
 * One HTTP exchange. Resolves with { status, body, ms, totalMs }: `ms` counts from the moment the
 * request has a connection (so waiting for a free one in the client is not charged to the
 * server), `totalMs` from the call. A network failure resolves with status 0 so that a load run
 * counts it instead of stopping.
 * @param {Agent} agent
 * @param {string} url
 * @param {BenchRequest} request
 * @returns {Promise<BenchResponse>}
 */
export function send(agent, url, { method = "GET", path, headers = {}, body }) {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const target = new URL(path, url);
  if (target.hostname !== "127.0.0.1") throw new Error(`the benchmark only talks to 127.0.0.1, not ${target.hostname}`);
  const called = performance.now();
  let started = called;
  return new Promise((done) => {
    /** @param {number} status @param {string} text */
    const finish = (status, text) => {
      const now = performance.now();
      done({ status, body: text, ms: now - started, totalMs: now - called });
    };
    const req = httpRequest(
      target,
      {
        method,
        agent,
        headers: { ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}), ...headers },
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8")));
        res.on("error", (error) => finish(0, String(error)));
      },
    );
    req.once("socket", () => (started = performance.now()));
    req.setTimeout(60_000, () => req.destroy(new Error("timed out after 60 s")));
    req.on("error", (error) => finish(0, String(error)));
    req.end(payload);
  });
}

/** @param {number} connections */
export function keepAliveAgent(connections) {
  return new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
}

/**
 * Sends `count` requests over `connections` keep-alive connections, each connection sending its
 * next request as soon as the previous answer arrived, and stops early after `timeLimitMs`.
 * `requestFor(i)` describes the i-th request.
 * @param {string} url
 * @param {{ connections: number, count: number, timeLimitMs?: number, requestFor: (i: number) => BenchRequest }} options
 */
export async function load(url, { connections, count, timeLimitMs = 60_000, requestFor }) {
  const agent = keepAliveAgent(connections);
  /** @type {BenchResponse[]} */
  const results = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + timeLimitMs;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      results.push(await send(agent, url, requestFor(next++)));
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return summarize(results, seconds);
}

/**
 * Fires `count` requests at the same moment over up to `connections` connections.
 * @param {string} url
 * @param {{ connections: number, count: number, requestFor: (i: number) => BenchRequest }} options
 */
export async function burst(url, { connections, count, requestFor }) {
  const agent = keepAliveAgent(connections);
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: count }, (_, i) => send(agent, url, requestFor(i))));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return summarize(results, seconds);
}

/** @param {BenchResponse[]} results @param {number} seconds */
function summarize(results, seconds) {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  /** @type {Record<string, number>} */
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return {
    requests: results.length,
    seconds,
    perSecond: results.length / seconds,
    p50: percentile(ms, 0.5),
    p99: percentile(ms, 0.99),
    lastAnswerMs: Math.max(0, ...results.map((r) => r.totalMs)),
    statuses,
    serverErrors: results.filter((r) => r.status >= 500).length,
    networkErrors: results.filter((r) => r.status === 0).length,
    results,
  };
}

/** @param {number[]} sorted @param {number} q */
function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * The address of the n-th simulated person, from 198.18.0.0/15 (the range set aside for
 * benchmarks, RFC 2544), for the `cf-connecting-ip` header. A real rush comes from thousands of
 * addresses; from one, the per-client rate limit would refuse all but the first few.
 * @param {number} n
 */
export function clientAddress(n) {
  return `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`;
}
