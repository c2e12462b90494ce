// The Worker's entry: HTTP through the Hono app, mail through the queue consumer, the retention
// purge on the Cron Trigger, and the session ledger Durable Object class.

import { app } from "./app";
import { handleMailQueue } from "./email/consumer";
import type { MailMessage } from "./email/message";
import { purgeExpired } from "./privacy/retention";

export { SessionLedger } from "./ledger/ledger";

export default {
  fetch: app.fetch,
  // Both mail queues: deliveries, and the dead letters of deliveries (batch.queue tells which).
  queue: (batch, env) => handleMailQueue(batch, env),
  // The one cron in wrangler.toml ([triggers]): what each org's retention says is due.
  scheduled: async (controller, env) => {
    const report = await purgeExpired(env, new Date(controller.scheduledTime));
    console.log("retention purge", JSON.stringify(report));
  },
} satisfies ExportedHandler<Env, MailMessage>;
