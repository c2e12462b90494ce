// Where a registration awaiting payment is sent to pay. Locally (development, on a developer's own
// machine) that is the dev checkout page, /dev/checkout/{registrationId}, whose buttons run the
// same ledger transitions a payment provider's events do. Anywhere else no checkout is set up yet,
// so a priced session refuses registrations (payments_unavailable) rather than hold seats nobody
// can pay for.

import { devRoutesOpen } from "../config/dev-mode";

/** Whether this request may start a checkout (the dev checkout page is reachable). */
export function checkoutAvailable(env: { ROLLCALL_ENV?: string }, url: string): boolean {
  const built = typeof ROLLCALL_DEV_ROUTES === "undefined" || ROLLCALL_DEV_ROUTES;
  return built && devRoutesOpen(env, url);
}

/** The checkout page of a registration awaiting payment, on the origin the request came to. */
export function checkoutUrl(url: string, registrationId: string): string {
  return `${new URL(url).origin}/dev/checkout/${encodeURIComponent(registrationId)}`;
}
