// The Worker's entry: HTTP through the Hono app, mail through the queue consumer, the retention
// purge and contacts' deactivation on the Cron Trigger, and the session ledger Durable Object class.

import { createApp } from "./app";
import { secretFault, secretFaultText } from "./config/secrets";
import { deactivateDue } from "./contacts/service";
import { handleMailQueue } from "./email/consumer";
import type { QueuedMail } from "./email/message";
import { problemResponse } from "./errors/problem";
import { purgeExpired } from "./privacy/retention";
import { FANOUT_QUEUE, type FanoutMessage, handleFanoutQueue } from "./programs/fanout";

export { SessionLedger } from "./ledger/ledger";

/** Logged once per isolate: every request is refused the same way until the secret is fixed. */
let faultLogged = false;

/**
 * The app, built at the first request rather than at import: whether the dev routes are in it
 * (ROLLCALL_DEV_ROUTES) is substituted by wrangler's build, but set as a global by the test pool
 * only after it has imported this module.
 */
let app: ReturnType<typeof createApp> | undefined;

export default {
  // A missing, short or example secret would make tokens and cookies forgeable: nothing is served.
  fetch: (request, env, ctx) => {
    const fault = secretFault(env);
    if (!fault) {
      app ??= createApp();
      return app.fetch(request, env, ctx);
    }
    const detail = secretFaultText(fault);
    if (!faultLogged) console.error(detail);
    faultLogged = true;
    return problemResponse({ code: "server_misconfigured", detail, extra: { setting: fault.setting } });
  },
  // Program invitations' chunks; and both mail queues: deliveries, and the dead letters of
  // deliveries (batch.queue tells which).
  queue: (batch, env) =>
    batch.queue === FANOUT_QUEUE
      ? handleFanoutQueue(batch as MessageBatch<FanoutMessage>, env)
      : handleMailQueue(batch as MessageBatch<QueuedMail>, env),
  // The one cron in wrangler.toml ([triggers]), hourly: contacts whose deactivation date has come,
  // and what each org's retention says is due. One failing does not keep the other from running.
  scheduled: async (controller, env) => {
    const now = new Date(controller.scheduledTime);
    const [deactivation, purge] = await Promise.allSettled([deactivateDue(env, now), purgeExpired(env, now)]);
    if (deactivation.status === "fulfilled") console.log("contact deactivation", JSON.stringify(deactivation.value));
    else console.error("contact deactivation failed", deactivation.reason);
    if (purge.status === "fulfilled") console.log("retention purge", JSON.stringify(purge.value));
    else console.error("retention purge failed", purge.reason);
    if (deactivation.status === "rejected" || purge.status === "rejected") throw new Error("a scheduled task failed");
  },
} satisfies ExportedHandler<Env, QueuedMail | FanoutMessage>;
