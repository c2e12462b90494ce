// POST /v1/webhooks/twilio (and 0.1.0's /status and /inbound): Twilio's signature (valid, forged,
// stale), the delivery status a callback leaves on the text and its invitation, and STOP / ARRET.
import { createMessageBatch, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { handleSmsQueue } from "../../worker/sms/consumer";
import type { QueuedSms } from "../../worker/sms/message";
import { optOutKey } from "../../worker/sms/opt-outs";
import { twilioSignature, verifyTwilioSignature } from "../../worker/sms/signature";
import { isIncomingText, keywordOf } from "../../worker/sms/webhooks";
import { twilioSignature as standinSignature } from "../support/twilio-standin.mjs";
import { runQueue } from "./email-helpers";
import { api, BASE, newOrg, newSession } from "./helpers";
import { captureMail, invited, ledgerStub, listInvitations, mailSoFar } from "./invitation-helpers";
import { AUTH_TOKEN } from "./sms-helpers";

const bindings = { TWILIO_AUTH_TOKEN: AUTH_TOKEN } as Partial<Env>;

async function signedPost(
  path: string,
  params: Record<string, string>,
  { token = AUTH_TOKEN, signedUrl }: { token?: string; signedUrl?: string } = {},
) {
  const url = `${BASE}${path}`;
  const signature = await twilioSignature(token, signedUrl ?? url, Object.entries(params));
  return api("POST", path, {
    raw: new URLSearchParams(params).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
    bindings,
  });
}

describe("Twilio's signature", () => {
  it("matches Twilio's documented example", async () => {
    // https://www.twilio.com/docs/usage/security#validating-requests
    const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const params: [string, string][] = [
      ["CallSid", "CA1234567890ABCDE"],
      ["Caller", "+12349013030"],
      ["Digits", "1234"],
      ["From", "+12349013030"],
      ["To", "+18005551212"],
    ];
    expect(await twilioSignature("12345", url, params)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    expect(await verifyTwilioSignature("12345", url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).toBe(true);
    expect(await verifyTwilioSignature("12345", url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ")).toBe(false);
  });

  it("is the stand-in's too", async () => {
    const params = { MessageSid: "SM1", MessageStatus: "sent" };
    expect(await twilioSignature("tok", "https://x.test/a?m=1", Object.entries(params))).toBe(
      standinSignature("tok", "https://x.test/a?m=1", params),
    );
  });
});

/** A text of a real invitation, sent through the dev outbox: its message id and the session. */
async function sentText(phone: string) {
  const { key } = await newOrg("Studio");
  const s = await newSession(key, { maxParticipants: 10 });
  await api("POST", "/v1/contacts", { key, body: { email: "sam@example.org", phone, channel: "sms" } });
  const captured = await captureMail(s.id);
  await invited(key, s.id, { recipients: "sam@example.org", send: "now" });
  await ledgerStub(s.id).drain();
  const mail = await mailSoFar(s.id, captured);
  const texts: QueuedSms[] = [];
  const smsQueue = { sendBatch: async (ms: Iterable<MessageSendRequest<QueuedSms>>) => void texts.push(...[...ms].map((m) => m.body)) };
  await runQueue("rollcall-mail", [{ message: { messages: mail } }], {
    ...env,
    SMS_QUEUE: smsQueue as unknown as Queue,
    URGENT_SMS_QUEUE: smsQueue as unknown as Queue,
  } as Env);
  expect(texts).toHaveLength(1);
  await handleSmsQueue(createMessageBatch("rollcall-sms", [{ id: "t", timestamp: new Date(), attempts: 1, body: texts[0]! }]), env);
  const delivery = async () => (await listInvitations(key, s.id))[0].delivery;
  expect(await delivery()).toBe("sent");
  return { messageId: texts[0]!.mail.id, delivery, key };
}

describe("POST /v1/webhooks/twilio, the one URL for status callbacks and incoming texts", () => {
  it("tells a status callback from an incoming text by the status Twilio gives", () => {
    const params = (fields: Record<string, string>) => new URLSearchParams(fields);
    expect(isIncomingText(params({ MessageSid: "SM1", SmsStatus: "sent", MessageStatus: "sent" }))).toBe(false);
    expect(isIncomingText(params({ MessageSid: "SM1", MessageStatus: "undelivered", ErrorCode: "30003" }))).toBe(false);
    expect(isIncomingText(params({ MessageSid: "SM2", SmsStatus: "received", From: "+33612340020", Body: "STOP" }))).toBe(true);
    expect(isIncomingText(params({ From: "+33612340020", Body: "STOP" }))).toBe(true);
  });

  it("is the status callback each text names, and records its delivery", async () => {
    const { messageId, delivery } = await sentText("+33612340021");
    const path = `/v1/webhooks/twilio?m=${encodeURIComponent(messageId)}`;
    const res = await signedPost(path, { MessageSid: "SMd1", SmsStatus: "delivered", MessageStatus: "delivered", To: "+33612340021" });
    expect(res).toMatchObject({ status: 200, body: { result: "applied", status: "delivered" } });
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await delivery()).toBe("delivered");
  });

  it("takes a STOP sent to the number, as Twilio posts an incoming text, and refuses a forged one", async () => {
    const phone = "+33612340022";
    const { key } = await newOrg("Studio");
    const made = await api("POST", "/v1/contacts", { key, body: { email: "sam@example.org", phone, channel: "sms" } });
    const incoming = {
      ToCountry: "US",
      SmsMessageSid: "SMe1",
      NumMedia: "0",
      SmsSid: "SMe1",
      SmsStatus: "received",
      Body: "Stop",
      To: "+15005550006",
      NumSegments: "1",
      MessageSid: "SMe1",
      AccountSid: "ACtest",
      From: phone,
      ApiVersion: "2010-04-01",
    };
    const forged = await signedPost("/v1/webhooks/twilio", incoming, { token: "forged" });
    expect(forged.status).toBe(401);
    expect((await api("GET", `/v1/contacts/${made.body.id}`, { key })).body.channel).toBe("sms");
    const res = await signedPost("/v1/webhooks/twilio", incoming);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/xml");
    expect(res.body).toContain("<Response></Response>");
    expect((await api("GET", `/v1/contacts/${made.body.id}`, { key })).body.channel).toBe("email");
  });
});

const statusPath = (messageId: string) => `/v1/webhooks/twilio/status?m=${encodeURIComponent(messageId)}`;
const smsRow = (messageId: string) =>
  env.DB.prepare("select * from sms_log where message_id = ?").bind(messageId).first<Record<string, any>>();

describe("POST /v1/webhooks/twilio/status", () => {
  it("records a validly signed status on the text and its invitation: undelivered shows as bounced", async () => {
    const { messageId, delivery } = await sentText("+33612340001");
    const delivered = await signedPost(statusPath(messageId), { MessageSid: "SMa1", MessageStatus: "delivered" });
    expect(delivered).toMatchObject({ status: 200, body: { result: "applied", status: "delivered" } });
    expect(await delivery()).toBe("delivered");
    const undelivered = await signedPost(statusPath(messageId), { MessageSid: "SMa1", MessageStatus: "undelivered", ErrorCode: "30003" });
    expect(undelivered.body).toMatchObject({ result: "applied", status: "bounced" });
    expect(await delivery()).toBe("bounced");
    expect(await smsRow(messageId)).toMatchObject({ status: "bounced", error: "undelivered (30003)" });
  });

  it("refuses a forged signature (another token, altered parameters, none) and changes nothing", async () => {
    const { messageId, delivery } = await sentText("+33612340002");
    const forged = await signedPost(statusPath(messageId), { MessageSid: "SMb1", MessageStatus: "failed" }, { token: "not-the-token" });
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe("invalid_signature");
    const url = `${BASE}${statusPath(messageId)}`;
    const signature = await twilioSignature(AUTH_TOKEN, url, Object.entries({ MessageSid: "SMb1", MessageStatus: "delivered" }));
    const altered = await api("POST", statusPath(messageId), {
      raw: "MessageSid=SMb1&MessageStatus=failed",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
      bindings,
    });
    expect(altered.status).toBe(401);
    const unsigned = await api("POST", statusPath(messageId), {
      raw: "MessageSid=SMb1&MessageStatus=failed",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      bindings,
    });
    expect(unsigned.status).toBe(401);
    expect(await delivery()).toBe("sent");
  });

  it("refuses a stale signature (one made for another message's URL) and lets a replayed, older status move nothing back", async () => {
    const { messageId, delivery } = await sentText("+33612340003");
    const replayedElsewhere = await signedPost(
      statusPath(messageId),
      { MessageSid: "SMc1", MessageStatus: "failed" },
      { signedUrl: `${BASE}${statusPath("msg_other")}` },
    );
    expect(replayedElsewhere.status).toBe(401);
    await signedPost(statusPath(messageId), { MessageSid: "SMc1", MessageStatus: "delivered" });
    const late = await signedPost(statusPath(messageId), { MessageSid: "SMc1", MessageStatus: "sent" });
    expect(late.body).toMatchObject({ result: "applied", status: "delivered" });
    expect(await delivery()).toBe("delivered");
  });

  it("answers 503 while no auth token is configured, so Twilio tries again later", async () => {
    const res = await api("POST", statusPath("msg_x"), {
      raw: "MessageStatus=sent",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(503);
  });
});

describe("POST /v1/webhooks/twilio/inbound", () => {
  it("reads STOP, ARRET and ARRÊT in any case as a stop, START as its end", () => {
    for (const body of ["STOP", " stop ", "Arret", "ARRÊT", "arrêt svp", "STOPALL"])
      expect(["STOP", "ARRET", "STOPALL"]).toContain(keywordOf(body));
    expect(keywordOf("Start")).toBe("START");
  });

  for (const word of ["STOP", "Arrêt"])
    it(`${word}: sets the contact back to email and stops every later text to the number (kept as a hash only), even once SMS is chosen again, until START`, async () => {
      const phone = word === "STOP" ? "+33612340010" : "+33612340011";
      const { key } = await newOrg("Studio");
      const made = await api("POST", "/v1/contacts", { key, body: { email: "sam@example.org", phone, channel: "sms" } });
      const res = await signedPost("/v1/webhooks/twilio/inbound", { From: phone, To: "+15005550006", Body: word, MessageSid: "SMin1" });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/xml");
      expect(res.body).toContain("<Response></Response>");
      const contact = await api("GET", `/v1/contacts/${made.body.id}`, { key });
      expect(contact.body.channel).toBe("email");
      // The list holds the number's hash, never the number.
      const stored = await env.DB.prepare("select * from sms_opt_outs where phone_hash = ?")
        .bind(await optOutKey(phone))
        .first();
      expect(stored).not.toBeNull();
      expect(JSON.stringify(stored)).not.toContain(phone.slice(1));

      // A later invitation: by email, not by SMS.
      const roundOf = async () => {
        const s = await newSession(key, { maxParticipants: 10 });
        const captured = await captureMail(s.id);
        await invited(key, s.id, { recipients: "sam@example.org", send: "now" });
        await ledgerStub(s.id).drain();
        const texts: unknown[] = [];
        const smsQueue = { sendBatch: async (ms: Iterable<unknown>) => void texts.push(...ms) };
        await runQueue("rollcall-mail", [{ message: { messages: await mailSoFar(s.id, captured) } }], {
          ...env,
          SMS_QUEUE: smsQueue as unknown as Queue,
          URGENT_SMS_QUEUE: smsQueue as unknown as Queue,
        } as Env);
        const emailed = await env.DB.prepare(
          "select count(*) as n from dev_mail where message_id in (select message_id from mail_log where session_id = ?)",
        )
          .bind(s.id)
          .first<{ n: number }>();
        return { texts: texts.length, emails: emailed?.n };
      };
      expect(await roundOf()).toEqual({ texts: 0, emails: 1 });

      // The provider chooses SMS for them again: the opt-out still wins, and the roster says so.
      expect((await api("PATCH", `/v1/contacts/${made.body.id}`, { key, body: { channel: "sms" } })).status).toBe(200);
      expect(await roundOf()).toEqual({ texts: 0, emails: 1 });

      // START from the number: texts again.
      const start = await signedPost("/v1/webhooks/twilio/inbound", {
        From: phone,
        To: "+15005550006",
        Body: "Start",
        MessageSid: "SMin2",
      });
      expect(start.status).toBe(200);
      expect(await roundOf()).toEqual({ texts: 1, emails: 0 });
    });

  it("refuses an inbound STOP with a forged signature and changes nothing", async () => {
    const phone = "+33612340012";
    const { key } = await newOrg("Studio");
    const made = await api("POST", "/v1/contacts", { key, body: { email: "sam@example.org", phone, channel: "sms" } });
    const res = await signedPost("/v1/webhooks/twilio/inbound", { From: phone, Body: "STOP" }, { token: "forged" });
    expect(res.status).toBe(401);
    expect((await api("GET", `/v1/contacts/${made.body.id}`, { key })).body.channel).toBe("sms");
    expect(
      await env.DB.prepare("select count(*) as n from sms_opt_outs where phone_hash = ?")
        .bind(await optOutKey(phone))
        .first("n"),
    ).toBe(0);
  });
});
