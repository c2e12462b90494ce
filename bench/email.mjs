// Email delivery: from one request inviting 200 addresses to the moment the last of those emails
// is accepted by a server speaking Resend's API, and how many HTTP calls that took. With the
// stand-in enforcing Resend's default 2 requests/s, batching is what makes this fast: 200 emails
// one by one would take 100 s; in batches of 100 they are 2 calls.
//
// The worker must be running with RESEND_BASE_URL pointing at the stand-in and RESEND_API_KEY set
// (any key: the stand-in keeps one tenant per key), e.g.
//   const standin = await startResendStandin({ rateLimit: 2 });   // test/support/resend-standin.mjs
//   process.env.RESEND_BASE_URL = standin.url; process.env.RESEND_API_KEY = "re_bench";
//   startDevServer(...)                                              // passes both to the worker
// Without them the mail goes to the dev outbox and only the time is measured (httpCalls: null).
//
//   benchEmail({ url, apiKey, standinUrl?, resendKey? }) → {
//     recipients, accepted, requestMs, msToLastAccepted, httpCalls, batchCalls, rateLimited, byStatus
//   }
// `run(ctx)` follows bench/run.mjs's convention (prints its lines, returns its targets).

export const title = "Email delivery: 200 invitations through a Resend stand-in at 2 requests/s";

const RECIPIENTS = 200;
const TIME_TARGET_MS = 10_000;

/**
 * @param {{ url: string, apiKey: string, standinUrl?: string, resendKey?: string, recipients?: number, timeoutMs?: number }} options
 */
export async function benchEmail({
  url,
  apiKey,
  standinUrl = process.env.RESEND_BASE_URL,
  resendKey = process.env.RESEND_API_KEY,
  recipients = RECIPIENTS,
  timeoutMs = 120_000,
}) {
  /** @param {string} method @param {string} path @param {unknown} [body] */
  const api = async (method, path, body) => {
    const res = await fetch(new URL(path, url), {
      method,
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text);
  };
  const standin = standinUrl && resendKey ? standinClient(standinUrl, resendKey) : null;

  const run = Math.random().toString(36).slice(2, 10);
  const addresses = Array.from({ length: recipients }, (_, i) => `bench-mail-${run}-${i}@example.org`);
  const mine = (/** @type {unknown} */ to) => typeof to === "string" && to.startsWith(`bench-mail-${run}-`);
  const session = await api("POST", "/v1/sessions", {
    title: "Bench: email delivery",
    description: "Created by the benchmark.",
    startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    timeZone: "Europe/Paris",
    durationMinutes: 60,
    minParticipants: 0,
    maxParticipants: recipients,
  });

  const started = Date.now();
  await api("POST", `/v1/sessions/${session.id}/invitations`, { recipients: addresses.join(", "), send: "now" });
  const requestMs = Date.now() - started;

  // Poll until every email is accepted; the acceptance times come from the server that accepted them.
  /** @type {{ to: unknown[], created_at?: string, createdAt?: string }[]} */
  let accepted = [];
  const deadline = started + timeoutMs;
  while (Date.now() < deadline) {
    accepted = standin
      ? (await standin.emails()).filter((/** @type {{ to: string[] }} */ e) => e.to.some(mine))
      : await devOutbox(url, mine);
    if (accepted.length >= recipients) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const lastAccepted = Math.max(...accepted.map((e) => Date.parse(e.created_at ?? e.createdAt ?? "")));

  /** @type {import("../test/support/resend-standin.mjs").RequestRecord[] | null} */
  let calls = null;
  if (standin) {
    const since = new Date(started).toISOString();
    calls = (await standin.requests()).filter((/** @type {{ at: string, method: string }} */ r) => r.at >= since && r.method === "POST");
  }
  /** @type {Record<number, number>} */
  const byStatus = {};
  for (const c of calls ?? []) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  return {
    recipients,
    accepted: accepted.length,
    requestMs,
    msToLastAccepted: accepted.length ? lastAccepted - started : null,
    httpCalls: calls ? calls.length : null,
    batchCalls: calls ? calls.filter((c) => c.path === "/emails/batch" && c.status === 200).length : null,
    rateLimited: calls ? calls.filter((c) => c.status === 429).length : null,
    byStatus,
  };
}

/** @param {string} base @param {string} key */
function standinClient(base, key) {
  /** @param {string} path @returns {Promise<any>} */
  const get = async (path) => {
    const res = await fetch(new URL(path, base), { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error(`stand-in ${path} answered ${res.status}`);
    return res.json();
  };
  return {
    emails: async () => (await get("/_control/emails")).emails,
    requests: async () => (await get("/_control/requests")).requests,
  };
}

/** @param {string} url @param {(to: unknown) => boolean} mine @returns {Promise<{ to: string, createdAt: string }[]>} */
async function devOutbox(url, mine) {
  const res = await fetch(new URL("/dev/mail.json?limit=500", url));
  if (!res.ok) return [];
  const { messages } = /** @type {{ messages: { to: string, createdAt: string }[] }} */ (await res.json());
  return messages.filter((m) => mine(m.to));
}

/** @param {import("./run.mjs").BenchContext} ctx */
export async function run(ctx) {
  const { target } = await import("./lib/report.mjs");
  const r = await benchEmail({ url: ctx.url, apiKey: ctx.apiKey });
  const seconds = (/** @type {number | null} */ ms) => (ms === null ? "n/a" : `${(ms / 1000).toFixed(2)} s`);
  ctx.print(`  invitation request answered in      ${r.requestMs} ms`);
  ctx.print(`  last of ${r.recipients} emails accepted after   ${seconds(r.msToLastAccepted)} (${r.accepted} accepted)`);
  if (r.httpCalls === null) {
    ctx.print("  (no Resend stand-in configured: mail went to the dev outbox, calls not counted)");
  } else {
    ctx.print(`  HTTP calls to the provider          ${r.httpCalls} (${r.batchCalls} batches accepted, ${r.rateLimited} answered 429)`);
  }
  const targets = [
    target(`all ${r.recipients} invitation emails accepted`, r.accepted === r.recipients, `${r.accepted}`),
    target(
      `last email accepted ≤ ${TIME_TARGET_MS / 1000} s after the request`,
      r.msToLastAccepted !== null && r.msToLastAccepted <= TIME_TARGET_MS,
      seconds(r.msToLastAccepted),
    ),
  ];
  if (r.batchCalls !== null)
    targets.push(
      target(
        `${r.recipients} emails in ${Math.ceil(r.recipients / 100)} accepted batch calls`,
        r.batchCalls === Math.ceil(r.recipients / 100),
        `${r.batchCalls}`,
      ),
    );
  return targets;
}
