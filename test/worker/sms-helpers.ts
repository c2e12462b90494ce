// Steps the SMS tests share: an account of the Twilio stand-in of this run, texts made from real
// mail messages, and driving the SMS consumer round after round as the queue would.
import { createMessageBatch, env } from "cloudflare:test";
import { inject } from "vitest";
import type { MailMessage } from "../../worker/email/message";
import { handleSmsQueue, type SmsConsumerDeps } from "../../worker/sms/consumer";
import { queuedText } from "../../worker/sms/divert";
import type { QueuedSms } from "../../worker/sms/message";
import type { SmsTemplate } from "../../worker/sms/texts";
import { twilioSender } from "../../worker/sms/twilio";

declare module "vitest" {
  interface ProvidedContext {
    twilioStandinUrl: string;
  }
}

export const AUTH_TOKEN = "twilio-test-auth-token-0123456789";

/** One account of the stand-in: its own rate limit, failures and log. */
export function twilioAccount() {
  const url = inject("twilioStandinUrl");
  const accountSid = `AC${crypto.randomUUID().replaceAll("-", "")}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Basic ${btoa(`${accountSid}:${AUTH_TOKEN}`)}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json() as Promise<any>;
  };
  return {
    sender: twilioSender({ accountSid, authToken: AUTH_TOKEN, from: "+15005550006", baseUrl: url }),
    /** The worker's env with texts going to this account. */
    env: {
      ...env,
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: "+15005550006",
      TWILIO_BASE_URL: url,
      TWILIO_MESSAGES_PER_SECOND: "50",
    } as Env,
    /** "network": the request never arrives; "lost": the text is accepted, and its answer is lost. */
    fail: (order: { status: number | "network" | "lost"; times?: number; retryAfter?: number }) => call("POST", "/_control/fail", order),
    config: (config: { rateLimit?: number; callbacks?: boolean }) => call("POST", "/_control/config", config),
    messages: async () => (await call("GET", "/_control/messages")).messages as any[],
    requests: async () => (await call("GET", "/_control/requests")).requests as any[],
  };
}

let counter = 0;

/** A mail message of an SMS-able template, for a session that exists nowhere (nothing reports to a ledger). */
export function smsMessage(
  template: SmsTemplate = "invitation",
  overrides: Partial<MailMessage> = {},
): MailMessage & { template: SmsTemplate } {
  const id = `msg_sms${Date.now().toString(36)}${counter++}`;
  const session = {
    name: null,
    sessionTitle: "Yoga",
    startsAt: "2026-06-01T07:00:00.000Z",
    durationMinutes: 60,
    timeZone: "Europe/Paris",
    baseUrl: "https://rollcall.test",
  };
  const data =
    template === "invitation"
      ? {
          ...session,
          link: `https://rollcall.test/r/${id}`,
          subject: null,
          buttonText: null,
          message: null,
          discountCode: null,
          holdSeat: false,
          expiresAt: null,
        }
      : template === "one_time_code"
        ? { ...session, code: "123456", expiresAt: "2026-05-01T10:10:00.000Z" }
        : { ...session, manageToken: "mt_x", cancelledBy: "organizer", hadSeat: true, orgName: "Studio" };
  return { id, template, to: `${id}@example.org`, locale: "en", data, ...overrides } as MailMessage & { template: SmsTemplate };
}

export const textFor = (phone: string, template?: SmsTemplate) => queuedText(smsMessage(template), phone, { name: "Studio" });

/**
 * Runs the SMS consumer on one batch, then on what it queued again, round after round (waits
 * skipped), until nothing is left or `rounds` ran. Says what each round acked and queued again.
 */
export async function drainTexts(texts: QueuedSms[], deps: SmsConsumerDeps & { env: Env }, rounds = 10) {
  const log: { acked: string[]; requeued: { id: string; delaySeconds: number | undefined }[] }[] = [];
  const reports: unknown[] = [];
  const dead: string[] = [];
  let pending = texts;
  for (let round = 0; round < rounds && pending.length; round++) {
    const next: QueuedSms[] = [];
    const batch = createMessageBatch<QueuedSms>(
      "rollcall-sms",
      pending.map((body, i) => ({ id: `r${round}-${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const acked: string[] = [];
    for (const m of batch.messages) Object.defineProperty(m, "ack", { value: () => acked.push(m.body.mail.id) });
    const requeued: { id: string; delaySeconds: number | undefined }[] = [];
    await handleSmsQueue(batch, deps.env, {
      clock: { now: () => new Date(), sleep: async () => {} },
      report: async (r) => {
        reports.push(...r);
        return { unreachable: 0 };
      },
      deadLetters: async (messages) => {
        dead.push(...messages.map((m) => m.id));
      },
      requeue: {
        send: async (body: QueuedSms, options?: QueueSendOptions) => {
          next.push(body);
          requeued.push({ id: body.mail.id, delaySeconds: options?.delaySeconds });
        },
      } as unknown as Pick<Queue<QueuedSms>, "send">,
      ...deps,
    });
    log.push({ acked, requeued });
    pending = next;
  }
  return { rounds: log, reports, dead, left: pending };
}

export async function smsLog(messageId: string) {
  return env.DB.prepare("select * from sms_log where message_id = ?").bind(messageId).first<Record<string, any>>();
}
