// Twilio's webhooks, both signed with the account's auth token (signature.ts) over the URL they
// were posted to and their form parameters, and both taken at one URL (isIncomingText tells them apart):
// - status callbacks ("?m=<message id>" on the URL we gave): the text's SID is recorded (so a try
//   whose answer was lost is known as sent) and its status applied to the log and to the
//   invitation through nextDeliveryStatus, so a callback that is late or replayed moves nothing
//   backwards; undelivered shows on the roster as a bounce does.
// - inbound texts: STOP (and Twilio's other opt-out words, and ARRET / ARRÊT) records the number's
//   opt-out (as a hash, opt-outs.ts) and sets every contact with that number back to email; START
//   lifts the opt-out. The opt-out wins over a later choice of SMS (channel.ts, `opted_out`, which
//   the roster notes): a provider who sets the contact back to SMS texts nobody until START.

import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { contacts, smsOptOuts } from "../db/schema";
import type { DeliveryStatus } from "../email/delivery";
import type { DeliveryReporter } from "../email/status";
import { fail, type Outcome, ok } from "../errors/problem";
import { applySmsStatus } from "./log";
import { optOutKey } from "./opt-outs";
import { verifyTwilioSignature } from "./signature";

/** Twilio's MessageStatus values that say something about delivery; queued, sending… only bring the SID. */
export const twilioStatus: Record<string, DeliveryStatus> = {
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  undelivered: "bounced",
  failed: "failed",
};

/** Twilio's own opt-out and opt-in words, and the French ARRET (accents and case ignored). */
export const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "ARRET", "ARRETER"]);
export const START_WORDS = new Set(["START", "UNSTOP", "YES"]);

export type TwilioRequest = { url: string; params: URLSearchParams; signature: string | null };

export type StatusOutcome = { result: "applied" | "ignored" | "unknown_message"; status?: DeliveryStatus };
export type InboundOutcome = { result: "opted_out" | "opted_in" | "ignored"; contacts?: number };

async function verified(env: Env, request: TwilioRequest): Promise<Outcome<true>> {
  const token = env.TWILIO_AUTH_TOKEN?.trim();
  if (!token) return fail("unavailable", "TWILIO_AUTH_TOKEN is not configured; Twilio will retry.");
  if (!(await verifyTwilioSignature(token, request.url, request.params, request.signature)))
    return fail("invalid_signature", "The X-Twilio-Signature header does not match this request.");
  return ok(true);
}

export async function handleStatusCallback(
  env: Env,
  request: TwilioRequest,
  report: DeliveryReporter,
  now: Date,
): Promise<Outcome<StatusOutcome>> {
  const check = await verified(env, request);
  if (!check.ok) return check;
  const messageId = new URL(request.url).searchParams.get("m");
  const sid = request.params.get("MessageSid") ?? request.params.get("SmsSid") ?? undefined;
  const reported = request.params.get("MessageStatus") ?? request.params.get("SmsStatus") ?? "";
  if (!messageId) return ok({ result: "ignored" });
  const status = twilioStatus[reported] ?? null;
  const at = now.toISOString();
  const errorCode = request.params.get("ErrorCode");
  const row = await applySmsStatus(env.DB, messageId, {
    status,
    at,
    ...(sid ? { sid } : {}),
    ...(status === "bounced" || status === "failed" ? { error: `${reported}${errorCode ? ` (${errorCode})` : ""}` } : {}),
  });
  if (!row) return ok({ result: "unknown_message" });
  if (!status) return ok({ result: "ignored" });
  if (row.invitationId && row.sessionId) {
    const { unreachable } = await report([{ invitationId: row.invitationId, sessionId: row.sessionId, status: row.status, at }]);
    // Answering 500 makes Twilio try again; applying it twice changes nothing.
    if (unreachable) throw new Error(`the ledger of ${row.sessionId} could not be reached`);
  }
  return ok({ result: "applied", status: row.status });
}

/**
 * Whether a request Twilio posted is a text someone sent to the number rather than a status
 * callback: a callback always says MessageStatus (queued, sent, delivered…), an incoming text's
 * status is "received".
 */
export function isIncomingText(params: URLSearchParams): boolean {
  return (params.get("MessageStatus") ?? params.get("SmsStatus") ?? "received") === "received";
}

/** The keyword an inbound text is: its first word, upper case, accents dropped. */
export function keywordOf(body: string): string {
  return (body.trim().split(/\s+/)[0] ?? "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");
}

export async function handleInbound(env: Env, request: TwilioRequest, now: Date): Promise<Outcome<InboundOutcome>> {
  const check = await verified(env, request);
  if (!check.ok) return check;
  return ok(await applyIncomingText(env.DB, request.params.get("From") ?? "", request.params.get("Body") ?? "", now));
}

/**
 * What a text sent to the number does, once it is known to come from Twilio (or, locally, from
 * the dev outbox's reply form): a stop word stops every later text to `from` and sets its
 * contacts back to email; a start word lifts the stop; anything else changes nothing.
 */
export async function applyIncomingText(database: D1Database, from: string, body: string, now: Date): Promise<InboundOutcome> {
  const word = keywordOf(body);
  const db = drizzle(database);
  if (!from) return { result: "ignored" };
  if (STOP_WORDS.has(word)) {
    const at = now.toISOString();
    const [, moved] = await db.batch([
      db
        .insert(smsOptOuts)
        .values({ phoneHash: await optOutKey(from), at })
        .onConflictDoNothing(),
      db.update(contacts).set({ channel: "email", updatedAt: at }).where(eq(contacts.phone, from)).returning({ id: contacts.id }),
    ]);
    return { result: "opted_out", contacts: moved.length };
  }
  if (START_WORDS.has(word)) {
    await db.delete(smsOptOuts).where(eq(smsOptOuts.phoneHash, await optOutKey(from)));
    return { result: "opted_in" };
  }
  return { result: "ignored" };
}
