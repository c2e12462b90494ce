// POST /v1/webhooks/resend: signatures over the raw body, stale and replayed events, events out
// of order, and the delivery status each one leaves on the invitation.
import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { handleWebhook } from "../../worker/email/webhooks";
import { invitationMail, mailLog, runQueue, standinTenant } from "./email-helpers";
import { api } from "./helpers";

const SECRET = env.RESEND_WEBHOOK_SECRET!;

type Signed = { body: string; headers: Record<string, string> };

function sign(
  event: unknown,
  { secret = SECRET, id = `msg_${crypto.randomUUID()}`, at = new Date() }: { secret?: string; id?: string; at?: Date } = {},
): Signed {
  const body = JSON.stringify(event);
  const signature = new Webhook(secret).sign(id, at, body);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": signature,
    },
  };
}

const post = (signed: Signed) => api("POST", "/v1/webhooks/resend", { raw: signed.body, headers: signed.headers });

const event = (type: string, emailId: string, createdAt = new Date().toISOString(), tags?: Record<string, string>) => ({
  type,
  created_at: createdAt,
  data: {
    email_id: emailId,
    created_at: createdAt,
    from: "Rollcall <r@rollcall.test>",
    to: ["guest@example.org"],
    subject: "You're invited",
    ...(tags ? { tags } : {}),
  },
});

/** An invitation that went out through the stand-in: its provider id and how to read its status. */
async function sentInvitation(address = "guest@example.org") {
  const standin = standinTenant();
  const { mail, delivery } = await invitationMail(1, [address]);
  await runQueue("rollcall-mail", [{ message: mail[0]! }], standin.env);
  const row = (await mailLog([mail[0]!.id])).get(mail[0]!.id)!;
  return { message: mail[0]!, providerId: row.provider_id as string, status: async () => (await delivery()).get(address) };
}

