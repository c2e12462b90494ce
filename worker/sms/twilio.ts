// Texts through Twilio's REST API (Messages), called with fetch: an account SID and auth token,
// a sender (a number in TWILIO_FROM, or a messaging service), and a base URL a local server
// speaking the same API can replace (test/support/twilio-standin.mjs).
//
// Twilio takes no idempotency key, so `find` lists the recipient's recent messages and recognises
// ours by its body: the consumer asks before trying again a send whose answer it never got.

import type { SendFailure } from "../email/mailer";
import { retryAfterSeconds } from "../email/resend-mailer";
import type { SmsSender } from "./sender";

export type TwilioConfig = {
  accountSid: string;
  authToken: string;
  /** A sender number (E.164) or alphanumeric id; or instead */
  from?: string;
  /** a messaging service (MG…), which picks the number itself. */
  messagingServiceSid?: string;
  baseUrl?: string;
};

export const TWILIO_API = "https://api.twilio.com";
/** How far back `find` looks past the recorded intent, for clocks that disagree a little. */
const CLOCK_SKEW_MS = 5 * 60_000;

type TwilioMessage = { sid: string; to: string; body: string; date_created: string | null };
type TwilioError = { code?: number; message?: string; status?: number };

export function twilioSender(config: TwilioConfig): SmsSender {
  const base = `${(config.baseUrl || TWILIO_API).replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}`;
  const authorization = `Basic ${btoa(`${config.accountSid}:${config.authToken}`)}`;

  return {
    transport: "twilio",
    async send(sms) {
      const form = new URLSearchParams({ To: sms.to, Body: sms.body });
      if (config.messagingServiceSid) form.set("MessagingServiceSid", config.messagingServiceSid);
      else form.set("From", config.from ?? "");
      if (sms.statusCallback) form.set("StatusCallback", sms.statusCallback);
      let response: Response;
      try {
        response = await fetch(`${base}/Messages.json`, {
          method: "POST",
          headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: form,
        });
      } catch (error) {
        return { ok: false, failure: { kind: "unavailable", status: null, detail: `network: ${String(error)}` } };
      }
      const body = (await response.json().catch(() => ({}))) as Partial<TwilioMessage> & TwilioError;
      if (response.ok && body.sid) return { ok: true, sid: body.sid };
      return { ok: false, failure: classify(response.status, body, response.headers.get("retry-after")) };
    },
    async find(sms, since) {
      const after = Date.parse(since) - CLOCK_SKEW_MS;
      const query = new URLSearchParams({ To: sms.to, PageSize: "50" });
      const response = await fetch(`${base}/Messages.json?${query}`, { headers: { authorization, accept: "application/json" } });
      if (!response.ok) throw new Error(`Twilio answered ${response.status} to the message lookup`);
      const { messages = [] } = (await response.json()) as { messages?: TwilioMessage[] };
      const found = messages.find(
        (m) => m.to === sms.to && m.body === sms.body && (m.date_created === null || Date.parse(m.date_created) >= after),
      );
      return found?.sid ?? null;
    },
  };
}

/**
 * What a refused call means for the text. 429 (Twilio's 20429, too many requests) waits; 5xx and
 * our own configuration (401/403 credentials, 404 account, a sender Twilio rejects: 21212, 21606,
 * 21659) are retried like an outage so they end in the dead letters; any other 4xx is about this
 * text (an invalid or unreachable number, 21211, 21614) and will not get better.
 */
export function classify(status: number, error: TwilioError, retryAfter: string | null): SendFailure {
  const detail = `${status} ${error.code ?? ""} ${error.message ?? ""}`.replace(/\s+/g, " ").trim();
  if (status === 429 || error.code === 20429)
    return { kind: "rate_limited", retryAfterSeconds: retryAfterSeconds(retryAfter ?? undefined), detail };
  if (status >= 500 || status === 401 || status === 403 || status === 404 || [21212, 21606, 21659].includes(error.code ?? 0))
    return { kind: "unavailable", status, detail };
  if (status >= 400) return { kind: "refused", status, detail };
  return { kind: "unavailable", status, detail: `unexpected answer: ${detail}` };
}
