// Texts end to end: the mail consumer diverts messages for contacts who chose SMS to the SMS
// queue, the SMS consumer sends them (dev outbox beside the emails, or Twilio's API through the
// stand-in) exactly once per person under 429s, 5xx and lost answers, and STOP is honoured.
import { createMessageBatch, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MailMessage } from "../../worker/email/message";
import worker from "../../worker/index";
import type { QueuedSms } from "../../worker/sms/message";
import { optOutKey } from "../../worker/sms/opt-outs";
import { countSegments } from "../../worker/sms/segments";
import { runQueue } from "./email-helpers";
import { api, DEV_BASE, newOrg, newSession } from "./helpers";
import { captureMail, invited, ledgerStub, listInvitations, mailSoFar } from "./invitation-helpers";
import { drainTexts, smsLog, textFor, twilioAccount } from "./sms-helpers";

async function contact(key: string, body: Record<string, unknown>): Promise<string> {
  const res = await api("POST", "/v1/contacts", { key, body });
  if (res.status !== 201) throw new Error(`contact creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A session inviting an SMS contact and an email contact; the mail the ledger decided for them. */
async function invitedPair(phone = "+33612345678") {
  const { key } = await newOrg("Studio Lumière");
  const s = await newSession(key, { maxParticipants: 10 });
  await contact(key, { email: "sam@example.org", phone, channel: "sms", firstName: "Sam" });
  await contact(key, { email: "eve@example.org", firstName: "Eve" });
  const captured = await captureMail(s.id);
  await invited(key, s.id, { recipients: "sam@example.org, eve@example.org", send: "now" });
  await ledgerStub(s.id).drain();
  const mail = (await mailSoFar(s.id, captured)) as MailMessage[];
  return { key, sessionId: s.id, mail };
}

/** Runs the mail queue on these messages with the SMS queue captured: what was texted, what was emailed. */
async function mailRound(mail: MailMessage[]) {
  const texts: QueuedSms[] = [];
  const smsQueue = {
    sendBatch: async (messages: Iterable<MessageSendRequest<QueuedSms>>) => {
      for (const m of messages) texts.push(m.body);
    },
  };
  const result = await runQueue("rollcall-mail", [{ message: { messages: mail } }], {
    ...env,
    SMS_QUEUE: smsQueue as unknown as Queue,
    URGENT_SMS_QUEUE: smsQueue as unknown as Queue,
  } as Env);
  return { texts, result };
}

async function devRows(to: string) {
  return (await env.DB.prepare('select * from dev_mail where lower("to") = lower(?)').bind(to).all<Record<string, any>>()).results;
}

describe("the SMS channel", () => {
  it("texts the invitation of a contact who chose SMS and emails the other, the text kept in the dev outbox beside the emails", async () => {
    const { key, sessionId, mail } = await invitedPair();
    const { texts, result } = await mailRound(mail);
    expect(result.acked).toHaveLength(1);
    expect(texts.map((t) => [t.mail.to, t.to])).toEqual([["sam@example.org", "+33612345678"]]);
    const text = texts[0]!;
    expect(text.body).toContain("Studio Lumière");
    expect(text.body).toContain((text.mail as MailMessage<"invitation">).data.link);
    expect(text.segments).toBe(countSegments(text.body).segments);
    expect(text.statusCallback).toBe(`https://rollcall.test/v1/webhooks/twilio?m=${text.mail.id}`);
    expect(await devRows("sam@example.org")).toEqual([]);
    expect((await devRows("eve@example.org")).map((r) => r.channel)).toEqual(["email"]);

    // The SMS queue, through the worker's own handler: no Twilio settings, so the dev outbox.
    const batch = createMessageBatch<QueuedSms>("rollcall-sms", [{ id: "s1", timestamp: new Date(), attempts: 1, body: text }]);
    await worker.queue(batch, env);
    const [kept] = await devRows("+33612345678");
    expect(kept).toMatchObject({ channel: "sms", text: text.body, segments: text.segments, template: "invitation" });
    expect(await smsLog(text.mail.id)).toMatchObject({ status: "sent", sid: `dev_${text.mail.id}`, transport: "dev" });
    const sam = (await listInvitations(key, sessionId)).find((i) => i.email === "sam@example.org");
    expect(sam.delivery).toBe("sent");

    // /dev/mail lists it with its channel, number and segment count.
    const page = await api("GET", "/dev/mail", { base: DEV_BASE });
    expect(page.body).toContain("+33612345678");
    expect(page.body).toMatch(/SMS · \d segments?/);
    const listed = await api("GET", "/dev/mail.json?to=%2B33612345678", { base: DEV_BASE });
    expect(listed.body.messages[0]).toMatchObject({ channel: "sms", to: "+33612345678", text: text.body, segments: text.segments });
    // Typed into an address bar, the + of the number arrives as a space; the page still finds it.
    const typed = await api("GET", "/dev/mail?to=+33612345678", { base: DEV_BASE });
    expect(typed.body).toContain("<h1>Dev mail to +33612345678</h1>");
    expect(typed.body).toContain("SMS · ");
  });

  it("lets a developer reply STOP from a text's page in the dev outbox, as the phone would, and only from that page", async () => {
    const phone = "+33612345690";
    const { key, mail } = await invitedPair(phone);
    const { texts } = await mailRound(mail);
    await worker.queue(
      createMessageBatch<QueuedSms>("rollcall-sms", [{ id: "s1", timestamp: new Date(), attempts: 1, body: texts[0]! }]),
      env,
    );
    const [kept] = await devRows(phone);
    const view = await api("GET", `/dev/mail/${kept!.id}`, { base: DEV_BASE });
    expect(view.body).toContain(`<label for="reply">Reply from ${phone}</label>`);
    const reply = (headers: Record<string, string>) =>
      api("POST", `/dev/mail/${kept!.id}/reply`, {
        base: DEV_BASE,
        raw: "body=Stop",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      });
    const contactChannel = async () =>
      (await api("GET", "/v1/contacts", { key })).body.contacts.find((x: { phone: string }) => x.phone === phone).channel;

    // A form on another site: refused, nothing changes.
    expect((await reply({ origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await reply({ origin: "https://elsewhere.example" })).status).toBe(403);
    expect(await contactChannel()).toBe("sms");

    // The outbox's own form, as a browser posts it: its pages send no referrer, so its Origin is "null".
    const done = await reply({ origin: "null", "sec-fetch-site": "same-origin" });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`/dev/mail/${kept!.id}?replied=opted_out`);
    expect(await contactChannel()).toBe("email");
    expect(
      await env.DB.prepare("select count(*) as n from sms_opt_outs where phone_hash = ?")
        .bind(await optOutKey(phone))
        .first("n"),
    ).toBe(1);
    const after = await api("GET", `/dev/mail/${kept!.id}?replied=opted_out`, { base: DEV_BASE });
    expect(after.body).toContain(`Replied from ${phone}: a stop.`);
  });

  it("keeps the email of a contact whose number answered STOP, even while the contact still says SMS", async () => {
    const { mail } = await invitedPair("+33612345679");
    await env.DB.prepare("insert into sms_opt_outs (phone_hash, at) values (?, ?) on conflict do nothing")
      .bind(await optOutKey("+33612345679"), new Date().toISOString())
      .run();
    const { texts } = await mailRound(mail);
    expect(texts).toEqual([]);
    expect(await devRows("sam@example.org")).toHaveLength(1);
  });

  it("sends a text decided before its number's STOP by email instead", async () => {
    const text = textFor("+33612345680");
    await env.DB.prepare("insert into sms_opt_outs (phone_hash, at) values (?, ?) on conflict do nothing")
      .bind(await optOutKey("+33612345680"), new Date().toISOString())
      .run();
    const account = twilioAccount();
    const emailed: unknown[] = [];
    const run = await drainTexts([text], {
      env: account.env,
      sender: account.sender,
      mail: { send: async (m: unknown) => void emailed.push(m) } as any,
    });
    expect(run.rounds[0]!.acked).toEqual([text.mail.id]);
    expect(emailed).toEqual([text.mail]);
    expect(await account.messages()).toEqual([]);
  });
});