describe("POST /v1/webhooks/resend", () => {
  it("records a delivery on the invitation", async () => {
    const sent = await sentInvitation();
    expect(await sent.status()).toBe("sent");
    const res = await post(sign(event("email.delivered", sent.providerId)));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: "applied", status: "delivered" });
    expect(await sent.status()).toBe("delivered");
    expect((await mailLog([sent.message.id])).get(sent.message.id)).toMatchObject({ status: "delivered" });
  });

  it.each([
    ["email.delivery_delayed", "delayed"],
    ["email.bounced", "bounced"],
    ["email.complained", "complained"],
    ["email.failed", "failed"],
  ])("maps %s to %s", async (type, status) => {
    const sent = await sentInvitation();
    expect((await post(sign(event(type, sent.providerId)))).body).toEqual({ result: "applied", status });
    expect(await sent.status()).toBe(status);
  });

  it("refuses a signature made with another secret", async () => {
    const sent = await sentInvitation();
    const res = await post(sign(event("email.bounced", sent.providerId), { secret: "whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==" }));
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ code: "invalid_signature", status: 401 });
    expect(await sent.status()).toBe("sent");
  });

  it("refuses a body changed after signing", async () => {
    const sent = await sentInvitation();
    const signed = sign(event("email.delivered", sent.providerId));
    const res = await post({ ...signed, body: signed.body.replace("email.delivered", "email.bounced") });
    expect(res.status).toBe(401);
    expect(await sent.status()).toBe("sent");
  });

  it("refuses a timestamp older than 5 minutes, even correctly signed", async () => {
    const sent = await sentInvitation();
    const res = await post(sign(event("email.bounced", sent.providerId), { at: new Date(Date.now() - 6 * 60_000) }));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: "invalid_signature", detail: expect.stringContaining("5-minute") });
  });

  it("refuses a request without the signature headers", async () => {
    const res = await api("POST", "/v1/webhooks/resend", { body: event("email.delivered", "x") });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("invalid_signature");
  });

  it("ignores a replayed event id", async () => {
    const sent = await sentInvitation();
    const delayed = sign(event("email.delivery_delayed", sent.providerId));
    expect((await post(delayed)).body.result).toBe("applied");
    expect((await post(delayed)).body).toEqual({ result: "replayed" });
    // A new event id is processed as usual.
    expect((await post(sign(event("email.delivered", sent.providerId)))).body.result).toBe("applied");
  });

  it("keeps a bounce when the delivery report arrives after it", async () => {
    const sent = await sentInvitation();
    await post(sign(event("email.bounced", sent.providerId, "2026-05-01T10:00:05Z")));
    await post(sign(event("email.delivered", sent.providerId, "2026-05-01T10:00:02Z")));
    expect(await sent.status()).toBe("bounced");
    expect((await mailLog([sent.message.id])).get(sent.message.id)).toMatchObject({ status: "bounced" });
  });

  it("does not move a delivery back to sent or delayed", async () => {
    const sent = await sentInvitation();
    await post(sign(event("email.delivered", sent.providerId)));
    await post(sign(event("email.delivery_delayed", sent.providerId)));
    await post(sign(event("email.sent", sent.providerId)));
    expect(await sent.status()).toBe("delivered");
  });

  it("finds the invitation from the email's tags when the webhook outruns the mail log", async () => {
    const { mail, delivery } = await invitationMail(1, ["early@example.org"]);
    const m = mail[0]!;
    const tags = { message_id: m.id, invitation_id: m.invitationId!, session_id: m.sessionId!, template: "invitation" };
    const res = await post(sign(event("email.delivered", "re_not_logged_yet", undefined, tags)));
    expect(res.body).toEqual({ result: "applied", status: "delivered" });
    expect((await delivery()).get("early@example.org")).toBe("delivered");
    // The consumer's own record arrives later and does not undo it.
    const standin = standinTenant();
    await runQueue("rollcall-mail", [{ message: m }], standin.env);
    expect((await mailLog([m.id])).get(m.id)).toMatchObject({ status: "delivered" });
  });

  it("answers 200 to events that say nothing about delivery, and to unknown emails", async () => {
    expect((await post(sign(event("email.opened", "re_whatever")))).body).toEqual({ result: "ignored" });
    expect((await post(sign({ type: "contact.created", created_at: new Date().toISOString(), data: { id: "c1" } }))).body).toEqual({
      result: "ignored",
    });
    expect((await post(sign(event("email.delivered", "re_never_seen")))).body).toEqual({ result: "unknown_email" });
  });

  it("answers 500 and forgets the event id when the ledger cannot be reached, so Resend retries", async () => {
    const sent = await sentInvitation();
    const signed = sign(event("email.bounced", sent.providerId));
    const headers = {
      id: signed.headers["svix-id"]!,
      timestamp: signed.headers["svix-timestamp"]!,
      signature: signed.headers["svix-signature"]!,
    };
    await expect(handleWebhook(env, signed.body, headers, async () => ({ unreachable: 1 }))).rejects.toThrow(/could not be reached/);
    // The same delivery, retried by Resend, is processed.
    expect((await post(signed)).body).toEqual({ result: "applied", status: "bounced" });
    expect(await sent.status()).toBe("bounced");
  });

  it("asks Resend to come back later while no secret is configured", async () => {
    const signed = sign(event("email.delivered", "x"));
    const outcome = await handleWebhook(
      { ...env, RESEND_WEBHOOK_SECRET: undefined } as Env,
      signed.body,
      { id: "a", timestamp: "1", signature: "v1,x" },
      async () => ({ unreachable: 0 }),
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: "unavailable" } });
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["a line break", "\n"],
  ])("counts a secret that is %s as not configured, as the Stripe and Twilio checks do", async (_label, blank) => {
    const signed = sign(event("email.delivered", "x"));
    const headers = {
      id: signed.headers["svix-id"]!,
      timestamp: signed.headers["svix-timestamp"]!,
      signature: signed.headers["svix-signature"]!,
    };
    const outcome = await handleWebhook({ ...env, RESEND_WEBHOOK_SECRET: blank } as Env, signed.body, headers, async () => ({
      unreachable: 0,
    }));
    expect(outcome).toMatchObject({ ok: false, error: { code: "unavailable" } });
  });

  it("verifies with a secret pasted with spaces or a line break around it", async () => {
    const sent = await sentInvitation();
    const signed = sign(event("email.delivered", sent.providerId));
    const headers = {
      id: signed.headers["svix-id"]!,
      timestamp: signed.headers["svix-timestamp"]!,
      signature: signed.headers["svix-signature"]!,
    };
    const outcome = await handleWebhook({ ...env, RESEND_WEBHOOK_SECRET: ` ${SECRET}\n` } as Env, signed.body, headers, async () => ({
      unreachable: 0,
    }));
    expect(outcome).toMatchObject({ ok: true, value: { result: "applied", status: "delivered" } });
  });
});
