// Paying or abandoning on the dev checkout page as a person does: open the page the registration's
// checkoutUrl names, take the token its form carries, press the button.
import { expect } from "vitest";
import { api, DEV_BASE } from "./helpers";

/** Pays (or abandons) the checkout at `checkoutUrl` (a URL or its path); the page answers 303. */
export async function devCheckout(checkoutUrl: string, outcome: "paid" | "abandoned" = "paid") {
  const path = new URL(checkoutUrl, DEV_BASE).pathname;
  const page = await api("GET", path, { base: DEV_BASE });
  const token = /name="token" value="([^"]+)"/.exec(page.body as string)?.[1] ?? "";
  const res = await api("POST", path, {
    base: DEV_BASE,
    raw: new URLSearchParams({ token, outcome }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(res.status, String(res.body).slice(0, 200)).toBe(303);
  return res;
}
