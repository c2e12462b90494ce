// The dev outbox's "Reply from this phone" for a text (/dev/mail/{id}): what the number sends back
// (STOP, START…) does what it does when Twilio posts it, without Twilio. Development only, like
// the outbox (config/dev-mode.ts), and only from the outbox's own page: a form on another site
// cannot stop a number on this machine's server.

import { Hono } from "hono";
import { devRoutesOpen } from "../config/dev-mode";
import { keptMessage } from "../email/dev-outbox";
import { problemResponse } from "../errors/problem";
import type { AppEnv } from "../http/context";
import { applyIncomingText } from "./webhooks";

export function devSmsRoutes() {
  return new Hono<AppEnv>().post("/dev/mail/:id/reply", async (c) => {
    if (!devRoutesOpen(c.env, c.req.url)) return problemResponse({ code: "not_found", detail: "No such route." });
    if (!fromOwnPage(c.req.header("sec-fetch-site"), c.req.header("origin"), new URL(c.req.url).origin))
      return problemResponse({ code: "forbidden", detail: "Reply from the dev outbox's own page." });
    const row = await keptMessage(c.env.DB, c.req.param("id"));
    if (row?.channel !== "sms") return problemResponse({ code: "not_found", detail: "No such text in the dev outbox." });
    const form = await c.req.parseBody();
    const body = typeof form.body === "string" ? form.body.slice(0, 1600) : "";
    const { result } = await applyIncomingText(c.env.DB, row.to, body, c.var.clock.now());
    return c.redirect(`/dev/mail/${encodeURIComponent(row.id)}?replied=${result}`, 303);
  });
}

/**
 * Whether a form was posted from this server's own page: the browser's Sec-Fetch-Site says so
 * (the outbox's pages send no referrer, so their forms' Origin is "null"); without it, an Origin
 * that is not this one is another site's. A request with neither (curl) is the developer's own.
 */
function fromOwnPage(site: string | undefined, origin: string | undefined, own: string): boolean {
  if (site) return site === "same-origin";
  return origin === undefined || origin === own;
}
