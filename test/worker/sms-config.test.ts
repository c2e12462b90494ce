// Twilio's settings fail closed: all or none. Partly set in production, the worker refuses to
// serve and says which setting is missing; none in production keeps texts as emails; none
// elsewhere sends texts to the dev outbox.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { smsSenderFor } from "../../worker/sms/consumer";
import { twilioSettings } from "../../worker/sms/settings";
import { BASE, expectProblem } from "./helpers";

async function healthz(settings: Record<string, string | undefined>) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}/healthz`) as Request<unknown, IncomingRequestCfProperties>,
    { ...env, ...settings } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, body: text.startsWith("{") ? JSON.parse(text) : text, headers: res.headers };
}

const complete = { TWILIO_ACCOUNT_SID: "AC123", TWILIO_AUTH_TOKEN: "token", TWILIO_FROM: "+15005550006" };

describe("Twilio's settings", () => {
  it("are complete with an account, a token and a sender number or messaging service", () => {
    expect(twilioSettings(complete)).toMatchObject({ kind: "complete", config: { accountSid: "AC123", from: "+15005550006" } });
    expect(twilioSettings({ ...complete, TWILIO_FROM: "", TWILIO_MESSAGING_SERVICE_SID: "MG1" })).toMatchObject({
      kind: "complete",
      config: { messagingServiceSid: "MG1" },
    });
    expect(twilioSettings({})).toEqual({ kind: "none" });
    expect(twilioSettings({ TWILIO_AUTH_TOKEN: "token" })).toEqual({
      kind: "partial",
      missing: ["TWILIO_ACCOUNT_SID", "TWILIO_FROM (or TWILIO_MESSAGING_SERVICE_SID)"],
    });
  });

  for (const missing of Object.keys(complete))
    it(`refuse to serve in production while ${missing} alone is missing, naming it`, async () => {
      const res = await healthz({ ...complete, [missing]: "", ROLLCALL_ENV: "production" });
      expectProblem(res, "server_misconfigured");
      expect(res.body.detail).toContain(missing);
    });

  it("serve in production when complete or entirely unset, and in development even when partly set", async () => {
    expect((await healthz({ ...complete, ROLLCALL_ENV: "production" })).status).toBe(200);
    expect((await healthz({ ROLLCALL_ENV: "production" })).status).toBe(200);
    expect((await healthz({ TWILIO_AUTH_TOKEN: "token", ROLLCALL_ENV: "development" })).status).toBe(200);
  });

  it("choose Twilio when complete, the dev outbox when unset locally, nothing in production, and refuse when partly set", () => {
    expect(smsSenderFor({ ...env, ...complete } as Env)?.transport).toBe("twilio");
    expect(smsSenderFor(env)?.transport).toBe("dev");
    expect(smsSenderFor({ ...env, ROLLCALL_ENV: "production" } as Env)).toBeNull();
    expect(() => smsSenderFor({ ...env, TWILIO_FROM: "+15005550006" } as Env)).toThrow(/TWILIO_ACCOUNT_SID/);
  });
});
