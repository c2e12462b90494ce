// Mail someone waits for with a page open takes a queue of its own (worker/email/queues.ts), so a
// sign-in link or a code never waits behind a launch's confirmations: from the admin's sign-in,
// from a session's ledger, and when the consumer tries it again. A text standing for one does
// too (worker/sms/message.ts), so a code never waits behind a group's invitation texts.
import { createMessageBatch, env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MailMessage, MailTemplate, QueuedMail } from "../../worker/email/message";
import { mailQueues, URGENT_TEMPLATES } from "../../worker/email/queues";
import worker from "../../worker/index";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { type QueuedSms, smsQueues } from "../../worker/sms/message";
import { adminOrg, browse } from "./admin-helpers";
import { runQueue, standinTenant } from "./email-helpers";
import { api, BASE, newOrg, newSession, register } from "./helpers";
import { ledgerStub } from "./invitation-helpers";
import { textFor, twilioAccount } from "./sms-helpers";

afterEach(() => vi.restoreAllMocks());

/** Two stand-in queues, and the templates each was handed (a bundle's in order). */
function twoQueues() {
  const got = { bulk: [] as MailTemplate[][], urgent: [] as MailTemplate[][] };
  const templates = (body: QueuedMail) => ("messages" in body ? body.messages : [body]).map((m) => m.template);
  const queue = (lane: keyof typeof got) => ({
    send: async (body: QueuedMail) => void got[lane].push(templates(body)),
    sendBatch: async (requests: Iterable<MessageSendRequest<QueuedMail>>) => {
      for (const r of requests) got[lane].push(templates(r.body));
    },
  });
  const queues = mailQueues({ MAIL_QUEUE: queue("bulk"), URGENT_MAIL_QUEUE: queue("urgent") } as unknown as Env);
  return { queues, got };
}

const email = <T extends MailTemplate>(template: T, to = "ada@example.org") =>
  ({ id: `msg_q${crypto.randomUUID().slice(0, 12)}`, template, to, locale: "en", data: {} }) as unknown as MailMessage<T>;

describe("the urgent mail queue", () => {
  it("takes sign-in links, codes and the links a person asks for, and a bundle carrying one; the rest goes to the mail queue", async () => {
    const { queues, got } = twoQueues();
    await queues.send(email("sign_in"));
    await queues.send(email("page_link"));
    await queues.send(email("invitation"));
    await queues.send({ messages: [email("registration_confirmed"), email("manage_link")] });
    await queues.sendBatch([{ body: { messages: [email("waitlisted")] } }, { body: { messages: [email("one_time_code")] } }]);
    await queues.sendBatch([{ body: { messages: [email("confirm_registration")] } }]);
    expect(got.urgent).toEqual([
      ["sign_in"],
      ["page_link"],
      ["registration_confirmed", "manage_link"],
      ["one_time_code"],
      ["confirm_registration"],
    ]);
    expect(got.bulk).toEqual([["invitation"], ["waitlisted"]]);
    expect([...URGENT_TEMPLATES].sort()).toEqual(["confirm_registration", "manage_link", "one_time_code", "page_link", "sign_in"]);
  });

  it("carries a member's sign-in link", async () => {
    const { ownerEmail: owner } = await adminOrg("Forest Camp");
    const urgent: MailMessage[] = [];
    const bulk: MailMessage[] = [];
    vi.spyOn(env.URGENT_MAIL_QUEUE, "send").mockImplementation((async (m: MailMessage) => void urgent.push(m)) as never);
    vi.spyOn(env.MAIL_QUEUE, "send").mockImplementation((async (m: MailMessage) => void bulk.push(m)) as never);
    expect((await browse("POST", "/admin/sign-in", { form: { email: owner } })).status).toBe(200);
    await vi.waitFor(() => expect(urgent.map((m) => [m.template, m.to])).toEqual([["sign_in", owner]]));
    expect(bulk).toEqual([]);
  });

  it("carries a session's confirmation codes from its ledger, in bundles of their own, and its other mail does not ride along", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { confirmByEmail: true, maxParticipants: 10 });
    const { queues, got } = twoQueues();
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.mailQueue = queues;
    });
    // A public registration (its code), and two people the provider adds (their confirmations), drained together.
    expect((await register(s.id, { name: "Ada", email: "ada@example.org" })).status).toBe(201);
    for (const who of ["bo", "cy"]) {
      const added = await api("POST", `/v1/sessions/${s.id}/registrations`, { key, body: { name: who, email: `${who}@example.org` } });
      expect(added.status).toBe(201);
    }
    await ledgerStub(s.id).drain();
    expect(got.urgent.flat()).toEqual(["confirm_registration"]);
    expect(got.bulk.flat().sort()).toEqual(["registration_confirmed", "registration_confirmed"]);
  });

  it("keeps an email someone waits for on the urgent queue when the consumer tries it again", async () => {
    const standin = standinTenant();
    await standin.fail({ status: 503, times: 1 });
    const link = {
      ...email("sign_in", "waiting@example.org"),
      data: { link: `${BASE}/admin/link/x`, expiresAt: "2026-07-01T07:15:00.000Z", orgName: "Forest Camp" },
    };
    const run = await runQueue("rollcall-mail-urgent", [{ message: link }], standin.env);
    expect(run.requeuedUrgent.map((r) => r.bundle.messages.map((m) => m.id))).toEqual([[link.id]]);
    expect(run.requeued).toEqual([]);
  });

  it("takes a text standing for a code, and the consumer sends it and keeps it urgent when it tries it again", async () => {
    const got = { bulk: [] as string[], urgent: [] as string[] };
    const queue = (lane: keyof typeof got) => ({
      send: async (body: QueuedSms) => void got[lane].push(body.mail.template),
      sendBatch: async (requests: Iterable<MessageSendRequest<QueuedSms>>) => {
        for (const r of requests) got[lane].push(r.body.mail.template);
      },
    });
    const texts = smsQueues({ SMS_QUEUE: queue("bulk"), URGENT_SMS_QUEUE: queue("urgent") } as unknown as Env);
    const code = textFor("+33612345678", "one_time_code");
    const invitation = textFor("+33612345679", "invitation");
    await texts.sendBatch([{ body: invitation }, { body: code }]);
    expect(got).toEqual({ urgent: ["one_time_code"], bulk: ["invitation"] });

    // The worker's queue handler takes the urgent queue's batches as texts; one Twilio could not
    // take goes back on the urgent queue, and is sent from there.
    const account = twilioAccount();
    await account.fail({ status: 503, times: 1 });
    const requeued: QueuedSms[] = [];
    const testEnv = {
      ...account.env,
      SMS_QUEUE: queue("bulk"),
      URGENT_SMS_QUEUE: { send: async (body: QueuedSms) => void requeued.push(body), sendBatch: async () => {} },
    } as unknown as Env;
    const batch = (body: QueuedSms) =>
      createMessageBatch<QueuedSms>("rollcall-sms-urgent", [{ id: "u1", timestamp: new Date(), attempts: 1, body }]);
    await worker.queue(batch(code), testEnv);
    expect(requeued.map((t) => t.mail.id)).toEqual([code.mail.id]);
    await worker.queue(batch(requeued[0]!), testEnv);
    expect((await account.messages()).map((m) => m.to)).toEqual(["+33612345678"]);
    expect(got.bulk).toEqual(["invitation"]);
  });
});
