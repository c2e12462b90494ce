// The people directory at the sizes SPEC names: a 5,000-row CSV import, and search over 50,000
// contacts of one org (an org of its own, so nothing the other benchmarks did counts).
//
// (a) Import: a generated 5,000-row file as a spreadsheet exports it (BOM, CRLF, names with
//     accents, French phones in national format read with defaultCountry FR, groups by name, tags
//     and groups with |, quoted fields holding commas, quotes and line breaks). POST
//     /v1/contacts/import timed as a dry run, then as the real run, then the same file again
//     (idempotent: every row unchanged). Target: each under 10 s.
// (b) Search: 45,000 more contacts imported in files of 5,000 (50,000 in the org), then GET
//     /v1/contacts one request after another: type-ahead (prefixes of first names, last names and
//     addresses, 1–2, 3–4 and more characters) and filters (group, type, tag, combined). p50 and
//     p95 per kind; target p50 ≤ 50 ms. Every answer's `total` is checked against the count the
//     benchmark computes from the data it generated (the search's rules: a substring of
//     "first last address", lower-cased, accents kept). The floor (GET /healthz, GET /v1/org) is
//     printed beside them: on a shared machine it moves with everything else running.
// (c) The query plans: the SQL of GET /v1/contacts is taken from the store's own builder
//     (contactListStatements, loaded through vite's module runner, so it is the exact SQL the
//     worker sends), its parameters written in as literals, and EXPLAIN QUERY PLAN run by
//     `wrangler d1 execute DB --local --persist-to <this run's state>`: the same SQLite, the same
//     indexes and the same 50,000 rows, offline, with no route added to the worker.
//
// `npm run bench -- directory` runs it alone.

import { spawn } from "node:child_process";
import { join } from "node:path";
import { isValidPhoneNumber } from "libphonenumber-js/min";
import { runnerImport } from "vite";
import { PROJECT_ROOT } from "../scripts/dev-server.mjs";
import { keepAliveAgent, send } from "./lib/load.mjs";
import { pad, target } from "./lib/report.mjs";

export const title = "People directory: 5,000-row import, search over 50,000 contacts";

const IMPORT_ROWS = 5_000;
const CONTACTS = 50_000;
const IMPORT_LIMIT_MS = 10_000;
const SEARCH_P50_LIMIT_MS = 50;
const QUERIES_PER_KIND = 60;
const WARM_UP_QUERIES = 20;
const FLOOR_RUNS = 30;

const FIRST_NAMES = (
  "Éloïse,Zoë,Chloé,Hélène,Jérôme,François,Agnès,Noël,Maël,Léa,Inès,Gaël,Anaïs,Célia,Benoît,Loïc," +
  "Mathéo,Clémence,Amélie,Théo,Björn,Søren,Łukasz,José,Núria,Ada,Grace,Alan,Mary,John,Fatima,Mohamed," +
  "Yuki,Aiko,Priya,Arjun,Olga,Ivan,Emma,Lucas,Hugo,Louise,Jade,Nathan,Camille,Sarah,Paul,Manon,Thomas," +
  "Julie"
).split(",");
const LAST_NAMES = (
  "Müller,Núñez,Dubois,Lefèvre,Gómez,O'Brien,Østergaard,Lovelace,Hopper,Martin,Bernard,Petit,Durand," +
  "Leroy,Moreau,Fournier,Girard,Bonnet,Dupont,Lambert,Fontaine,Rousseau,Vincent,Müller-Schmidt," +
  "de la Fuente,Nguyen,Kowalski,Smith,Johnson,Brown,Château,Bélanger,Côté,Gagné,Lévesque,Pelletier," +
  "Bouchard,Gauthier,Roy,Morin,Lemaître,Garnier,Faure,André,Mercier,Blanc,Guérin,Boyer,Chevalier," +
  "François"
).split(",");
const TYPES = [
  ["member", 60],
  ["trainee", 20],
  ["mentor", 10],
  ["client", 10],
];
const TAGS = ["evening", "north", "south", "beginner", "advanced", "vegetarian", "scholarship", "alumni", "volunteer", "remote"];
const GROUPS = [
  ...Array.from({ length: 24 }, (_, i) => `Cohort 2031 ${String.fromCharCode(65 + i)}`),
  "Équipe Nord",
  "Équipe Sud",
  "Yoga, evening",
  "Mentors 2031",
  "Été camp",
  "Board",
];
const DOMAINS = ["example.org", "mail.example", "school.example", "club.example"];
const NOTES = [
  'Allergic to nuts, prefers "aisle" seats',
  "Call after 6 pm\nSpeaks French and English",
  "Parent: Anne Dupont; pick-up at 17:30",
  "Scholarship, 50%",
];

