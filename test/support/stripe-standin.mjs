// A local HTTP server that speaks the part of Stripe's API Rollcall uses, for tests and offline
// development. No dependencies beyond Node.
//
//   POST /v1/checkout/sessions        form (Stripe's bracket encoding)      → 200 checkout.session
//   POST /v1/refunds                  form: payment_intent, metadata[...]    → 200 refund (the rest of the payment)
//   GET  /v1/payment_intents/{id}                                             → 200 payment_intent (with its metadata)
//
// Like Stripe: `Authorization: Bearer sk_…` is required, and each secret key is its own account
// (own objects and log), so parallel tests do not meet; a POST with an Idempotency-Key already
// seen on that account answers what the first one answered and creates nothing; errors are
// { error: { type, code, message } }; a Checkout Session's expires_at must be 30 minutes to 24
// hours away; a refund of a payment already refunded in full is refused (charge_already_refunded).
//
// Control endpoints, under the same key:
//   POST /_control/complete   { checkout }  the person pays: the session completes with a new PaymentIntent
//   POST /_control/expire     { checkout }  the session expires unpaid
//   GET  /_control/charge?payment_intent=   the payment's charge as charge.refunded carries it
//   GET  /_control/state      every checkout (with the params it was created with), refund and request
//   POST /_control/fail       { status, times?, remember? }  the next API requests answer that status
//                             (remember: kept under their Idempotency-Key and replayed, as Stripe does a 500)
//
// Library:  const standin = await startStripeStandin({ port: 0 }); standin.url; await standin.close();
// CLI:      node test/support/stripe-standin.mjs --port 3032
// vitest:   the default export is a globalSetup that provides `stripeStandinUrl`.

import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { optionsOf, readBody, send } from "./standin-http.mjs";

