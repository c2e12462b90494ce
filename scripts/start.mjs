// `npm start`: builds the widget when its sources changed, serves Rollcall on
// http://127.0.0.1:$PORT (default 8787), seeds a demo organisation once, and prints where to look.
// Ctrl-C stops wrangler and every workerd it started.
//
// The demo org's id, API key and session ids are kept in .wrangler/state/rollcall-demo.json:
// a second run reuses them when the key still works, so nothing is created twice.

import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_STATE_DIR, PROJECT_ROOT, startDevServer } from "./dev-server.mjs";

const PORT = Number(process.env.PORT ?? 8787);
const DEMO_FILE = join(DEFAULT_STATE_DIR, "rollcall-demo.json");
const WIDGET_BUNDLE = join(PROJECT_ROOT, "public", "widget", "rollcall.js");
const WIDGET_SOURCES = join(PROJECT_ROOT, "widget");

const ORG = { name: "Maple Grove Summer Camp", ownerEmail: "camp-owner@example.org" };
/** The demo org's public address: its list of sessions at /o/maple-grove and on demo/list.html. */
const ORG_SLUG = "maple-grove";
const TIME_ZONE = "America/Toronto";
const DAY = 24 * 60 * 60 * 1000;

/** The demo sessions, each a different situation a visitor of the demo page can try. */
const DEMO_SESSIONS = [
  {
    key: "open",
    body: () => ({
      title: "Forest Explorers — Week 1",
      description: "Five mornings of trails, tracks and tree identification for ages 8–11.",
      startsAt: localInstant(21, 9),
      timeZone: TIME_ZONE,
      durationMinutes: 180,
      minParticipants: 6,
      maxParticipants: 24,
      waitlist: true,
    }),
    participants: 5,
  },
  {
    key: "nearlyFull",
    body: () => ({
      title: "Lake Canoeing — Week 2",
      description: "Paddling basics and a day trip across Maple Lake. Swimming test required.",
      startsAt: localInstant(28, 9),
      timeZone: TIME_ZONE,
      durationMinutes: 240,
      minParticipants: 4,
      maxParticipants: 12,
      waitlist: true,
    }),
    participants: 11,
  },
  {
    key: "withCode",
    body: () => ({
      title: "Counsellor-in-Training Weekend",
      description: "For returning campers aged 15–17. Ask the office for the registration code.",
      startsAt: localInstant(35, 10),
      timeZone: TIME_ZONE,
      durationMinutes: 480,
      minParticipants: 5,
      maxParticipants: 16,
      registrationCode: "MAPLE-CIT",
      waitlist: false,
    }),
    participants: 2,
  },
  {
    key: "opensNextWeek",
    body: () => ({
      title: "Arts & Crafts Week",
      description: "Weaving, clay and a camp mural. Registration opens one week from today.",
      startsAt: localInstant(49, 9),
      timeZone: TIME_ZONE,
      durationMinutes: 180,
      minParticipants: 6,
      maxParticipants: 20,
      registrationOpensAt: localInstant(7, 9),
      waitlist: true,
    }),
    participants: 0,
  },
];

const CAMPERS = [
  "Olivia Tremblay",
  "Liam Gagnon",
  "Emma Roy",
  "Noah Côté",
  "Charlotte Bouchard",
  "William Gauthier",
  "Amelia Morin",
  "Lucas Lavoie",
  "Ava Fortin",
  "Benjamin Gagné",
  "Mia Ouellet",
  "Jack Pelletier",
];

/** @typedef {{ orgId: string, apiKey: string, sessions: Record<string, { id: string, seeded: boolean }> }} Demo */

/** @type {Awaited<ReturnType<typeof startDevServer>> | null} */
let server = null;
let stopping = false;

async function main() {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.once(signal, shutdown);
  stopWhenNpmGoesAway();

  buildWidgetIfStale();
  console.log(`Starting Rollcall on http://127.0.0.1:${PORT} (migrations, then wrangler dev)…`);
  server = await startDevServer({ port: PORT });
  if (stopping) return;

  const rootKey = readDevVar("ROLLCALL_ROOT_KEY");
  if (!rootKey) throw new Error("ROLLCALL_ROOT_KEY is missing from .dev.vars");
  const demo = await seedDemo(server.url, rootKey);
  await printBanner(server.url, demo);
  followLog(server.logFile);
}

async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping Rollcall…");
  // Before the server is up, exiting is enough: dev-server.mjs kills its process group on exit.
  if (server) await server.stop();
  process.exit(0);
}

/**
 * `npm start` runs this script under `sh -c`; a signal sent to npm alone ends npm and that shell
 * without reaching us. Being re-parented then means nobody is left to press Ctrl-C: stop.
 */
