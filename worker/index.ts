// The Worker's entry: HTTP through the Hono app, mail through the queue consumer, and the
// session ledger Durable Object class.

import { app } from "./app";
import { handleMailQueue } from "./email/consumer";
import type { QueuedMail } from "./email/message";

export { SessionLedger } from "./ledger/ledger";

export default {
  fetch: app.fetch,
  // Both mail queues: deliveries, and the dead letters of deliveries (batch.queue tells which).
  queue: (batch, env) => handleMailQueue(batch, env),
} satisfies ExportedHandler<Env, QueuedMail>;
