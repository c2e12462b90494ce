// The page's Content Security Policy, as it concerns the API: a call the policy blocks fails like a
// network error. The browser keeps a report of each violation (ReportingObserver, `buffered`), so
// this chunk is fetched only once a call has failed, and tells a blocked call from an outage.

import type { Problem } from "./client";

type Violation = { blockedURL?: string; effectiveDirective?: string };

/** The reports of the page's CSP violations so far, and those that come within a moment. */
function violations(): Promise<Violation[]> {
  return new Promise((resolve) => {
    const seen: Violation[] = [];
    const observer = new ReportingObserver((reports) => seen.push(...reports.map((r) => r.body as Violation)), {
      types: ["csp-violation"],
      buffered: true,
    });
    observer.observe();
    // The report of the failed call may follow it by a moment.
    setTimeout(() => {
      seen.push(...observer.takeRecords().map((r) => r.body as Violation));
      observer.disconnect();
      resolve(seen);
    }, 100);
  });
}

/** The `csp_blocked` problem when the page's policy blocked calls to `url`'s origin, else undefined. */
export async function blockedBy(url: string): Promise<Problem | undefined> {
  const { origin } = new URL(url, document.baseURI);
  for (const v of await violations()) {
    const directive = v.effectiveDirective?.replace(/-elem$/, "");
    if ((directive !== "connect-src" && directive !== "script-src") || !v.blockedURL?.startsWith(origin)) continue;
    const detail = `The page's Content-Security-Policy blocks ${origin}: add it to ${directive}.`;
    return { code: "csp_blocked", detail, status: 0, directive, origin };
  }
  return undefined;
}
