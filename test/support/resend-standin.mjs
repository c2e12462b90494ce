// A local HTTP server that speaks the part of Resend's API Rollcall uses, for tests, the
// benchmark and offline development. No dependencies beyond Node.
//
//   POST /emails          one email (attachments allowed)               → 200 { id }
//   POST /emails/batch    1–100 emails, no attachments, all or nothing   → 200 { data: [{ id }] }
//                         (`x-batch-validation: permissive` sends the valid ones → { data, errors })
//   GET  /emails/{id}     an accepted email
//
// Like Resend: `Authorization: Bearer <key>` is required; a rate limit per key (2 requests/s by
// default) answers 429 with `retry-after`; an `Idempotency-Key` replays the first answer for the
// same payload (24 h) and refuses another payload with 409; errors are { statusCode, name, message }.
// Every API key is its own tenant (own limit, log, failures), so parallel tests do not meet.
//
// Control endpoints, scoped by the same bearer key, never rate limited:
//   GET  /_control/stats      { requests, byStatus, accepted, rateLimited, firstAcceptedAt, lastAcceptedAt }
//   GET  /_control/requests   every API request: { at, method, path, status, idempotencyKey, emails, replayed }
//   GET  /_control/emails     every accepted email (?to= filters)
//   POST /_control/fail       { status: 429 | 500 | 422 | "network" | "lost", times?: 1, retryAfter?: 1, path?: "/emails/batch" }
//                             ("network": the request is dropped unread; "lost": it is accepted and
//                             its answer dropped, as when a connection breaks on the way back)
//   POST /_control/reject     { addresses: [...] }: these recipients fail validation (422)
//   POST /_control/config     { rateLimit?: requests per second (0 = none), webhook?: { url, secret } | null }
//   POST /_control/reset      forget this key's state
// With a webhook configured, each accepted email is followed by signed (Svix) email.sent and
// email.delivered events posted to it.
//
// Library:  const standin = await startResendStandin({ port: 0, rateLimit: 2 }); standin.url; await standin.close();
// CLI:      node test/support/resend-standin.mjs --port 3030 --rate 2 [--webhook-url URL --webhook-secret whsec_…]
// vitest:   the default export is a globalSetup that provides `resendStandinUrl`.