/** @param {string} prefix */
const id = (prefix) => `${prefix}_test_${randomBytes(12).toString("hex")}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Stripe's form encoding (a[b][0][c]=v) read back into objects and arrays. @param {string} text */
export function parseForm(text) {
  /** @type {Record<string, any>} */
  const root = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, "").split("[");
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = node[part] ??= /^\d+$/.test(path[i + 1]) ? [] : {};
    });
  }
  return root;
}

function newAccount() {
  return {
    /** @type {Map<string, any>} */ checkouts: new Map(),
    /** @type {Map<string, any>} */ paymentIntents: new Map(),
    /** @type {any[]} */ refunds: [],
    /** @type {Map<string, { status: number, body: unknown }>} */ idempotent: new Map(),
    /** @type {any[]} */ requests: [],
    fail: { status: 0, times: 0, remember: false },
  };
}

/** @param {number} status @param {string} type @param {string} code @param {string} message */
const error = (status, type, code, message) => ({ status, body: { error: { type, code, message } } });

export async function startStripeStandin({ port = 0, host = "127.0.0.1", quiet = true } = {}) {
  /** @type {Map<string, ReturnType<typeof newAccount>>} */
  const accounts = new Map();
  let base = "";

  /** @param {ReturnType<typeof newAccount>} account @param {string} method @param {string} path @param {any} form @param {URL} url */
  function api(account, method, path, form, url) {
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const expiresAt = Number(form.expires_at ?? nowSeconds() + 24 * 3600);
      const ahead = expiresAt - nowSeconds();
      if (ahead < 30 * 60 - 5 || ahead > 24 * 3600)
        return error(400, "invalid_request_error", "parameter_invalid_integer", "expires_at must be 30 minutes to 24 hours ahead");
      const item = form.line_items?.[0] ?? {};
      const checkoutId = id("cs");
      const checkout = {
        id: checkoutId,
        object: "checkout.session",
        url: `${base}/pay/${checkoutId}`,
        mode: form.mode,
        status: "open",
        payment_status: "unpaid",
        payment_intent: null,
        amount_total: Number(item.price_data?.unit_amount ?? 0) * Number(item.quantity ?? 1),
        currency: item.price_data?.currency ?? null,
        client_reference_id: form.client_reference_id ?? null,
        customer_email: form.customer_email ?? null,
        expires_at: expiresAt,
        locale: form.locale ?? null,
        metadata: form.metadata ?? {},
        success_url: form.success_url,
        cancel_url: form.cancel_url,
        created: nowSeconds(),
      };
      account.checkouts.set(checkoutId, { checkout, params: form });
      return { status: 200, body: checkout };
    }
    if (method === "POST" && path === "/v1/refunds") {
      const intent = account.paymentIntents.get(form.payment_intent);
      if (!intent) return error(400, "invalid_request_error", "resource_missing", `No such payment_intent: '${form.payment_intent}'`);
      const left = intent.amount - intent.amount_refunded;
      if (left <= 0) return error(400, "invalid_request_error", "charge_already_refunded", "This charge has already been refunded.");
      const amount = form.amount ? Number(form.amount) : left;
      const refund = {
        id: id("re"),
        object: "refund",
        amount,
        currency: intent.currency,
        payment_intent: intent.id,
        charge: intent.latest_charge,
        status: "succeeded",
        metadata: form.metadata ?? {},
        created: nowSeconds(),
      };
      intent.amount_refunded += amount;
      account.refunds.push(refund);
      return { status: 200, body: refund };
    }
    const intentPath = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === "GET" && intentPath) {
      const intent = account.paymentIntents.get(decodeURIComponent(intentPath[1]));
      return intent ? { status: 200, body: intent } : error(404, "invalid_request_error", "resource_missing", "No such payment_intent");
    }
    // Control
    if (method === "POST" && (path === "/_control/complete" || path === "/_control/expire")) {
      const found = account.checkouts.get(form.checkout);
      if (!found) return error(404, "invalid_request_error", "resource_missing", "No such checkout");
      const { checkout, params } = found;
      if (path === "/_control/expire") Object.assign(checkout, { status: "expired" });
      else {
        const intent = {
          id: id("pi"),
          object: "payment_intent",
          amount: checkout.amount_total,
          amount_refunded: 0,
          currency: checkout.currency,
          status: "succeeded",
          latest_charge: id("ch"),
          metadata: params.payment_intent_data?.metadata ?? {},
        };
        account.paymentIntents.set(intent.id, intent);
        Object.assign(checkout, { status: "complete", payment_status: "paid", payment_intent: intent.id });
      }
      return { status: 200, body: checkout };
    }
    if (method === "GET" && path === "/_control/charge") {
      const intent = account.paymentIntents.get(url.searchParams.get("payment_intent") ?? "");
      if (!intent) return error(404, "invalid_request_error", "resource_missing", "No such payment_intent");
      const refunds = account.refunds.filter((r) => r.payment_intent === intent.id).reverse();
      return {
        status: 200,
        body: {
          id: intent.latest_charge,
          object: "charge",
          amount: intent.amount,
          amount_refunded: intent.amount_refunded,
          currency: intent.currency,
          payment_intent: intent.id,
          refunded: intent.amount_refunded >= intent.amount,
          // Stripe does not copy the PaymentIntent's metadata onto its charge.
          metadata: {},
          refunds: { object: "list", data: refunds },
        },
      };
    }
    if (method === "GET" && path === "/_control/state")
      return {
        status: 200,
        body: { checkouts: [...account.checkouts.values()], refunds: account.refunds, requests: account.requests },
      };
    if (method === "POST" && path === "/_control/fail") {
      account.fail = { status: Number(form.status), times: Number(form.times ?? 1), remember: form.remember === true };
      return { status: 200, body: account.fail };
    }
    return error(404, "invalid_request_error", "resource_missing", `Unrecognized request URL (${method}: ${path})`);
  }

  /** @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res */
  async function handle(req, res) {
    const url = new URL(req.url ?? "/", base);
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!key) return send(res, 401, { error: { type: "invalid_request_error", message: "You did not provide an API key." } });
    const account = accounts.get(key) ?? newAccount();
    accounts.set(key, account);
    const text = await readBody(req);
    const form = req.headers["content-type"]?.includes("json") ? JSON.parse(text || "{}") : parseForm(text);
    const control = url.pathname.startsWith("/_control/");
    const idempotencyKey = req.headers["idempotency-key"];
    if (!control) account.requests.push({ method: req.method, path: url.pathname, idempotencyKey: idempotencyKey ?? null });
    if (!control && account.fail.times > 0) {
      account.fail.times -= 1;
      const failure = { status: account.fail.status, body: { error: { type: "api_error", message: "The stand-in was told to fail." } } };
      // Like Stripe, which keeps a request's answer, a 500 included, under its Idempotency-Key once
      // the request began executing, and replays it to every retry with that key.
      if (account.fail.remember && req.method === "POST" && typeof idempotencyKey === "string")
        account.idempotent.set(idempotencyKey, failure);
      return send(res, failure.status, failure.body);
    }
    const remembered = !control && typeof idempotencyKey === "string" ? account.idempotent.get(idempotencyKey) : undefined;
    if (remembered) return send(res, remembered.status, remembered.body, { "idempotent-replayed": "true" });
    const answer = api(account, req.method ?? "GET", url.pathname, form, url);
    if (!control && req.method === "POST" && typeof idempotencyKey === "string") account.idempotent.set(idempotencyKey, answer);
    return send(res, answer.status, answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!quiet) console.error(e);
      if (!res.headersSent) send(res, 500, { error: { type: "api_error", message: String(e) } });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  base = `http://${host}:${address.port}`;
  return {
    url: base,
    port: address.port,
    close: () =>
      /** @type {Promise<void>} */ (
        new Promise((resolve) => {
          server.closeAllConnections?.();
          server.close(() => resolve(undefined));
        })
      ),
  };
}

/**
 * vitest globalSetup: one stand-in for the run; tests reach it through inject("stripeStandinUrl").
 * @param {{ provide: (key: string, value: unknown) => void }} project
 */
export default async function setup({ provide }) {
  const standin = await startStripeStandin({ port: 0 });
  provide("stripeStandinUrl", standin.url);
  return () => standin.close();
}

// CLI
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const option = optionsOf(process.argv.slice(2));
  const standin = await startStripeStandin({ port: Number(option("port", "3032")), host: option("host", "127.0.0.1"), quiet: false });
  console.log(`Stripe stand-in listening on ${standin.url}`);
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => standin.close().then(() => process.exit(0)));
}
