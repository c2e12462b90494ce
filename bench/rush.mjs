// A rush: 5,000 people, each from their own address, ask for a 100-seat session (no waitlist) at
// the same moment. Nobody may be oversold, everyone else gets a clean refusal (409 capacity_full,
// or 429 rate_limited from the per-session ceiling), and nothing answers 5xx.

import { burst, clientAddress } from "./lib/load.mjs";
import { loadLine, target } from "./lib/report.mjs";

export const title = "Rush: 5,000 attempts at 100 seats";

const SEATS = 100;
const ATTEMPTS = 5_000;
/**
 * All attempts are sent at once, over at most this many connections (the rest wait in the
 * client, as behind a load balancer). Locally, past about 200 concurrent connections, wrangler
 * dev's proxy loses requests on their way to the worker and answers 503 "Your worker restarted
 * mid-request": a limit of the simulator, which BENCH_RUSH_CONNECTIONS=500 shows.
 */
const CONNECTIONS = Number(process.env.BENCH_RUSH_CONNECTIONS ?? 100);

/** @param {import("./run.mjs").BenchContext} ctx */
export async function run(ctx) {
  const session = await ctx.createSession({ title: "Bench: rush", maxParticipants: SEATS, waitlist: false });
  const path = `/v1/public/sessions/${session.id}/registrations`;
  const rush = await burst(ctx.url, {
    connections: CONNECTIONS,
    count: ATTEMPTS,
    requestFor: (n) => ({
      method: "POST",
      path,
      headers: { "cf-connecting-ip": clientAddress(100_000 + n) },
      body: { name: `Rush Person ${n}`, email: `rush-${n}@example.org` },
    }),
  });
  ctx.print(loadLine(`${ATTEMPTS} at once, ≤${CONNECTIONS} conn`, rush));
  ctx.countServerErrors(rush);

  const refusedFull = rush.results.filter((r) => cleanRefusal(r) === "capacity_full").length;
  const rateLimited = rush.results.filter((r) => cleanRefusal(r) === "rate_limited").length;
  const roster = await ctx.api("GET", `/v1/sessions/${session.id}/roster`, { expect: 200 });
  const confirmed = roster.rows.filter(
    (/** @type {{ kind: string, status: string }} */ row) => row.kind === "registration" && row.status === "confirmed",
  ).length;
  const oversold = Math.max(0, confirmed - SEATS);
  ctx.print(`    the last of the ${ATTEMPTS} had its answer ${(rush.lastAnswerMs / 1000).toFixed(1)} s after the rush began`);
  const answers = [`201: ${rush.statuses[201] ?? 0}`, `409 capacity_full: ${refusedFull}`, `429 rate_limited: ${rateLimited}`];
  ctx.print(`    answered ${answers.join(", ")}, 5xx: ${rush.serverErrors}, network errors: ${rush.networkErrors}`);
  ctx.print(`    roster: ${confirmed} confirmed of ${SEATS} seats, oversold: ${oversold}`);
  for (const [answer, n] of unexpectedAnswers(rush.results)) ctx.print(`    ${n} × ${answer}`);

  return [
    target(`rush ends with exactly ${SEATS} confirmed`, confirmed === SEATS, `${confirmed} confirmed in the roster`),
    target("rush oversells nobody", oversold === 0, `${oversold} oversold`),
    target("rush answers no 5xx", rush.serverErrors === 0, `${rush.serverErrors} 5xx`),
    target(
      "every other attempt is refused cleanly (capacity_full or rate_limited)",
      refusedFull + rateLimited === ATTEMPTS - SEATS,
      `${refusedFull} capacity_full, ${rateLimited} rate_limited of ${ATTEMPTS - SEATS}`,
    ),
  ];
}

/**
 * "capacity_full" or "rate_limited" when the answer is one of the refusals a rush expects.
 * @param {import("./lib/load.mjs").BenchResponse} r
 */
function cleanRefusal(r) {
  if (r.status === 409 && r.body.includes('"code":"capacity_full"')) return "capacity_full";
  if (r.status === 429 && r.body.includes('"code":"rate_limited"')) return "rate_limited";
  return null;
}

/**
 * What came back besides 201 and the expected refusals, grouped, so a failure says what it was.
 * @param {import("./lib/load.mjs").BenchResponse[]} results
 */
function unexpectedAnswers(results) {
  /** @type {Map<string, number>} */
  const seen = new Map();
  for (const r of results) {
    if (r.status === 201 || cleanRefusal(r)) continue;
    const answer = `${r.status || "network error"} ${r.body.replace(/\s+/g, " ").slice(0, 160)}`;
    seen.set(answer, (seen.get(answer) ?? 0) + 1);
  }
  return [...seen].sort((a, b) => b[1] - a[1]).slice(0, 5);
}