function stopWhenNpmGoesAway() {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && shutdown(), 1_000).unref();
}

// ─── the widget ──────────────────────────────────────────────────────────────────────────────

function buildWidgetIfStale() {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"));
  if (!pkg.scripts?.["build:widget"]) return;
  const newestSource = newestMtime(WIDGET_SOURCES);
  if (newestSource === 0) return; // no widget sources yet
  if (existsSync(WIDGET_BUNDLE) && statSync(WIDGET_BUNDLE).mtimeMs >= newestSource) return;
  console.log("Building the widget (npm run build:widget)…");
  const build = spawnSync("npm", ["run", "--silent", "build:widget"], { cwd: PROJECT_ROOT, stdio: "inherit" });
  if (build.status !== 0) console.warn("The widget build failed; the API still starts, /widget/rollcall.js may be missing or stale.");
}

/** @param {string} dir @returns {number} */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.parentPath.includes("node_modules")) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

// ─── the demo org ────────────────────────────────────────────────────────────────────────────

/** @param {string} url @param {string} rootKey @returns {Promise<Demo>} */
async function seedDemo(url, rootKey) {
  const api = client(url);
  let demo = readDemoFile();
  // Only a refused key means the org is gone (the state was reset): anything else is an error.
  if (demo && (await api("GET", "/v1/sessions?limit=1", { key: demo.apiKey, expect: [200, 401] })).status === 401) demo = null;
  if (!demo) {
    const created = await api("POST", "/v1/orgs", { key: rootKey, body: ORG, expect: 201 });
    demo = { orgId: created.body.org.id, apiKey: created.body.apiKey, sessions: {} };
    writeDemoFile(demo);
    console.log(`Created the demo org "${ORG.name}" (${demo.orgId}).`);
  }
  // Given on every start, so a demo org created before it had one gets it too.
  const { body: org } = await api("GET", "/v1/org", { key: demo.apiKey, expect: 200 });
  if (org.slug !== ORG_SLUG) await api("PATCH", "/v1/org", { key: demo.apiKey, body: { slug: ORG_SLUG }, expect: 200 });
  for (const spec of DEMO_SESSIONS) {
    const known = demo.sessions[spec.key];
    const exists = known && (await api("GET", `/v1/sessions/${known.id}`, { key: demo.apiKey })).status === 200;
    if (!exists) {
      const session = await api("POST", "/v1/sessions", { key: demo.apiKey, body: spec.body(), expect: 201 });
      demo.sessions[spec.key] = { id: session.body.id, seeded: false };
      writeDemoFile(demo);
    }
    const entry = demo.sessions[spec.key];
    if (!entry.seeded) {
      for (const name of CAMPERS.slice(0, spec.participants)) {
        const email = `${name
          .normalize("NFD")
          .replace(/[^\x20-\x7e]/g, "")
          .toLowerCase()
          .replace(/ /g, ".")}@example.org`;
        // A run interrupted halfway left some of them: already_registered is fine.
        await api("POST", `/v1/sessions/${entry.id}/registrations`, { key: demo.apiKey, body: { name, email }, expect: [201, 409] });
      }
      entry.seeded = true;
      writeDemoFile(demo);
    }
  }
  return demo;
}

/** @returns {Demo | null} */
function readDemoFile() {
  try {
    const demo = JSON.parse(readFileSync(DEMO_FILE, "utf8"));
    return demo?.apiKey && demo?.orgId && demo?.sessions ? demo : null;
  } catch {
    return null;
  }
}

/** @param {Demo} demo */
function writeDemoFile(demo) {
  writeFileSync(DEMO_FILE, `${JSON.stringify(demo, null, 2)}\n`);
}

