// How the benchmark prints: one aligned line per measurement, and targets that pass or miss.

/** @param {string} label @param {import("./load.mjs").LoadStats} stats */
export function loadLine(label, stats) {
  const extra = Object.entries(stats.statuses)
    .filter(([status]) => !["200", "201"].includes(status))
    .map(([status, n]) => `${status === "0" ? "network errors" : status}: ${n}`);
  return [
    pad(label, 34),
    pad(`${stats.requests} req`, 10, true),
    pad(`${stats.perSecond.toFixed(1)} req/s`, 14, true),
    pad(`p50 ${stats.p50.toFixed(1)} ms`, 17, true),
    pad(`p99 ${stats.p99.toFixed(1)} ms`, 17, true),
    extra.length ? `  (${extra.join(", ")})` : "",
    serverErrorLine(stats),
  ].join("");
}

/** What the first 5xx said, on a line of its own: the status alone does not tell whose it was. @param {import("./load.mjs").LoadStats} stats */
function serverErrorLine(stats) {
  const first = stats.results.find((r) => r.status >= 500);
  return first ? `\n    first ${first.status}: ${first.body.replace(/\s+/g, " ").slice(0, 200)}` : "";
}

/** @param {unknown} text @param {number} width */
export function pad(text, width, right = false) {
  const s = String(text);
  return right ? s.padStart(width) : s.padEnd(width);
}

/**
 * A target: what was measured against what is wanted.
 * @param {string} name @param {unknown} ok @param {unknown} measured
 */
export function target(name, ok, measured) {
  return { name, ok: Boolean(ok), measured: String(measured) };
}