import { createHash, createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { optionsOf, readBody, send } from "./standin-http.mjs";

/**
 * @typedef {import("node:http").IncomingMessage} Request
 * @typedef {import("node:http").ServerResponse} Response
 * @typedef {{ url: string, secret: string }} Webhook
 * @typedef {{ at: string, method: string | undefined, path: string, status: number, idempotencyKey: string | null, emails: number, replayed: boolean }} RequestRecord
 * @typedef {{ id: string, from: string, to: string[], subject: string, html: string | null, text: string | null,
 *   tags: { name: string, value: string }[], attachments: { filename: string, content_type: string | null, content: string }[],
 *   idempotencyKey: string | null, created_at: string }} StoredEmail
 * @typedef {ReturnType<typeof newTenant>} Tenant
 */

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * @param {{ port?: number, host?: string, rateLimit?: number, webhook?: { url: string, secret: string } | null, quiet?: boolean }} [options]
 */
export async function startResendStandin({ port = 0, host = "127.0.0.1", rateLimit = 2, webhook = null, quiet = true } = {}) {
  /** @type {Map<string, ReturnType<typeof newTenant>>} */
  const tenants = new Map();
  const tenantOf = (/** @type {string} */ key) => {
    let t = tenants.get(key);
    if (!t) {
      t = newTenant({ rateLimit, webhook });
      tenants.set(key, t);
    }
    return t;
  };

  const server = createServer((req, res) => {
    handle(req, res, tenantOf).catch((error) => {
      if (!quiet) console.error(error);
      if (!res.headersSent) send(res, 500, { statusCode: 500, name: "internal_server_error", message: String(error) });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  const url = `http://${host}:${address.port}`;
  return {
    url,
    port: address.port,
    tenants,
    close: () =>
      /** @type {Promise<void>} */ (
        new Promise((resolve) => {
          server.closeAllConnections?.();
          server.close(() => resolve(undefined));
        })
      ),
  };
}

/** @param {{ rateLimit: number, webhook: Webhook | null }} settings */
function newTenant({ rateLimit, webhook }) {
  return {
    rateLimit,
    webhook,
    window: /** @type {number[]} */ ([]),
    failures: /** @type {{ status: number | "network" | "lost", times: number, retryAfter: number, path?: string }[]} */ ([]),
    rejected: /** @type {Set<string>} */ (new Set()),
    idempotency: /** @type {Map<string, { fingerprint: string, status: number, response: unknown, expires: number }>} */ (new Map()),
    requests: /** @type {RequestRecord[]} */ ([]),
    emails: /** @type {StoredEmail[]} */ ([]),
  };
}

/** @param {Request} req @param {Response} res @param {(key: string) => Tenant} tenantOf */
async function handle(req, res, tenantOf) {
  const url = new URL(req.url ?? "/", "http://standin");
  const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const body = await readBody(req);
  if (!key) return send(res, 401, { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header." });
  const tenant = tenantOf(key);

  if (url.pathname.startsWith("/_control/")) return control(req, res, url, body, tenant);

  const record = {
    at: new Date().toISOString(),
    method: req.method,
    path: url.pathname,
    status: 0,
    idempotencyKey: /** @type {string | undefined} */ (req.headers["idempotency-key"]) ?? null,
    emails: 0,
    replayed: false,
  };
  tenant.requests.push(record);
  /** @param {number} status @param {unknown} payload @param {Record<string, string>} [headers] */
  const answer = (status, payload, headers) => {
    record.status = status;
    send(res, status, payload, headers);
  };

  // Rate limit: a sliding one-second window of the requests it let through.
  const now = Date.now();
  tenant.window = tenant.window.filter((t) => t > now - 1000);
  if (tenant.rateLimit > 0 && tenant.window.length >= tenant.rateLimit) {
    const retryAfter = Math.max(1, Math.ceil(/** @type {number} */ (tenant.window[0] + 1000 - now) / 1000));
    return answer(
      429,
      {
        statusCode: 429,
        name: "rate_limit_exceeded",
        message: `Too many requests. You can only make ${tenant.rateLimit} requests per second.`,
      },
      {
        "retry-after": String(retryAfter),
        "ratelimit-limit": String(tenant.rateLimit),
        "ratelimit-remaining": "0",
        "ratelimit-reset": String(retryAfter),
      },
    );
  }
  tenant.window.push(now);

  // Failures ordered through /_control/fail.
  const failure = tenant.failures.find((f) => !f.path || f.path === url.pathname);
  let loseAnswer = false;
  if (failure) {
    if (--failure.times <= 0) tenant.failures.splice(tenant.failures.indexOf(failure), 1);
    loseAnswer = failure.status === "lost";
  }
  if (failure && failure.status !== "lost") {
    if (failure.status === "network") {
      record.status = 0;
      return req.socket.destroy();
    }
    if (failure.status === 429) {
      return answer(
        429,
        { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests (ordered by the test)." },
        { "retry-after": String(failure.retryAfter) },
      );
    }
    if (failure.status === 422 || failure.status === 400) {
      return answer(failure.status, {
        statusCode: failure.status,
        name: "validation_error",
        message: "Invalid payload (ordered by the test).",
      });
    }
    return answer(failure.status, {
      statusCode: failure.status,
      name: "internal_server_error",
      message: "Something went wrong (ordered by the test).",
    });
  }

  if (req.method === "GET" && url.pathname.startsWith("/emails/")) {
    const email = tenant.emails.find((e) => e.id === url.pathname.slice("/emails/".length));
    return email
      ? answer(200, { object: "email", ...email })
      : answer(404, { statusCode: 404, name: "not_found", message: "Email not found." });
  }
  if (req.method !== "POST" || (url.pathname !== "/emails" && url.pathname !== "/emails/batch")) {
    return answer(404, { statusCode: 404, name: "not_found", message: "The requested endpoint does not exist." });
  }

  /** @type {any} the client's JSON, checked below as Resend would */
  let payload;
  try {
    payload = JSON.parse(body);
  } catch {
    return answer(400, { statusCode: 400, name: "validation_error", message: "The body is not valid JSON." });
  }

  // Idempotency: the same key and payload get the first answer again; another payload is refused.
  const idempotencyKey = record.idempotencyKey;
  const fingerprint = createHash("sha256").update(`${url.pathname}\n${body}`).digest("hex");
  if (idempotencyKey) {
    if (idempotencyKey.length < 1 || idempotencyKey.length > 256) {
      return answer(400, { statusCode: 400, name: "invalid_idempotency_key", message: "The key must be between 1-256 chars." });
    }
    const seen = tenant.idempotency.get(idempotencyKey);
    if (seen && seen.expires > now) {
      if (seen.fingerprint !== fingerprint) {
        return answer(409, {
          statusCode: 409,
          name: "invalid_idempotent_request",
          message: "Same idempotency key used with a different request payload.",
        });
      }
      record.replayed = true;
      return answer(seen.status, seen.response);
    }
  }

  const isBatch = url.pathname === "/emails/batch";
  const permissive = isBatch && String(req.headers["x-batch-validation"] ?? "strict").toLowerCase() === "permissive";
  /** @type {any[]} */
  const emails = isBatch ? payload : [payload];
  if (isBatch && (!Array.isArray(payload) || payload.length === 0 || payload.length > 100)) {
    return answer(422, { statusCode: 422, name: "validation_error", message: "The batch must hold between 1 and 100 emails." });
  }
  const problems = emails.map((e) => problemOf(e, isBatch, tenant.rejected));
  const firstProblem = problems.findIndex((p) => p !== null);
  if (firstProblem >= 0 && !permissive) {
    const where = isBatch ? `emails[${firstProblem}]: ` : "";
    return answer(422, { statusCode: 422, name: "validation_error", message: `${where}${problems[firstProblem]}` });
  }

  const acceptedAt = new Date().toISOString();
  /** @type {{ id: string }[]} */
  const ids = [];
  /** @type {{ index: number, message: string }[]} */
  const errors = [];
  emails.forEach((e, index) => {
    if (problems[index]) {
      errors.push({ index, message: /** @type {string} */ (problems[index]) });
      return;
    }
    const id = randomUUID();
    ids.push({ id });
    tenant.emails.push({
      id,
      from: e.from,
      to: [e.to].flat(),
      subject: e.subject,
      html: e.html ?? null,
      text: e.text ?? null,
      tags: e.tags ?? [],
      attachments: (e.attachments ?? []).map((/** @type {any} */ a) => ({
        filename: a.filename,
        content_type: a.content_type ?? null,
        content: a.content,
      })),
      idempotencyKey,
      created_at: acceptedAt,
    });
  });
  record.emails = ids.length;
  const response = isBatch ? (permissive ? { data: ids, errors } : { data: ids }) : ids[0];
  if (idempotencyKey) tenant.idempotency.set(idempotencyKey, { fingerprint, status: 200, response, expires: now + IDEMPOTENCY_TTL_MS });
  if (loseAnswer) {
    record.status = 200;
    req.socket.destroy();
  } else {
    answer(200, response);
  }
  if (tenant.webhook) for (const { id } of ids) void announce(tenant, /** @type {StoredEmail} */ (tenant.emails.find((e) => e.id === id)));
}

/**
 * What Resend would refuse in one email of a request, or null.
 * @param {any} email @param {boolean} inBatch @param {Set<string>} rejected
 */
function problemOf(email, inBatch, rejected) {
  if (!email || typeof email !== "object") return "Each email must be an object.";
  if (typeof email.from !== "string" || !/@/.test(email.from)) return "Invalid `from` field.";
  /** @type {unknown[]} */
  const to = [email.to].flat();
  if (to.length === 0 || to.length > 50 || !to.every((a) => typeof a === "string" && ADDRESS.test(a.trim())))
    return "Invalid `to` field. The email address needs to follow the `email@example.com` format.";
  if (to.some((a) => rejected.has(String(a).trim().toLowerCase()))) return `Invalid \`to\` field: ${to.join(", ")} is not accepted.`;
  if (typeof email.subject !== "string" || email.subject.length === 0) return "Missing `subject` field.";
  if (!email.html && !email.text) return "Missing `html` or `text` field.";
  if (inBatch && email.attachments?.length) return "Attachments are not supported in batch emails.";
  if (inBatch && email.scheduled_at) return "`scheduled_at` is not supported in batch emails.";
  return null;
}

/** @param {Request} req @param {Response} res @param {URL} url @param {string} body @param {Tenant} tenant */
async function control(req, res, url, body, tenant) {
  const input = body ? JSON.parse(body) : {};
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case "GET /_control/stats": {
      /** @type {Record<number, number>} */
      const byStatus = {};
      for (const r of tenant.requests) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      return send(res, 200, {
        requests: tenant.requests.length,
        byStatus,
        accepted: tenant.emails.length,
        rateLimited: byStatus[429] ?? 0,
        firstAcceptedAt: tenant.emails[0]?.created_at ?? null,
        lastAcceptedAt: tenant.emails.at(-1)?.created_at ?? null,
      });
    }
    case "GET /_control/requests":
      return send(res, 200, { requests: tenant.requests });
    case "GET /_control/emails": {
      const to = url.searchParams.get("to")?.toLowerCase();
      return send(res, 200, { emails: to ? tenant.emails.filter((e) => e.to.some((a) => a.toLowerCase() === to)) : tenant.emails });
    }
    case "POST /_control/fail":
      tenant.failures.push({ status: input.status, times: input.times ?? 1, retryAfter: input.retryAfter ?? 1, path: input.path });
      return send(res, 200, { failures: tenant.failures });
    case "POST /_control/reject":
      for (const a of input.addresses ?? []) tenant.rejected.add(String(a).trim().toLowerCase());
      return send(res, 200, { rejected: [...tenant.rejected] });
    case "POST /_control/config":
      if (input.rateLimit !== undefined) tenant.rateLimit = input.rateLimit;
      if (input.webhook !== undefined) tenant.webhook = input.webhook;
      return send(res, 200, { rateLimit: tenant.rateLimit, webhook: tenant.webhook });
    case "POST /_control/reset":
      Object.assign(tenant, newTenant({ rateLimit: tenant.rateLimit, webhook: null }));
      return send(res, 200, { reset: true });
    default:
      return send(res, 404, { statusCode: 404, name: "not_found", message: `No control endpoint ${route}.` });
  }
}

/**
 * Posts email.sent then email.delivered for an accepted email, signed the Svix way.
 * @param {Tenant} tenant @param {StoredEmail} email
 */
async function announce(tenant, email) {
  for (const type of ["email.sent", "email.delivered"]) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const event = {
      type,
      created_at: new Date().toISOString(),
      data: {
        email_id: email.id,
        created_at: email.created_at,
        from: email.from,
        to: email.to,
        subject: email.subject,
        tags: Object.fromEntries(email.tags.map((t) => [t.name, t.value])),
      },
    };
    const { webhook } = tenant;
    if (!webhook) return; // turned off since
    try {
      await fetch(webhook.url, {
        method: "POST",
        headers: signedHeaders(webhook.secret, JSON.stringify(event)),
        body: JSON.stringify(event),
      });
    } catch {
      /* the receiver may be gone; webhooks are best effort here */
    }
  }
}

/**
 * Svix / Standard Webhooks headers: HMAC-SHA256 of `${id}.${timestamp}.${body}` with the secret's bytes.
 * @param {string} secret @param {string} body @param {{ id?: string, timestamp?: number }} [options]
 */
export function signedHeaders(secret, body, { id = `msg_${randomUUID()}`, timestamp = Math.floor(Date.now() / 1000) } = {}) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "content-type": "application/json", "svix-id": id, "svix-timestamp": String(timestamp), "svix-signature": `v1,${signature}` };
}

/**
 * vitest globalSetup: one stand-in for the run; tests reach it through inject("resendStandinUrl").
 * @param {{ provide: (key: string, value: unknown) => void }} project
 */
export default async function setup({ provide }) {
  const standin = await startResendStandin({ port: 0, rateLimit: 2 });
  provide("resendStandinUrl", standin.url);
  return () => standin.close();
}

// CLI
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = optionsOf(args);
  if (args.includes("--help")) {
    console.log(
      "node test/support/resend-standin.mjs [--port 3030] [--host 127.0.0.1] [--rate 2] [--webhook-url URL --webhook-secret whsec_…]",
    );
    process.exit(0);
  }
  const webhookUrl = option("webhook-url");
  const standin = await startResendStandin({
    port: Number(option("port", "3030")),
    host: option("host", "127.0.0.1"),
    rateLimit: Number(option("rate", "2")),
    webhook: webhookUrl ? { url: webhookUrl, secret: option("webhook-secret", "") ?? "" } : null,
    quiet: false,
  });
  console.log(`Resend stand-in listening on ${standin.url} (rate limit ${option("rate", "2")} requests/s per key)`);
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => standin.close().then(() => process.exit(0)));
}
