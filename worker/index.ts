// The Worker's entry: HTTP through the Hono app, mail through the queue consumer, and the
// session ledger Durable Object class.

import { app } from "./app";
import { consumeMail } from "./email/consumer";
import type { MailMessage } from "./email/message";

export { SessionLedger } from "./ledger/ledger";

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeMail(batch, env),
} satisfies ExportedHandler<Env, MailMessage>;