/** @param {string} url @param {Demo} demo */
async function printBanner(url, demo) {
  const api = client(url);
  const mailToResend = Boolean(process.env.RESEND_API_KEY || readDevVar("RESEND_API_KEY"));
  const ids = DEMO_SESSIONS.map((spec) => demo.sessions[spec.key].id);
  // The camp office page embeds the roster, with its buttons, through a widget token; a fresh one each start (24 h).
  const body = { ttlSeconds: 86_400, scopes: ["roster:read", "invite", "manage"] };
  const { body: widget } = await api("POST", "/v1/widget-tokens", { key: demo.apiKey, body, expect: 201 });
  const lines = [
    "",
    `Rollcall is running at ${url}`,
    "",
    `  Demo site        ${url}/demo/?session=${ids.join(",")}`,
    `  Sessions list    ${url}/demo/list.html   (the hosted one: ${url}/o/${ORG_SLUG})`,
    `  Camp office      ${url}/demo/office.html?session=${demo.sessions.nearlyFull.id}&token=${widget.token}`,
    `  Hosted admin     ${url}/admin   (sign in as ${ORG.ownerEmail})`,
    mailToResend
      ? `  Mail             sent through Resend (RESEND_API_KEY is set); ${url}/dev/mail is the local outbox otherwise`
      : `  Dev mail outbox  ${url}/dev/mail`,
    `  OpenAPI          ${url}/v1/openapi.json`,
    `  API reference    ${url}/v1/docs`,
    "",
    `Demo org "${ORG.name}" (${demo.orgId}):`,
  ];
  for (const spec of DEMO_SESSIONS) {
    const { id } = demo.sessions[spec.key];
    const { body: s } = await api("GET", `/v1/sessions/${id}`, { key: demo.apiKey, expect: 200 });
    const notes = [
      s.registrationState,
      `${s.seats.confirmed}/${s.seats.capacity} confirmed, ${s.seats.available} left`,
      s.waitlist ? `waitlist on (${s.seats.waitlisted})` : "no waitlist",
      s.registrationCode ? `code ${s.registrationCode}` : null,
      s.registrationState === "not_yet_open" ? `opens ${s.registrationOpensAt}` : null,
    ];
    lines.push(`  ${id}  ${s.title}`, `      ${notes.filter(Boolean).join(" · ")}`);
  }
  lines.push(
    "",
    `Dev API key: ${demo.apiKey}`,
    `  curl -H "Authorization: Bearer ${demo.apiKey}" ${url}/v1/sessions`,
    "",
    `Worker log follows (also in ${server?.logFile}). Press Ctrl-C to stop.`,
    "",
  );
  console.log(lines.join("\n"));
}

/** Prints what wrangler writes from now on, as `wrangler dev` would in a terminal. */
/** @param {string} file */
function followLog(file) {
  let position = statSync(file).size;
  const buffer = Buffer.alloc(64 * 1024);
  setInterval(() => {
    const fd = openSync(file, "r");
    try {
      for (;;) {
        const read = readSync(fd, buffer, 0, buffer.length, position);
        if (read <= 0) break;
        process.stdout.write(buffer.subarray(0, read));
        position += read;
      }
    } finally {
      closeSync(fd);
    }
  }, 250);
}

// ─── small pieces ────────────────────────────────────────────────────────────────────────────

/**
 * JSON over HTTP; `expect` turns an unexpected status into an error that shows the problem.
 * @param {string} url
 */
function client(url) {
  /**
   * @param {string} method @param {string} path
   * @param {{ key?: string, body?: unknown, expect?: number | number[] }} [options]
   * @returns {Promise<{ status: number, body: any }>}
   */
  return async (method, path, { key, body, expect } = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const allowed = expect === undefined ? null : [expect].flat();
    if (allowed && !allowed.includes(response.status)) {
      throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    }
    return { status: response.status, body: text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
  };
}

/** @param {string} name */
function readDevVar(name) {
  try {
    const text = readFileSync(join(PROJECT_ROOT, ".dev.vars"), "utf8");
    const line = text.split("\n").find((l) => l.trim().startsWith(`${name}=`));
    return (
      line
        ?.slice(line.indexOf("=") + 1)
        .trim()
        .replace(/^(["'])(.*)\1$/, "$2") || null
    );
  } catch {
    return null;
  }
}

/**
 * `days` from today, at `hour`:00 wall-clock time in the demo's time zone, with its offset.
 * @param {number} days @param {number} hour
 */
function localInstant(days, hour) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(
    new Date(Date.now() + days * DAY),
  );
  const [y, m, d] = ["year", "month", "day"].map((type) => Number(parts.find((p) => p.type === type)?.value));
  const wall = Date.UTC(y, m - 1, d, hour);
  const offset = offsetMinutes(new Date(wall - offsetMinutes(new Date(wall)) * 60_000));
  const sign = offset < 0 ? "-" : "+";
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const mm = String(Math.abs(offset) % 60).padStart(2, "0");
  const date = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  return `${date}T${String(hour).padStart(2, "0")}:00:00${sign}${hh}:${mm}`;
}

/** @param {Date} at */
function offsetMinutes(at) {
  const name =
    new Intl.DateTimeFormat("en", { timeZone: TIME_ZONE, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "GMT"; // "GMT-04:00", or "GMT" at zero
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

main().catch(async (error) => {
  console.error(`\nnpm start failed: ${error.message}`);
  if (server) await server.stop();
  process.exit(1);
});