/**
 * @typedef {{ email: string, firstName: string, lastName: string, phone: string, channel: string,
 *   locale: string, type: string, tags: string[], groups: string[], deactivateAt: string,
 *   externalId: string, notes: string, search: string }} Person
 * @typedef {{ q?: string, group?: string, type?: string, tag?: string, status?: string }} Query
 */

/** @param {import("./run.mjs").BenchContext} ctx */
export async function run(ctx) {
  // An org of its own: nothing the other benchmarks did may count in its totals. Created first,
  // while the harness's connection is fresh (a kept-alive socket left idle while the data is
  // generated may be closed by the server just as it is reused).
  const key = await ctx.newOrg("Benchmark directory");
  const agent = keepAliveAgent(1);
  /** @param {string} method @param {string} path @param {unknown} [body] */
  const call = async (method, path, body) => {
    const response = await send(agent, ctx.url, { method, path, body, headers: { authorization: `Bearer ${key}` } });
    if (response.status >= 500) ctx.serverErrors++;
    return response;
  };
  // The columns are the import's own, as its template file lists them.
  const columns = (await call("GET", "/v1/contacts/import/template")).body
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)[0]
    .split(",");
  const people = generatePeople(CONTACTS);
  const files = Array.from({ length: CONTACTS / IMPORT_ROWS }, (_, i) =>
    csvOf(columns, people.slice(i * IMPORT_ROWS, (i + 1) * IMPORT_ROWS)),
  );
  /** @type {string[]} */
  const failures = [];
  /** @param {string} label @param {import("./lib/load.mjs").BenchResponse} response */
  const json = (label, response) => {
    if (response.status !== 200) {
      failures.push(`${label}: ${response.status} ${response.body.slice(0, 300)}`);
      return null;
    }
    return JSON.parse(response.body);
  };
  /** @param {string} csv @param {boolean} dryRun */
  const importFile = (csv, dryRun) => call("POST", "/v1/contacts/import", { csv, dryRun, defaultCountry: "FR" });

  // (a) the 5,000-row import
  const first = files[0] ?? "";
  ctx.print(
    `    the file: ${IMPORT_ROWS} rows, ${(Buffer.byteLength(first) / 1024).toFixed(0)} KiB, ${first.split("\n").length - 1} lines`,
  );
  const dry = await importFile(first, true);
  const dryBody = json("dry run", dry);
  const apply = await importFile(first, false);
  const applyBody = json("real run", apply);
  const again = await importFile(first, false);
  const againBody = json("the same file again", again);
  /** @param {any} body */
  const counts = (body) =>
    body
      ? Object.entries(body.counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")
      : "failed";
  ctx.print(`${pad("    dry run", 36)}${pad(`${(dry.ms / 1000).toFixed(2)} s`, 10, true)}   ${counts(dryBody)}`);
  ctx.print(`${pad("    real run", 36)}${pad(`${(apply.ms / 1000).toFixed(2)} s`, 10, true)}   ${counts(applyBody)}`);
  ctx.print(`${pad("    the same file again (real run)", 36)}${pad(`${(again.ms / 1000).toFixed(2)} s`, 10, true)}   ${counts(againBody)}`);
  const importRight = dryBody?.counts.create === IMPORT_ROWS && applyBody?.applied === true && againBody?.counts.unchanged === IMPORT_ROWS;

  // (b) 50,000 contacts, then search
  const seedStarted = performance.now();
  for (const [i, csv] of files.entries()) {
    if (i === 0) continue;
    const body = json(`seed file ${i + 1}`, await importFile(csv, false));
    if (body && body.counts.create !== IMPORT_ROWS) failures.push(`seed file ${i + 1}: ${counts(body)}`);
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const seeded = CONTACTS - IMPORT_ROWS;
  ctx.print(
    `    seeded ${seeded} more contacts in ${seedSeconds.toFixed(1)} s (${files.length - 1} real runs of ${IMPORT_ROWS}, ${(seeded / seedSeconds).toFixed(0)} contacts/s)`,
  );
  const all = json("list", await call("GET", "/v1/contacts?limit=1"));
  ctx.print(`    the org has ${all?.total ?? "?"} contacts`);

  const groupIds = new Map(
    (json("groups", await call("GET", "/v1/groups"))?.groups ?? []).map((/** @type {{ id: string, name: string }} */ g) => [g.name, g.id]),
  );
  const kinds = queryKinds(people, mulberry32(7));
  /** @param {Query} query */
  const pathOf = (query) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) params.set(key, key === "group" ? (groupIds.get(value) ?? value) : value);
    return `/v1/contacts?${params}`;
  };
  for (const query of kinds.flatMap((k) => k.queries).slice(0, WARM_UP_QUERIES)) await call("GET", pathOf(query));

  // What any request costs on this machine now: the worker alone, and one authenticated D1 read.
  /** @param {string} path */
  const floorOf = async (path) => {
    const ms = [];
    for (let i = 0; i < FLOOR_RUNS; i++) ms.push((await call("GET", path)).ms);
    return percentile(ms, 0.5);
  };
  const [healthz, orgRead] = [await floorOf("/healthz"), await floorOf("/v1/org")];
  ctx.print(
    `    floor: GET /healthz p50 ${healthz.toFixed(1)} ms, GET /v1/org (the key checked, the org read) p50 ${orgRead.toFixed(1)} ms`,
  );

  let wrongTotals = 0;
  /** @type {string[]} */
  const wrongExamples = [];
  /** @type {{ label: string, p50: number, p95: number, matches: number }[]} */
  const figures = [];
  ctx.print(`    GET /v1/contacts (50 a page, with the total), ${QUERIES_PER_KIND} queries per kind, one at a time:`);
  for (const kind of kinds) {
    const ms = [];
    const matches = [];
    for (const query of kind.queries) {
      const response = await call("GET", pathOf(query));
      ms.push(response.ms);
      const body = json(`search ${JSON.stringify(query)}`, response);
      const expected = expectedTotal(people, query);
      matches.push(expected);
      if (body && body.total !== expected) {
        wrongTotals++;
        if (wrongExamples.length < 3) wrongExamples.push(`${JSON.stringify(query)}: ${body.total}, expected ${expected}`);
      }
    }
    const figure = { label: kind.label, p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), matches: percentile(matches, 0.5) };
    figures.push(figure);
    ctx.print(
      `${pad(`      ${kind.label}`, 40)}${pad(`p50 ${figure.p50.toFixed(1)} ms`, 15, true)}${pad(`p95 ${figure.p95.toFixed(1)} ms`, 16, true)}   (median ${figure.matches} matches)`,
    );
  }
  if (wrongTotals) ctx.print(`    ${wrongTotals} answers had another total than the data's: ${wrongExamples.join("; ")}`);

  // (c) the plans
  await printPlans(ctx, {
    org: json("org", await call("GET", "/v1/org")),
    groups: [...groupIds].map(([name, id]) => ({ name, id })),
    kinds,
    totalOf: (query) => expectedTotal(people, query),
  });
  agent.destroy();
  for (const failure of failures.slice(0, 5)) ctx.print(`    unexpected answer: ${failure}`);

  const worst = figures.reduce((a, b) => (b.p50 > a.p50 ? b : a));
  return [
    target(
      `import of ${IMPORT_ROWS} rows, dry run, under ${IMPORT_LIMIT_MS / 1000} s`,
      dry.status === 200 && dry.ms < IMPORT_LIMIT_MS,
      `${(dry.ms / 1000).toFixed(2)} s`,
    ),
    target(
      `import of ${IMPORT_ROWS} rows, real run, under ${IMPORT_LIMIT_MS / 1000} s`,
      apply.status === 200 && apply.ms < IMPORT_LIMIT_MS,
      `${(apply.ms / 1000).toFixed(2)} s`,
    ),
    target(
      "the import's verdicts: all created, then all unchanged",
      importRight,
      importRight ? "as expected" : `${counts(dryBody)} / ${counts(againBody)}`,
    ),
    target(
      `contact search over ${CONTACTS} contacts, p50 ≤ ${SEARCH_P50_LIMIT_MS} ms for every kind`,
      figures.every((f) => f.p50 <= SEARCH_P50_LIMIT_MS),
      `slowest kind: ${worst.label.trim()}, p50 ${worst.p50.toFixed(1)} ms`,
    ),
    target(
      `every search's total matches the data, over ${CONTACTS} contacts`,
      wrongTotals === 0 && failures.length === 0 && all?.total === CONTACTS,
      `${all?.total ?? "?"} contacts, ${wrongTotals} totals wrong, ${failures.length} requests failed`,
    ),
  ];
}

