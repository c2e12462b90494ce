// What the stand-ins for outside services (resend-standin.mjs, twilio-standin.mjs) share: reading
// a request's body, answering JSON, and reading their command line when run on their own.

/** @param {import("node:http").IncomingMessage} req @returns {Promise<string>} */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** @param {import("node:http").ServerResponse} res @param {number} status @param {unknown} payload @param {Record<string, string>} [headers] */
export function send(res, status, payload, headers = {}) {
  const text = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * `--name value` options of a command line.
 * @param {string[]} args
 * @returns {(name: string, fallback?: string) => string | undefined}
 */
export function optionsOf(args) {
  return (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
}
