// A local HTTP server that speaks the part of Twilio's Messages API Rollcall uses, for tests, the
// benchmark and offline development. No dependencies beyond Node.
//
//   POST /2010-04-01/Accounts/{sid}/Messages.json   form: To, Body, From | MessagingServiceSid,
//                                                   StatusCallback?              → 201 { sid, status: "queued", … }
//   GET  /2010-04-01/Accounts/{sid}/Messages.json   ?To=&PageSize= newest first  → 200 { messages: [...] }
//   GET  /2010-04-01/Accounts/{sid}/Messages/{sid}.json                          → 200 the message
//
// Like Twilio: HTTP Basic auth with the account SID and an auth token is required; a rate limit
// per account (1 message/s by default) answers 429 with code 20429; errors are
// { code, message, more_info, status }; an invalid To answers 400 with code 21211. Every account
// SID is its own tenant (own limit, log, failures), so parallel tests do not meet.
//
// Control endpoints, under the same Basic auth, never rate limited:
//   GET  /_control/messages   every accepted message
//   GET  /_control/requests   every API request: { at, method, path, status, to }
//   POST /_control/fail       { status: 429 | 500 | 400 | "network" | "lost", times?: 1, retryAfter?: 1 }
//                             ("network": the request is dropped unread; "lost": the message is
//                             accepted and its answer dropped, as when a connection breaks on the way back)
//   POST /_control/config     { rateLimit?: messages per second (0 = none), callbacks?: boolean }
//   POST /_control/reset      forget this account's state
// With callbacks on, each accepted message with a StatusCallback is followed by signed (the auth
// token, X-Twilio-Signature) "sent" and "delivered" callbacks posted to it.
//
// Library:  const standin = await startTwilioStandin({ port: 0 }); standin.url; await standin.close();
// CLI:      node test/support/twilio-standin.mjs --port 3031 --rate 1 [--callbacks]
// vitest:   the default export is a globalSetup that provides `twilioStandinUrl`.

import { createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { optionsOf, readBody, send } from "./standin-http.mjs";

/**
 * @typedef {import("node:http").IncomingMessage} Request
 * @typedef {import("node:http").ServerResponse} Response
 * @typedef {{ sid: string, account_sid: string, to: string, from: string | null, messaging_service_sid: string | null,
 *   body: string, status: string, date_created: string, status_callback: string | null }} StoredMessage
 * @typedef {ReturnType<typeof newTenant>} Tenant
 */

const E164 = /^\+[1-9]\d{6,14}$/;

/** @param {{ port?: number, host?: string, rateLimit?: number, callbacks?: boolean, quiet?: boolean }} [options] */
export async function startTwilioStandin({ port = 0, host = "127.0.0.1", rateLimit = 1, callbacks = false, quiet = true } = {}) {
  /** @type {Map<string, Tenant>} */
  const tenants = new Map();
  const tenantOf = (/** @type {string} */ sid) => {
    let t = tenants.get(sid);
    if (!t) {
      t = newTenant({ rateLimit, callbacks });
      tenants.set(sid, t);
    }
    return t;
  };
  const server = createServer((req, res) => {
    handle(req, res, tenantOf).catch((error) => {
      if (!quiet) console.error(error);
      if (!res.headersSent) send(res, 500, { code: 20500, message: String(error), status: 500 });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://${host}:${address.port}`,
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

/** @param {{ rateLimit: number, callbacks: boolean }} settings */
function newTenant({ rateLimit, callbacks }) {
  return {
    rateLimit,
    callbacks,
    window: /** @type {number[]} */ ([]),
    failures: /** @type {{ status: number | "network" | "lost", times: number, retryAfter: number }[]} */ ([]),
    requests: /** @type {{ at: string, method: string | undefined, path: string, status: number, to: string | null }[]} */ ([]),
    messages: /** @type {StoredMessage[]} */ ([]),
  };
}

/** @param {Request} req @param {Response} res @param {(sid: string) => Tenant} tenantOf */
async function handle(req, res, tenantOf) {
  const url = new URL(req.url ?? "/", "http://standin");
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const [user, token] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [];
  const body = await readBody(req);
  if (!user || !token) return send(res, 401, error(20003, "Authenticate", 401));
  const tenant = tenantOf(user);
  if (url.pathname.startsWith("/_control/")) return control(req, res, url, body, tenant);

  const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/.exec(url.pathname);
  if (!path) return send(res, 404, error(20404, "The requested resource was not found", 404));
  if (decodeURIComponent(path[1] ?? "") !== user) return send(res, 403, error(20003, "Account SID does not match the credentials", 403));

  if (req.method === "GET" && path[2]) {
    const found = tenant.messages.find((m) => m.sid === path[2]);
    return found ? send(res, 200, found) : send(res, 404, error(20404, "The requested resource was not found", 404));
  }
  if (req.method === "GET") {
    const to = url.searchParams.get("To");
    const size = Math.min(1000, Number(url.searchParams.get("PageSize") ?? 50) || 50);
    const messages = tenant.messages
      .filter((m) => !to || m.to === to)
      .reverse()
      .slice(0, size);
    return send(res, 200, { messages, page_size: size, next_page_uri: null });
  }
  if (req.method !== "POST") return send(res, 405, error(20004, "Method not allowed", 405));

  const form = new URLSearchParams(body);
  const record = { at: new Date().toISOString(), method: req.method, path: url.pathname, status: 0, to: form.get("To") };
  tenant.requests.push(record);
  /** @param {number} status @param {unknown} payload @param {Record<string, string>} [headers] */
  const answer = (status, payload, headers) => {
    record.status = status;
    send(res, status, payload, headers);
  };

  const now = Date.now();
  tenant.window = tenant.window.filter((t) => t > now - 1000);
  if (tenant.rateLimit > 0 && tenant.window.length >= tenant.rateLimit)
    return answer(429, error(20429, "Too Many Requests", 429), { "retry-after": "1" });

  const failure = tenant.failures[0];
  let loseAnswer = false;
  if (failure) {
    if (--failure.times <= 0) tenant.failures.shift();
    if (failure.status === "network") {
      record.status = -1;
      return void req.socket.destroy();
    }
    if (failure.status === "lost") loseAnswer = true;
    else if (failure.status === 429)
      return answer(429, error(20429, "Too Many Requests", 429), { "retry-after": String(failure.retryAfter) });
    else return answer(failure.status, error(failure.status >= 500 ? 20500 : 21211, "Injected failure", failure.status));
  }

  const to = form.get("To") ?? "";
  const text = form.get("Body") ?? "";
  if (!E164.test(to)) return answer(400, error(21211, `The 'To' number ${to} is not a valid phone number.`, 400));
  if (!form.get("From") && !form.get("MessagingServiceSid"))
    return answer(400, error(21603, "A 'From' or 'MessagingServiceSid' is required", 400));
  if (!text) return answer(400, error(21602, "Message body is required.", 400));
  tenant.window.push(now);

  /** @type {StoredMessage} */
  const message = {
    sid: `SM${randomBytes(16).toString("hex")}`,
    account_sid: user,
    to,
    from: form.get("From"),
    messaging_service_sid: form.get("MessagingServiceSid"),
    body: text,
    status: "queued",
    date_created: new Date(now).toUTCString().replace("GMT", "+0000"),
    status_callback: form.get("StatusCallback"),
  };
  tenant.messages.push(message);
  if (tenant.callbacks && message.status_callback) void reportStatus(message, token);
  if (loseAnswer) {
    record.status = -2;
    return void req.socket.destroy();
  }
  return answer(201, message);
}

/** Signed "sent" then "delivered" callbacks, as Twilio posts them. @param {StoredMessage} message @param {string} token */
async function reportStatus(message, token) {
  for (const status of ["sent", "delivered"]) {
    message.status = status;
    const params = { MessageSid: message.sid, SmsSid: message.sid, AccountSid: message.account_sid, To: message.to, MessageStatus: status };
    await fetch(/** @type {string} */ (message.status_callback), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilioSignature(token, /** @type {string} */ (message.status_callback), params),
      },
      body: new URLSearchParams(params),
    }).catch(() => undefined);
  }
}

/** Twilio's signature: HMAC-SHA1 of the URL and the sorted parameters, base64. @param {string} token @param {string} url @param {Record<string, string>} params */
export function twilioSignature(token, url, params) {
  const payload =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join("");
  return createHmac("sha1", token).update(payload).digest("base64");
}

/** @param {Request} req @param {Response} res @param {URL} url @param {string} body @param {Tenant} tenant */
function control(req, res, url, body, tenant) {
  const input = body ? JSON.parse(body) : {};
  if (req.method === "GET" && url.pathname === "/_control/messages") return send(res, 200, { messages: tenant.messages });
  if (req.method === "GET" && url.pathname === "/_control/requests") return send(res, 200, { requests: tenant.requests });
  if (req.method === "POST" && url.pathname === "/_control/fail") {
    tenant.failures.push({ status: input.status, times: input.times ?? 1, retryAfter: input.retryAfter ?? 1 });
    return send(res, 200, { failures: tenant.failures.length });
  }
  if (req.method === "POST" && url.pathname === "/_control/config") {
    if (input.rateLimit !== undefined) tenant.rateLimit = input.rateLimit;
    if (input.callbacks !== undefined) tenant.callbacks = input.callbacks;
    return send(res, 200, { rateLimit: tenant.rateLimit, callbacks: tenant.callbacks });
  }
  if (req.method === "POST" && url.pathname === "/_control/reset") {
    Object.assign(tenant, newTenant({ rateLimit: tenant.rateLimit, callbacks: tenant.callbacks }));
    return send(res, 200, {});
  }
  return send(res, 404, error(20404, "No such control endpoint", 404));
}

/** @param {number} code @param {string} message @param {number} status */
function error(code, message, status) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/**
 * vitest globalSetup: one stand-in for the run; tests reach it through inject("twilioStandinUrl").
 * @param {{ provide: (key: string, value: unknown) => void }} project
 */
export default async function setup({ provide }) {
  const standin = await startTwilioStandin({ port: 0, rateLimit: 1 });
  provide("twilioStandinUrl", standin.url);
  return () => standin.close();
}

// CLI
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = optionsOf(args);
  if (args.includes("--help")) {
    console.log("node test/support/twilio-standin.mjs [--port 3031] [--host 127.0.0.1] [--rate 1] [--callbacks]");
    process.exit(0);
  }
  const standin = await startTwilioStandin({
    port: Number(option("port", "3031")),
    host: option("host", "127.0.0.1"),
    rateLimit: Number(option("rate", "1")),
    callbacks: args.includes("--callbacks"),
    quiet: false,
  });
  console.log(`Twilio stand-in listening on ${standin.url} (rate limit ${option("rate", "1")} messages/s per account)`);
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => standin.close().then(() => process.exit(0)));
}
