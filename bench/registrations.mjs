// Public registrations against the cost of reaching the session's ledger at all.
//
// (a) round trip: GET /v1/public/sessions/{id} is a read through the worker into the ledger and
//     back, with no write: the floor any request to one session pays.
// (b) registrations: POST /v1/public/sessions/{id}/registrations, unique emails, on a session
//     large enough never to fill.
// (c) single write: POST /dev/bench/sessions/{id}/write, one row inserted in one transaction of the
//     same ledger and nothing else: the floor any write to one session pays on this server.
// Every registration comes from its own client address (see clientAddress), and each concurrency
// has a session of its own: a session takes 2,000 registrations every 10 seconds
// (REGISTER_SESSION_LIMITER), and two steps' registrations on one session would meet that limit.
// Each concurrency measures (a), (c) and (b) one right after another, so all see the same machine;
// the two floors come first, side by side, because a run of registrations leaves its confirmation
// emails to render and deliver for minutes after it (they compete for the same CPU here), and a
// floor measured in that wake would be lower than the other;
// the ratio (b)/(a) of their req/s says what a registration costs beyond the round trip, and
// (c)/(a) what any write costs on this server (local SQLite through wrangler dev), so (b)/(c) is
// the part of the gap that is the registration's own.
// Under each measurement, the CPU milliseconds each process of the server (and this client) used
// per request (lib/cpu.mjs, Linux only): the worker's own share, next to what wrangler's proxy and
// Node.js process cost every request alike on the same cores.

import { cpuLine, cpuMeter } from "./lib/cpu.mjs";
import { clientAddress, load } from "./lib/load.mjs";
import { loadLine, target } from "./lib/report.mjs";

export const title = "Registrations vs. a ledger round trip";

const STEPS = [
  { connections: 1, count: 300 },
  { connections: 10, count: 1_000 },
  { connections: 50, count: 2_000 },
];
const TIME_LIMIT_MS = 30_000;
const RATIO_TARGET = { connections: 10, atLeast: 0.8 };

/** @param {import("./run.mjs").BenchContext} ctx */
export async function run(ctx) {
  const newSession = () => ctx.createSession({ title: "Bench: registrations", maxParticipants: 10_000, waitlist: false });
  let session = await newSession();
  const readPath = () => `/v1/public/sessions/${session.id}`;
  const registerPath = () => `/v1/public/sessions/${session.id}/registrations`;
  const writePath = () => `/dev/bench/sessions/${session.id}/write`;
  let person = 0;
  let reader = 0;
  let writer = 0;
  // Readers and writers come from addresses of their own too: one client would be rate limited,
  // and a 429 costs less than the round trip this measures.
  const read = () => ({ path: readPath(), headers: { "cf-connecting-ip": clientAddress(50_000 + reader++) } });
  const register = () => {
    const n = person++;
    return {
      method: "POST",
      path: registerPath(),
      headers: { "cf-connecting-ip": clientAddress(n) },
      body: { name: `Bench Person ${n}`, email: `bench-${n}@example.org` },
    };
  };
  const write = () => ({ method: "POST", path: writePath(), headers: { "cf-connecting-ip": clientAddress(90_000 + writer++) } });

  // Warm up: the first requests create the ledger object and compile the worker's hot paths.
  await load(ctx.url, { connections: 5, count: 100, requestFor: read });
  await load(ctx.url, { connections: 5, count: 50, requestFor: register });

  const meter = cpuMeter(ctx.stateDir);
  /** @param {string} label @param {{ connections: number, count: number }} step @param {() => import("./lib/load.mjs").BenchRequest} requestFor */
  const measure = async (label, { connections, count }, requestFor) => {
    meter?.start();
    const stats = await load(ctx.url, { connections, count, timeLimitMs: TIME_LIMIT_MS, requestFor });
    ctx.print(loadLine(`${label}, ${connections} conn`, stats));
    if (meter) ctx.print(cpuLine(meter.stop(stats.requests)));
    return stats;
  };

  const targets = [];
  for (const [i, step] of STEPS.entries()) {
    const { connections } = step;
    // Warmed up on the first; each later step starts on a fresh one, its ledger created and read once.
    if (i > 0) {
      session = await newSession();
      await load(ctx.url, { connections: 1, count: 1, requestFor: read });
    }
    const a = await measure("(a) round trip", step, read);
    const c = await measure("(c) single write", step, write);
    const b = await measure("(b) registrations", step, register);
    const ratio = b.perSecond / a.perSecond;
    ctx.print(
      `    at ${connections} conn: (b)/(a) ${ratio.toFixed(2)}, (c)/(a) ${(c.perSecond / a.perSecond).toFixed(2)}, ` +
        `(b)/(c) ${(b.perSecond / c.perSecond).toFixed(2)}`,
    );
    ctx.countServerErrors(a, b, c);
    const unwritten = c.requests - (c.statuses[200] ?? 0);
    if (unwritten) targets.push(target(`every single write at ${connections} conn answered 200`, false, `${unwritten} did not`));
    const unexpected = b.requests - (b.statuses[201] ?? 0);
    if (unexpected) {
      const others = Object.entries(b.statuses)
        .filter(([status]) => status !== "201")
        .map(([status, n]) => `${n} × ${status}`)
        .join(", ");
      targets.push(target(`every registration at ${connections} conn answered 201`, false, `${unexpected} did not (${others})`));
    }
    if (connections === RATIO_TARGET.connections) {
      targets.push(
        target(`(b)/(a) ≥ ${RATIO_TARGET.atLeast} at ${connections} connections`, ratio >= RATIO_TARGET.atLeast, ratio.toFixed(2)),
      );
    }
  }
  return targets;
}
