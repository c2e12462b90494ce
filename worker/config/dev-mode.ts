// When the development-only routes (the mail outbox at /dev/mail, the demo site at /demo/) answer:
// only when the deployment says it is a developer's (ROLLCALL_ENV=development, set in .dev.vars,
// never in wrangler.toml) AND the request is addressed to this machine. A production deployment
// given development settings by mistake still never shows them to the internet.

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether a URL names this machine (what a browser calls a developer's own server). */
export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK_HOSTS.has(new URL(url).hostname);
}

export function devRoutesOpen(env: { ROLLCALL_ENV?: string }, url: string): boolean {
  return env.ROLLCALL_ENV === "development" && isLoopbackUrl(url);
}
