// Which channel an invitation's one-time code goes by, for the code route's answer ("We texted a
// code to +33 •• •• •• 12"): the same decision the divert takes when the code's message reaches
// the mail queue (channel.ts), from the invited address's contact in the session's org and the
// STOP list, and only when texts can be sent at all (a sender is configured). Wired into the
// invitations' route by the app (http/context.ts CodeChannel), so neither folder reaches the other.

import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import { emailKey } from "../recipients/address";
import { channelFor } from "./channel";
import { smsSenderFor } from "./consumer";
import { optedOut } from "./log";

/** "+33 •• •• •• 12": the country code and the last two digits, never the number's length. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const digits = e164.replace(/\D/g, "");
  return `+${parsed?.countryCallingCode ?? digits.slice(0, 2)} •• •• •• ${digits.slice(-2)}`;
}

/** Texts can go: Twilio is set, or the dev outbox stands in (never in production without Twilio). */
export function textsCanGo(env: Env): boolean {
  try {
    return smsSenderFor(env) !== null;
  } catch {
    return false; // settings half set: the mail goes on as email (worker/index.ts)
  }
}

/** SMS and the masked number when the code will be texted; null when it goes by email. */
export async function smsCodeChannel(env: Env, sessionId: string, address: string): Promise<{ channel: "sms"; sentTo: string } | null> {
  if (!textsCanGo(env)) return null;
  const row = await env.DB.prepare(
    `select c.channel, c.phone from contacts c join sessions s on s.org_id = c.org_id
     where s.id = ?1 and c.email_key = ?2 and c.status = 'active' and c.erased_at is null`,
  )
    .bind(sessionId, emailKey(address))
    .first<{ channel: "email" | "sms"; phone: string | null }>();
  if (!row) return null;
  const stopped = row.phone ? await optedOut(env.DB, [row.phone]) : new Set<string>();
  const choice = channelFor("one_time_code", { channel: row.channel, phone: row.phone, optedOut: !!row.phone && stopped.has(row.phone) });
  return choice.channel === "sms" ? { channel: "sms", sentTo: maskPhone(choice.phone) } : null;
}
