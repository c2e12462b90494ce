// The Worker's entry: HTTP through the Hono app, mail through the queue consumer, the retention
// purge and contacts' deactivation on the Cron Trigger, and the session ledger Durable Object class.

import { createApp } from "./app";
import { secretFault, secretFaultText } from "./config/secrets";
import { deactivateDue } from "./contacts/service";
import { releaseLeakedUses } from "./discounts/redemptions";
import { handleMailQueue } from "./email/consumer";
import type { QueuedMail } from "./email/message";
import { problemResponse } from "./errors/problem";
import type { RefundQueueMessage } from "./payments/decide";
import { handleRefundQueue, REFUND_QUEUE } from "./payments/refunds";
import { stripeSettingsFault } from "./payments/stripe";
import { purgeExpired } from "./privacy/retention";
import { FANOUT_QUEUE, type FanoutQueueMessage, handleFanoutQueue, sweepStuckJobs } from "./programs/fanout";
import { queueDueProgramMail } from "./programs/mailing";
import { sweepDepartedHosts } from "./sessions/host-release";
import { handleSmsQueue, smsSenderFor } from "./sms/consumer";
import { smsDivert } from "./sms/divert";
import { type QueuedSms, SMS_QUEUE, URGENT_SMS_QUEUE } from "./sms/message";
import { twilioSettingsFault } from "./sms/settings";
import { handleWebhookQueue } from "./webhooks/consumer";
import { WEBHOOK_QUEUE, type WebhookQueueMessage } from "./webhooks/message";
import { drainWebhookOutbox } from "./webhooks/outbox";

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
  // Nor is anything in production while Twilio or Stripe is set up by half.
  fetch: (request, env, ctx) => {
    const secret = secretFault(env);
    const fault = secret
      ? { setting: secret.setting, detail: secretFaultText(secret) }
      : (twilioSettingsFault(env) ?? stripeSettingsFault(env));
    if (!fault) {
      app ??= createApp();
      return app.fetch(request, env, ctx);
    }
    const { detail } = fault;
    if (!faultLogged) console.error(detail);
    faultLogged = true;
    return problemResponse({ code: "server_misconfigured", detail, extra: { setting: fault.setting } });
  },
  // Refunds, webhook events, program invitations' chunks, texts (both SMS queues), and mail: both
  // delivery queues, and the dead letters of deliveries (batch.queue tells which).
  queue: (batch, env) =>
    batch.queue === REFUND_QUEUE
      ? handleRefundQueue(batch as unknown as MessageBatch<RefundQueueMessage>, env)
      : batch.queue === WEBHOOK_QUEUE
        ? handleWebhookQueue(batch as MessageBatch<WebhookQueueMessage>, env)
        : batch.queue === FANOUT_QUEUE
          ? handleFanoutQueue(batch as MessageBatch<FanoutQueueMessage>, env)
          : batch.queue === SMS_QUEUE || batch.queue === URGENT_SMS_QUEUE
            ? handleSmsQueue(batch as MessageBatch<QueuedSms>, env)
            : handleMailQueue(batch as MessageBatch<QueuedMail>, env, mailDeps(env)),
  // The one cron in wrangler.toml ([triggers]), hourly: contacts whose deactivation date has come,
  // what each org's retention says is due, program emails whose program has started, fan-out
  // jobs whose chunks never reached the queue, sessions still naming a removed member as host, and
  // discount uses claimed for registrations that never came. One failing does not keep the others from running.
  scheduled: async (controller, env) => {
    const now = new Date(controller.scheduledTime);
    const deactivation = deactivateDue(env, now);
    const tasks = {
      "contact deactivation": () => deactivation,
      // Contact events left in D1's outbox, this run's deactivations included (after them).
      "webhook outbox": () =>
        deactivation.then(
          () => drainWebhookOutbox(env.DB, env.WEBHOOK_QUEUE),
          () => drainWebhookOutbox(env.DB, env.WEBHOOK_QUEUE),
        ),
      "retention purge": () => purgeExpired(env, now),
      "program mail": () => queueDueProgramMail(env, now),
      "fan-out sweep": () => sweepStuckJobs(env, now),
      "departed hosts": () => sweepDepartedHosts(env),
      "leaked discount uses": () => releaseLeakedUses(env.DB, now),
    };
    const results = await Promise.allSettled(Object.values(tasks).map((task) => task()));
    Object.keys(tasks).forEach((name, i) => {
      const result = results[i]!;
      if (result.status === "fulfilled") console.log(name, JSON.stringify(result.value));
      else console.error(`${name} failed`, result.reason);
    });
    if (results.some((r) => r.status === "rejected")) throw new Error("a scheduled task failed");
  },
} satisfies ExportedHandler<Env, QueuedMail | FanoutQueueMessage | QueuedSms | WebhookQueueMessage>;

/** Texts for contacts who chose SMS when a sender is there (Twilio, or the dev outbox); emails otherwise. */
function mailDeps(env: Env) {
  try {
    return smsSenderFor(env) ? { divert: smsDivert(env) } : {};
  } catch (error) {
    // Incomplete Twilio settings: the SMS consumer reports it; mail does not wait for it.
    console.error("sms: not diverting", error);
    return {};
  }
}