/**
 * Prints EXPLAIN QUERY PLAN of the one statement behind a query of each kind (the count and the
 * page; of the page's two ways, guarded by the count, only one runs).
 * @param {import("./run.mjs").BenchContext} ctx
 * @param {{ org: { id: string } | null, groups: { name: string, id: string }[], kinds: { label: string, queries: Query[] }[],
 *   totalOf: (query: Query) => number }} directory
 */
async function printPlans(ctx, { org, groups, kinds, totalOf }) {
  if (!org) return;
  const load = (/** @type {string} */ file) => runnerImport(join(PROJECT_ROOT, file), { configFile: false, logLevel: "silent" });
  const [{ module: store }, { module: search }] = await Promise.all([load("worker/contacts/store.ts"), load("worker/contacts/search.ts")]);
  const { drizzle } = await import("drizzle-orm/d1");
  const db = drizzle(/** @type {any} */ ({}));
  const groupId = (/** @type {string} */ name) => groups.find((g) => g.name === name)?.id ?? name;
  /** @type {{ label: string, sql: string }[]} */
  const statements = [];
  for (const kind of kinds) {
    const example = kind.queries[0] ?? {};
    const query = { ...example, ...(example.group ? { group: groupId(example.group) } : {}), limit: 50 };
    const { driver, page } = store.contactListStatements(db, org.id, query);
    const total = totalOf(example);
    const way = !driver
      ? "counted through the org's index, the page walked in name order"
      : `counted from the ${driver}'s candidates, the page ${search.drivesPage(driver, total) ? `picked among them (${total} ≤ ${search.DRIVEN_PAGE_LIMIT[driver]})` : `walked in name order (${total} > ${search.DRIVEN_PAGE_LIMIT[driver]})`}`;
    const { sql, params } = page.toSQL();
    statements.push({ label: `${kind.label.trim()} ${JSON.stringify(example)}, ${total} matches: ${way}`, sql: withLiterals(sql, params) });
  }
  const plans = await explain(
    ctx.stateDir,
    statements.map((s) => s.sql),
  );
  ctx.print("    Query plans (EXPLAIN QUERY PLAN of the store's own SQL, its parameters as literals,");
  ctx.print("    by `wrangler d1 execute DB --local --persist-to <this run's state>` on the 50,000 contacts):");
  if (!plans) {
    ctx.print("      (wrangler d1 execute failed; no plan to show)");
    return;
  }
  const shown = new Set();
  for (const [i, statement] of statements.entries()) {
    const plan = plans[i] ?? [];
    ctx.print(`      ${statement.label}`);
    if (!shown.has(statement.sql.replace(/'[^']*'/g, "?"))) ctx.print(`        ${statement.sql.replace(/\s+/g, " ")}`);
    shown.add(statement.sql.replace(/'[^']*'/g, "?"));
    for (const row of plan) ctx.print(`          ${"  ".repeat(depth(plan, row))}${row.detail}`);
  }
}

/** @param {{ id: number, parent: number }[]} plan @param {{ id: number, parent: number }} row */
function depth(plan, row) {
  let d = 0;
  for (let at = row; at.parent; d++) {
    const parent = plan.find((r) => r.id === at.parent);
    if (!parent) break;
    at = parent;
  }
  return d;
}

/**
 * The statements' plans, in order, from one `wrangler d1 execute` (null when it fails).
 * @param {string} stateDir @param {string[]} sqls
 * @returns {Promise<{ id: number, parent: number, detail: string }[][] | null>}
 */
async function explain(stateDir, sqls) {
  const command = sqls.map((sql) => `EXPLAIN QUERY PLAN ${sql};`).join("\n");
  const args = ["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--json", "--command", command];
  const { code, stdout, stderr } = await runWrangler(args);
  if (code !== 0) {
    console.error(stderr.slice(-2000));
    return null;
  }
  const results = JSON.parse(stdout);
  return results.map((/** @type {{ results: { id: number, parent: number, detail: string }[] }} */ r) => r.results);
}

/** @param {string[]} args @returns {Promise<{ code: number | null, stdout: string, stderr: string }>} */
function runWrangler(args) {
  return new Promise((done, fail) => {
    const child = spawn(join(PROJECT_ROOT, "node_modules", ".bin", "wrangler"), args, {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        CI: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.once("error", fail);
    child.once("close", (code) => done({ code, stdout, stderr }));
  });
}

/**
 * The SQL with each `?` replaced by its parameter as a literal (wrangler d1 execute binds none).
 * @param {string} sql @param {unknown[]} params
 */
export function withLiterals(sql, params) {
  let i = 0;
  return sql.replace(/\?/g, () => {
    const value = params[i++];
    return typeof value === "number" ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
  });
}

/**
 * The kinds of query measured, each with its queries, drawn from the people generated.
 * @param {Person[]} people @param {() => number} random
 * @returns {{ label: string, queries: Query[] }[]}
 */
function queryKinds(people, random) {
  const person = () => people[Math.floor(random() * people.length)] ?? /** @type {Person} */ (people[0]);
  const pick = (/** @type {readonly string[]} */ list) => list[Math.floor(random() * list.length)] ?? "";
  /** @param {number} min @param {number} max */
  const prefix = (min, max) => {
    const p = person();
    const source = pick([p.firstName, p.lastName, p.email]);
    return source.slice(0, min + Math.floor(random() * (max - min + 1)));
  };
  const longer = () => {
    const p = person();
    return pick([p.lastName, `${p.firstName} ${p.lastName.slice(0, 2)}`, p.email.slice(0, p.email.indexOf("@")), p.firstName]);
  };
  const many = (/** @type {() => Query} */ make) => Array.from({ length: QUERIES_PER_KIND }, make);
  const types = TYPES.map(([t]) => String(t));
  return [
    { label: "type-ahead, 1–2 characters", queries: many(() => ({ q: prefix(1, 2) })) },
    { label: "type-ahead, 3–4 characters", queries: many(() => ({ q: prefix(3, 4) })) },
    { label: "type-ahead, 5+ characters", queries: many(() => ({ q: longer() })) },
    { label: "filter: group", queries: many(() => ({ group: pick(GROUPS) })) },
    { label: "filter: type", queries: many(() => ({ type: pick(types) })) },
    { label: "filter: tag", queries: many(() => ({ tag: pick(TAGS) })) },
    { label: "filter: group + type + tag", queries: many(() => ({ group: pick(GROUPS), type: pick(types), tag: pick(TAGS) })) },
    { label: "type-ahead 3 chars + type, active", queries: many(() => ({ q: prefix(3, 3), type: pick(types), status: "active" })) },
  ];
}

/**
 * How many of `people` a query matches, by the search's own rules.
 * @param {Person[]} people @param {Query} query
 */
function expectedTotal(people, query) {
  const q = query.q?.trim().normalize("NFC").toLowerCase();
  let n = 0;
  for (const p of people) {
    if (q && !p.search.includes(q)) continue;
    if (query.type && p.type !== query.type) continue;
    if (query.tag && !p.tags.includes(query.tag)) continue;
    if (query.group && !p.groups.includes(query.group)) continue;
    // Nobody generated is deactivated (deactivateAt dates lie in the future).
    if (query.status && query.status !== "active") continue;
    n++;
  }
  return n;
}

/**
 * `count` people, the same every run.
 * @param {number} count @returns {Person[]}
 */
export function generatePeople(count) {
  const random = mulberry32(2031);
  const pick = (/** @type {readonly string[]} */ list) => list[Math.floor(random() * list.length)] ?? "";
  const some = (/** @type {readonly string[]} */ list, /** @type {number} */ max) => [
    ...new Set(Array.from({ length: Math.floor(random() * (max + 1)) }, () => pick(list))),
  ];
  const digits = (/** @type {number} */ n) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
  const typeOf = () => {
    let r = random() * 100;
    for (const [type, weight] of TYPES) {
      r -= Number(weight);
      if (r < 0) return String(type);
    }
    return "member";
  };
  return Array.from({ length: count }, (_, i) => {
    const firstName = pick(FIRST_NAMES);
    const lastName = pick(LAST_NAMES);
    const email = `${ascii(firstName)}.${ascii(lastName)}${i}@${pick(DOMAINS)}`;
    const r = random();
    // French mobiles as people type them, a few foreign numbers in international form, some none;
    // drawn again until libphonenumber (the import's own judge) calls the number valid.
    const draw = () =>
      r < 0.6 ? `0${random() < 0.5 ? 6 : 7} ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}` : `+44 7${digits(3)} ${digits(6)}`;
    let phone = r < 0.7 ? draw() : "";
    while (phone && !isValidPhoneNumber(phone, "FR")) phone = draw();
    const channel = phone && random() < 0.05 ? "sms" : "email";
    return {
      email,
      firstName,
      lastName,
      phone,
      channel,
      locale: pick(["en", "fr", ""]),
      type: typeOf(),
      tags: some(TAGS, 3),
      groups: some(GROUPS, 2),
      deactivateAt: random() < 0.05 ? "2031-06-30" : "",
      externalId: random() < 0.5 ? `EXT-${i}` : "",
      notes: random() < 0.1 ? pick(NOTES) : "",
      search: [firstName, lastName, email].join(" ").normalize("NFC").toLowerCase(),
    };
  });
}

/** A name as an address's local part: accents dropped, letters and digits only. @param {string} name */
const ascii = (name) =>
  name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

/**
 * The people as a spreadsheet exports them: BOM, header, CRLF, fields quoted where needed.
 * @param {string[]} columns the import's columns
 * @param {Person[]} people
 */
export function csvOf(columns, people) {
  const cell = (/** @type {string} */ value) => (/[",\r\n;]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const lines = people.map((p) =>
    columns
      .map((column) => {
        const value = p[/** @type {keyof Person} */ (column)];
        return cell(Array.isArray(value) ? value.join("|") : value);
      })
      .join(","),
  );
  return `\uFEFF${columns.join(",")}\r\n${lines.join("\r\n")}\r\n`;
}

/** A small seeded generator, so every run measures the same data. @param {number} seed */
function mulberry32(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @param {number[]} values @param {number} q */
function percentile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
