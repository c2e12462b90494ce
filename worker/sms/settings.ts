// Twilio's settings, read from the environment: all of them (an account, its auth token, and a
// sender: TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID), none (texts go to the local outbox, or in
// production stay emails), or some, which is a mistake: in production the worker refuses to serve
// until it is fixed (worker/index.ts), as with a missing secret. Pure.

import type { TwilioConfig } from "./twilio";

type TwilioEnv = Partial<
  Record<"TWILIO_ACCOUNT_SID" | "TWILIO_AUTH_TOKEN" | "TWILIO_FROM" | "TWILIO_MESSAGING_SERVICE_SID" | "TWILIO_BASE_URL", string>
>;

export type TwilioSettings = { kind: "none" } | { kind: "partial"; missing: string[] } | { kind: "complete"; config: TwilioConfig };

export function twilioSettings(env: TwilioEnv): TwilioSettings {
  const value = (name: keyof TwilioEnv) => env[name]?.trim() || undefined;
  const accountSid = value("TWILIO_ACCOUNT_SID");
  const authToken = value("TWILIO_AUTH_TOKEN");
  const from = value("TWILIO_FROM");
  const messagingServiceSid = value("TWILIO_MESSAGING_SERVICE_SID");
  if (!accountSid && !authToken && !from && !messagingServiceSid) return { kind: "none" };
  const missing = [
    ...(accountSid ? [] : ["TWILIO_ACCOUNT_SID"]),
    ...(authToken ? [] : ["TWILIO_AUTH_TOKEN"]),
    ...(from || messagingServiceSid ? [] : ["TWILIO_FROM (or TWILIO_MESSAGING_SERVICE_SID)"]),
  ];
  if (missing.length || !accountSid || !authToken) return { kind: "partial", missing };
  return {
    kind: "complete",
    config: {
      accountSid,
      authToken,
      ...(messagingServiceSid ? { messagingServiceSid } : { from: from! }),
      ...(value("TWILIO_BASE_URL") ? { baseUrl: value("TWILIO_BASE_URL") } : {}),
    },
  };
}

/** In production, incomplete Twilio settings: what an operator reads in the 500 and in the log. Null otherwise. */
export function twilioSettingsFault(env: TwilioEnv & { ROLLCALL_ENV?: string }): { setting: string; detail: string } | null {
  if (env.ROLLCALL_ENV !== "production") return null;
  const settings = twilioSettings(env);
  if (settings.kind !== "partial") return null;
  return {
    setting: settings.missing[0]!,
    detail: `Twilio is partly configured (${settings.missing.join(", ")} not set): the worker refuses to serve until every TWILIO_ setting is set, or none (wrangler secret put …).`,
  };
}
