// Where a measurement's CPU went: the CPU time each process of the local server (and this client)
// used while it ran, per request. Under `wrangler dev` one request crosses wrangler's proxy (a
// workerd of its own), the worker's workerd (the worker, the ledger, and the D1, queue and rate
// limit simulators) and wrangler's Node.js process, all on this machine's cores; a ratio of two
// rates says what one request costs next to another only together with these figures.
// Linux only (/proc); elsewhere `cpuMeter` answers null and nothing is printed.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { pad } from "./report.mjs";

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** @typedef {{ label: string, pid: number }} ServerProcess */

/** @param {number} pid */
const commandOf = (pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
/** @param {number} pid */
const parentOf = (pid) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[1]);

/** The server's processes: the wrangler started with `--persist-to stateDir`, and everything it started. @param {string} stateDir */
function serverProcesses(stateDir) {
  const pids = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  /** @type {Map<number, number>} */
  const parents = new Map();
  for (const pid of pids) {
    try {
      parents.set(pid, parentOf(pid));
    } catch {
      // ended meanwhile
    }
  }
  const roots = pids.filter((pid) => {
    try {
      return commandOf(pid).includes(`--persist-to ${stateDir}`);
    } catch {
      return false;
    }
  });
  const ours = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents)
      if (!ours.has(pid) && ours.has(parent)) {
        ours.add(pid);
        grew = true;
      }
  }
  /** @type {ServerProcess[]} */
  const found = [];
  for (const pid of ours) {
    let command;
    try {
      command = commandOf(pid);
    } catch {
      continue;
    }
    const label = command.includes("workerd")
      ? command.includes("--inspector-addr")
        ? "worker"
        : "proxy"
      : command.includes("node")
        ? "wrangler"
        : null;
    if (label) found.push({ label, pid });
  }
  return found;
}

/** CPU milliseconds used so far, per label. @param {ServerProcess[]} processes */
function cpuNow(processes) {
  const client = process.cpuUsage();
  /** @type {Record<string, number>} */
  const ms = { client: (client.user + client.system) / 1000 };
  for (const { label, pid } of processes) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      ms[label] = (ms[label] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      // ended meanwhile
    }
  }
  return ms;
}

/**
 * A meter over the server started with this state directory: `start()` then `stop(requests)` gives
 * the CPU milliseconds per request of each process. Null where /proc is missing.
 * @param {string} stateDir
 */
export function cpuMeter(stateDir) {
  if (!existsSync("/proc/self/stat")) return null;
  const processes = serverProcesses(stateDir);
  if (!processes.some((p) => p.label === "worker")) return null;
  /** @type {Record<string, number>} */
  let started = {};
  return {
    start() {
      started = cpuNow(processes);
    },
    /** @param {number} requests @returns {Record<string, number>} */
    stop(requests) {
      const now = cpuNow(processes);
      return Object.fromEntries(Object.keys(now).map((label) => [label, (now[label] - (started[label] ?? 0)) / Math.max(1, requests)]));
    },
  };
}

/** One line: CPU ms per request, the worker's first. @param {Record<string, number>} perRequest */
export function cpuLine(perRequest) {
  const order = ["worker", "proxy", "wrangler", "client"];
  const names = { worker: "worker's workerd", proxy: "wrangler's proxy", wrangler: "wrangler (Node.js)", client: "this client" };
  const parts = order
    .filter((k) => k in perRequest)
    .map((k) => `${names[/** @type {keyof typeof names} */ (k)]} ${perRequest[k].toFixed(2)}`);
  const total = Object.values(perRequest).reduce((a, b) => a + b, 0);
  return `${pad("", 4)}CPU ms per request: ${parts.join(", ")}; total ${total.toFixed(2)}`;
}