describe("texts through Twilio's API (the stand-in)", () => {
  it("sends exactly one text per person through injected 429s, 5xx and a dropped connection", async () => {
    const account = twilioAccount();
    await account.config({ rateLimit: 0 });
    const texts = Array.from({ length: 4 }, (_, i) => textFor(`+3361234570${i}`));
    await account.fail({ status: 429, retryAfter: 2 });
    await account.fail({ status: 503 });
    await account.fail({ status: 500 });
    await account.fail({ status: "network" });
    const run = await drainTexts(texts, { env: account.env, sender: account.sender });
    expect(run.left).toEqual([]);
    const sent = await account.messages();
    expect(sent.map((m) => m.to).sort()).toEqual(texts.map((t) => t.to).sort());
    // A 429 waited what Retry-After said; the outages backed off (15 s, then doubling).
    expect(run.rounds[0]!.requeued.map((r) => r.delaySeconds)).toEqual([2, 2, 2, 2]);
    expect(run.rounds[1]!.requeued[0]!.delaySeconds).toBe(15);
    for (const t of texts) expect(await smsLog(t.mail.id)).toMatchObject({ status: "sent", transport: "twilio" });
  });

  it("never sends a text twice when Twilio took it but its answer was lost: the retry finds it first", async () => {
    const account = twilioAccount();
    await account.config({ rateLimit: 0 });
    const text = textFor("+33612345710");
    await account.fail({ status: "lost" });
    const run = await drainTexts([text], { env: account.env, sender: account.sender });
    expect(run.left).toEqual([]);
    expect(run.rounds).toHaveLength(2);
    const sent = await account.messages();
    expect(sent).toHaveLength(1);
    const posts = (await account.requests()).filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(await smsLog(text.mail.id)).toMatchObject({ status: "sent", sid: sent[0].sid });
    expect(run.reports).toEqual([]); // a message of no invitation reports nothing
  });

  it("gives up on a number Twilio refuses at once, and keeps going with the others", async () => {
    const account = twilioAccount();
    await account.config({ rateLimit: 0 });
    const bad = { ...textFor("+33612345720"), to: "+1" };
    const good = textFor("+33612345721");
    const run = await drainTexts([bad, good], { env: account.env, sender: account.sender });
    expect(run.left).toEqual([]);
    expect((await account.messages()).map((m) => m.to)).toEqual(["+33612345721"]);
    expect(await smsLog(bad.mail.id)).toMatchObject({ status: "failed", sid: null });
  });

  it("paces its calls within the account's rate", async () => {
    const account = twilioAccount();
    await account.config({ rateLimit: 2 });
    const texts = Array.from({ length: 4 }, (_, i) => textFor(`+3361234573${i}`));
    const started = Date.now();
    const run = await drainTexts(
      texts,
      { env: { ...account.env, TWILIO_MESSAGES_PER_SECOND: "2" }, sender: account.sender, clock: undefined as never },
      1,
    );
    expect(run.left).toEqual([]);
    expect((await account.requests()).filter((r) => r.status === 429)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });
});
