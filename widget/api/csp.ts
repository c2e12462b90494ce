// The page's Content Security Policy, as it concerns the API: a fetch or a socket the policy
// blocks fails like a network error, so the browser's `securitypolicyviolation` events are kept
// here, by the origin they blocked, for the client to tell a blocked call from an outage.

const blocked = new Map<string, string>();

document.addEventListener("securitypolicyviolation", (event) => {
  const directive = event.effectiveDirective;
  if (directive !== "connect-src" && directive !== "script-src" && directive !== "script-src-elem") return;
  try {
    blocked.set(new URL(event.blockedURI).origin, directive === "script-src-elem" ? "script-src" : directive);
  } catch {
    // "inline", "eval": not a URL, not ours.
  }
});

/**
 * The directive of the page's policy that blocked calls to `url`'s origin, if one did. The event
 * may follow the failed call by a moment, so this waits for it briefly (only failed calls ask).
 */
export async function blockedBy(url: string): Promise<string | undefined> {
  const { origin } = new URL(url, document.baseURI);
  for (let wait = 0; wait < 5 && !blocked.has(origin); wait++) await new Promise((r) => setTimeout(r, 20));
  return blocked.get(origin);
}
