// Which URLs an endpoint may have: https in production, and never a host of the private network or
// the machine itself (the worker would otherwise be a way into them); http to localhost only in
// development. No credentials in the URL (they would be shown in the admin and logged).

export type UrlRefusal = { code: "webhook_url_invalid" | "webhook_url_not_https" | "webhook_url_private"; detail: string };

const PRIVATE_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home|corp|localdomain)$/i;

/** Whether a host (as URL parses it) is loopback, private, link-local or otherwise not public. */
export function isPrivateHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (PRIVATE_NAMES.test(h) || (!h.includes(".") && !h.includes(":"))) return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  if (h.includes(":")) {
    // IPv6: loopback, unspecified, unique local (fc00::/7), link-local (fe80::/10), and IPv4 mapped.
    return h === "::1" || h === "::" || /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith("::ffff:");
  }
  return false;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The URL as stored, or why it is refused. */
export function checkEndpointUrl(raw: string, production: boolean): { ok: true; url: string } | { ok: false; refusal: UrlRefusal } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, refusal: { code: "webhook_url_invalid", detail: "The URL cannot be read: give an absolute https:// URL." } };
  }
  if (url.username || url.password)
    return { ok: false, refusal: { code: "webhook_url_invalid", detail: "The URL may not carry a user name or password." } };
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { ok: false, refusal: { code: "webhook_url_not_https", detail: "The URL must start with https://." } };
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol === "http:" && (production || !local))
    return {
      ok: false,
      refusal: {
        code: "webhook_url_not_https",
        detail: "The URL must start with https:// (http:// is only for localhost in development).",
      },
    };
  if (production && isPrivateHost(url.hostname))
    return { ok: false, refusal: { code: "webhook_url_private", detail: "The URL's host is on a private network or this machine." } };
  url.hash = "";
  return { ok: true, url: url.toString() };
}
