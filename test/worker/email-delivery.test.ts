// The mail queue's consumer against a local server speaking Resend's API: batching, idempotency,
// 429 / 5xx / validation failures, the dead-letter queue, and what the invitation learns.
import { describe, expect, it } from "vitest";
import { callInterval, type DeliveryClock, deliver, type Envelope } from "../../worker/email/deliver";
import type { Mailer, OutgoingEmail, SendResult } from "../../worker/email/mailer";
import type { MailBundle, MailMessage, QueuedMail } from "../../worker/email/message";
import { resendMailer } from "../../worker/email/resend-mailer";
import { manualClock } from "../../worker/time/clock";
import { entryId, invitationMail, mailLog, runQueue, standinTenant } from "./email-helpers";
import { roster } from "./helpers";

const session = {
  name: null,
  sessionTitle: "Forest camp",
  startsAt: "2026-07-01T07:00:00.000Z",
  durationMinutes: 120,
  timeZone: "Europe/Paris",
  baseUrl: "https://rollcall.test",
};

let seq = 0;
function waitlisted(to: string): MailMessage<"waitlisted"> {
  return {
    id: `msg_t${++seq}_${crypto.randomUUID().slice(0, 8)}`,
    template: "waitlisted",
    to,
    locale: "en",
    data: { ...session, manageToken: "tok" },
  };
}
function confirmed(to: string): MailMessage<"registration_confirmed"> {
  return {
    id: `msg_c${++seq}_${crypto.randomUUID().slice(0, 8)}`,
    template: "registration_confirmed",
    to,
    locale: "fr",
    data: { ...session, manageToken: "tok" },
  };
}

describe("mail queue consumer with Resend", () => {
  it("sends 200 invitations in exactly 2 batch calls of 100, one recipient each", async () => {
    const standin = standinTenant();
    const { mail, bundles, delivery } = await invitationMail(200);
    // The ledger's drain made two bundles of 100; the queue hands them over in any grouping.
    expect(bundles.map((b) => b.messages.length)).toEqual([100, 100]);
    const first = await runQueue("rollcall-mail", [{ message: bundles[0]! }], standin.env);
    const second = await runQueue("rollcall-mail", [{ message: bundles[1]! }], standin.env);
    expect(first.acked.concat(second.acked)).toHaveLength(2);
    expect(first.retried.concat(second.retried, first.requeued, second.requeued)).toEqual([]);

    const requests = await standin.requests();
    expect(requests.map((r) => [r.path, r.status, r.emails])).toEqual([
      ["/emails/batch", 200, 100],
      ["/emails/batch", 200, 100],
    ]);
    expect(requests[0].idempotencyKey).toMatch(/^rollcall-batch-[0-9a-f]{64}$/);
    expect(requests[0].idempotencyKey).not.toBe(requests[1].idempotencyKey);
    const emails = await standin.emails();
    expect(emails).toHaveLength(200);
    expect(emails.every((e) => e.to.length === 1)).toBe(true);
    expect(new Set(emails.map((e) => e.to[0])).size).toBe(200);
    expect(emails[0].tags).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "invitation_id" }), expect.objectContaining({ name: "message_id" })]),
    );

    const log = await mailLog(mail.map((m) => m.id));
    expect(log.size).toBe(200);
    expect([...log.values()].every((r) => r.status === "sent" && r.transport === "resend" && r.provider_id)).toBe(true);
    expect(new Set((await delivery()).values())).toEqual(new Set(["sent"]));
  });

  it("waits for retry-after on a 429, then delivers once with the same idempotency key", async () => {
    const standin = standinTenant();
    const bundle: MailBundle = { messages: [waitlisted("a@example.org"), waitlisted("b@example.org"), waitlisted("c@example.org")] };
    await standin.fail({ status: 429, retryAfter: 7 });

    const first = await runQueue("rollcall-mail", [{ message: bundle }], standin.env);
    expect(first.acked).toEqual([entryId(bundle)]);
    expect(first.retried).toEqual([]);
    expect(first.requeued).toEqual([{ bundle: { ...bundle, attempts: 1, failures: 0 }, delaySeconds: 7 }]);

    const second = await runQueue("rollcall-mail", [{ message: first.requeued[0]!.bundle }], standin.env);
    expect(second.acked).toEqual([entryId(bundle)]);
    expect(second.requeued).toEqual([]);

    const requests = await standin.requests();
    expect(requests.map((r) => r.status)).toEqual([429, 200]);
    expect(requests[0].idempotencyKey).toBe(requests[1].idempotencyKey);
    expect(await standin.emails()).toHaveLength(3);
  });

  it("never delivers a retried batch twice, even when the first answer was lost", async () => {
    const standin = standinTenant();
    const envelopes: Envelope[] = [waitlisted("a@example.org"), waitlisted("b@example.org")].map((message) => ({
      message,
      attempts: 1,
      bundle: 0,
      queuedAt: new Date("2026-05-01T10:00:00Z"),
    }));
    const mailer = resendMailer({ apiKey: standin.key, baseUrl: standin.url });
    const clock = { now: () => new Date(), sleep: async () => {} };
    // The same messages sent twice (as if the consumer died before acking): the second call is
    // recognised by its Idempotency-Key and answers the same ids without sending anything.
    const one = await deliver(envelopes, mailer, clock, { from: "Rollcall <r@rollcall.test>" });
    await new Promise((r) => setTimeout(r, 1100)); // stay under the stand-in's 2 requests/s
    const two = await deliver(envelopes, mailer, clock, { from: "Rollcall <r@rollcall.test>" });
    expect([...two.values()].map((d) => d.kind === "sent" && d.providerId)).toEqual(
      [...one.values()].map((d) => d.kind === "sent" && d.providerId),
    );
    const requests = await standin.requests();
    expect(requests.map((r) => r.replayed)).toEqual([false, true]);
    expect(await standin.emails()).toHaveLength(2);
  });

  it("skips a message the log already has as sent", async () => {
    const standin = standinTenant();
    const message = waitlisted("once@example.org");
    await runQueue("rollcall-mail", [{ message }], standin.env);
    const again = await runQueue("rollcall-mail", [{ message, attempts: 2 }], standin.env);
    expect(again.acked).toEqual([message.id]);
    expect(await standin.requests()).toHaveLength(1);
  });

  it("backs off exponentially while the provider answers 500", async () => {
    const standin = standinTenant();
    const message = waitlisted("patient@example.org");
    await standin.fail({ status: 500, times: 3 });
    const delays: (number | undefined)[] = [];
    let queued: QueuedMail = message;
    for (let round = 0; round < 3; round++) {
      const run = await runQueue("rollcall-mail", [{ message: queued }], standin.env);
      expect(run.retried).toEqual([]);
      delays.push(run.requeued[0]!.delaySeconds);
      queued = run.requeued[0]!.bundle;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(delays).toEqual([15, 30, 60]);
    expect(queued).toMatchObject({ attempts: 3, failures: 3, failingSince: expect.any(String) });
    const last = await runQueue("rollcall-mail", [{ message: queued }], standin.env);
    expect(last.acked).toEqual([message.id]);
    const requests = await standin.requests();
    expect(requests.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(requests.map((r) => r.idempotencyKey)).size).toBe(1);
    expect((await mailLog([message.id])).get(message.id)).toMatchObject({ status: "sent", attempts: 4 });
  });

  it("treats a network failure like an outage", async () => {
    const standin = standinTenant();
    const message = waitlisted("offline@example.org");
    await standin.fail({ status: "network" });
    const run = await runQueue(
      "rollcall-mail",
      [{ message: { messages: [message], failures: 1, failingSince: new Date().toISOString() } }],
      standin.env,
    );
    expect(run.requeued.map((r) => [r.delaySeconds, r.bundle.failures])).toEqual([[30, 2]]);
    expect((await mailLog([message.id])).get(message.id)).toMatchObject({ status: "queued", error: expect.stringContaining("network") });
  });

  it("splits a refused batch so that every other invitation still goes, and fails the bad one", async () => {
    const standin = standinTenant();
    const addresses = Array.from({ length: 10 }, (_, i) => `camper${i}@example.org`);
    const { mail, bundles, delivery } = await invitationMail(10, addresses);
    await standin.config({ rateLimit: 0 });
    await standin.reject(["camper6@example.org"]);

    const run = await runQueue(
      "rollcall-mail",
      bundles.map((message) => ({ message })),
      standin.env,
    );
    expect(run.retried.concat(run.requeued)).toEqual([]);
    expect(run.acked).toEqual([entryId(bundles[0]!)]); // the refused one is decided too: retrying cannot help
    const emails = await standin.emails();
    expect(emails.map((e) => e.to[0]).sort()).toEqual(addresses.filter((a) => a !== "camper6@example.org").sort());
    const requests = await standin.requests();
    expect(requests.length).toBeLessThanOrEqual(9); // bisection, not one call per message
    expect(requests.filter((r) => r.status === 422).length).toBeGreaterThan(0);

    const bad = mail.find((m) => m.to === "camper6@example.org")!;
    expect((await mailLog([bad.id])).get(bad.id)).toMatchObject({ status: "failed", error: expect.stringContaining("422") });
    const status = await delivery();
    expect(status.get("camper6@example.org")).toBe("failed");
    expect(status.get("camper1@example.org")).toBe("sent");
  });

  it("dead-letters what the queue itself gave up on, and marks the invitation failed", async () => {
    const standin = standinTenant();
    const { key, sessionId, mail, delivery } = await invitationMail(1, ["unlucky@example.org"]);
    const message = mail[0]!;
    const dead = await runQueue("rollcall-mail-dead", [{ message: { messages: [message] } }], standin.env);
    expect(dead.ackedAll).toBe(true);
    expect((await mailLog([message.id])).get(message.id)).toMatchObject({ status: "failed" });
    expect((await delivery()).get("unlucky@example.org")).toBe("failed");
    expect((await roster(key, sessionId)).mail).toEqual({ waiting: 0, failed: 1 }); // kept for a re-drive
  });

  it("paces its calls to RESEND_REQUESTS_PER_SECOND, the account's own rate", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 5 });
    // Six confirmations, each with its calendar file: six requests, 2.5 s apart from first to last at
    // Resend's default 2 a second, 1 s at the 5 this account takes.
    const bundle: MailBundle = { messages: Array.from({ length: 6 }, (_, i) => confirmed(`rate-${i}@example.org`)) };
    const run = await runQueue("rollcall-mail", [{ message: bundle }], { ...standin.env, RESEND_REQUESTS_PER_SECOND: "5" });
    expect(run.acked).toEqual([entryId(bundle)]);
    const requests = await standin.requests();
    expect(requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const span = Date.parse(requests.at(-1).at) - Date.parse(requests[0].at);
    expect(span).toBeGreaterThanOrEqual(950);
    expect(span).toBeLessThan(2400);
  });

  it("sends confirmations with their calendar file one by one, the rest in a batch", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const bundle: MailBundle = {
      messages: [confirmed("x@example.org"), waitlisted("y@example.org"), confirmed("z@example.org"), waitlisted("w@example.org")],
    };
    const run = await runQueue("rollcall-mail", [{ message: bundle }], standin.env);
    expect(run.acked).toEqual([entryId(bundle)]);
    const requests = await standin.requests();
    expect(requests.map((r) => [r.path, r.emails])).toEqual([
      ["/emails/batch", 2],
      ["/emails", 1],
      ["/emails", 1],
    ]);
    const withFile = (await standin.emails()).filter((e) => e.attachments.length === 1);
    expect(withFile.map((e) => e.to[0]).sort()).toEqual(["x@example.org", "z@example.org"]);
    expect(withFile[0].attachments[0]).toMatchObject({ filename: "session.ics", content_type: expect.stringContaining("text/calendar") });
    expect(atob(withFile[0].attachments[0].content)).toContain("BEGIN:VEVENT");
  });
});

/** A mailer that records calls and answers from a script. */
function scriptedMailer(answer: (emails: OutgoingEmail[], call: number) => SendResult) {
  const calls: { kind: "batch" | "single"; emails: OutgoingEmail[]; key: string }[] = [];
  const mailer: Mailer = {
    transport: "resend",
    sendBatch: async (emails, key) => {
      calls.push({ kind: "batch", emails, key });
      return answer(emails, calls.length);
    },
    send: async (email, key) => {
      calls.push({ kind: "single", emails: [email], key });
      return answer([email], calls.length);
    },
  };
  return { mailer, calls };
}

const accept = (emails: OutgoingEmail[]): SendResult => ({ ok: true, providerIds: emails.map((e) => `re_${e.messageId}`) });

function testClock(): DeliveryClock & { slept: number[] } {
  const clock = manualClock("2026-05-01T10:00:00Z");
  const slept: number[] = [];
  return {
    now: clock.now,
    sleep: async (ms) => {
      slept.push(ms);
      clock.advance(ms);
    },
    slept,
  };
}

const envelopes = (n: number, make: (to: string) => MailMessage = waitlisted): Envelope[] =>
  Array.from({ length: n }, (_, i) => ({
    message: make(`p${i}@example.org`),
    attempts: 1,
    bundle: 0,
    queuedAt: new Date("2026-05-01T09:00:00Z"),
  }));

describe("deliver()", () => {
  it("paces its calls to the provider's rate", async () => {
    const { mailer, calls } = scriptedMailer(accept);
    const clock = testClock();
    const decisions = await deliver(envelopes(250), mailer, clock, { from: "r@rollcall.test", minIntervalMs: 500 });
    expect(calls.map((c) => c.emails.length)).toEqual([100, 100, 50]);
    expect(clock.slept).toEqual([500, 500]);
    expect([...decisions.values()].every((d) => d.kind === "sent")).toBe(true);
  });

  it("spaces its calls by the rate a setting gives, or the provider's default", () => {
    expect(callInterval("5", 2)).toBe(200);
    expect(callInterval("0.5", 2)).toBe(2000);
    for (const unset of [undefined, "", "0", "-3", "fast"]) expect(callInterval(unset, 2)).toBe(500);
  });

  it("sends batch members in id order, so a retried batch is the same request", async () => {
    const { mailer, calls } = scriptedMailer(accept);
    const list = envelopes(5);
    await deliver([...list].reverse(), mailer, testClock(), { from: "r@rollcall.test" });
    await deliver(list, mailer, testClock(), { from: "r@rollcall.test" });
    expect(calls[0]!.key).toBe(calls[1]!.key);
    expect(calls[0]!.emails.map((e) => e.messageId)).toEqual(calls[1]!.emails.map((e) => e.messageId));
  });

  it("finds the one refused message among 100 in a few calls", async () => {
    const list = envelopes(100);
    const bad = list[37]!.message.id;
    const { mailer, calls } = scriptedMailer((emails) =>
      emails.some((e) => e.messageId === bad)
        ? { ok: false, failure: { kind: "refused", status: 422, detail: "422 validation_error" } }
        : accept(emails),
    );
    const decisions = await deliver(list, mailer, testClock(), { from: "r@rollcall.test" });
    expect(decisions.get(bad)).toMatchObject({ kind: "failed" });
    expect([...decisions.values()].filter((d) => d.kind === "sent")).toHaveLength(99);
    expect(calls.length).toBeLessThanOrEqual(15);
  });

  it("stops the round at a 429 and has everything unsent wait for retry-after", async () => {
    const { mailer, calls } = scriptedMailer((emails, call) =>
      call === 2 ? { ok: false, failure: { kind: "rate_limited", retryAfterSeconds: 3, detail: "429" } } : accept(emails),
    );
    const decisions = await deliver([...envelopes(150), ...envelopes(2, confirmed)], mailer, testClock(), { from: "r@rollcall.test" });
    expect(calls).toHaveLength(2);
    const kinds = [...decisions.values()].map((d) => (d.kind === "retry" ? `retry ${d.delaySeconds}` : d.kind));
    expect(kinds.filter((k) => k === "sent")).toHaveLength(100);
    expect(kinds.filter((k) => k === "retry 3")).toHaveLength(52);
  });

  it("treats a mailer that throws as an outage", async () => {
    const mailer: Mailer = {
      transport: "resend",
      sendBatch: async () => Promise.reject(new Error("boom")),
      send: async () => Promise.reject(new Error("boom")),
    };
    const decisions = await deliver(envelopes(1), mailer, testClock(), { from: "r@rollcall.test" });
    expect([...decisions.values()][0]).toMatchObject({ kind: "retry", cause: "outage", delaySeconds: 15 });
  });

  it("leaves what is left for the next round when its time budget is used up", async () => {
    const clock = testClock();
    const { mailer, calls } = scriptedMailer(accept);
    const decisions = await deliver(envelopes(3, confirmed), mailer, clock, {
      from: "r@rollcall.test",
      minIntervalMs: 1000,
      budgetMs: 1500,
    });
    expect(calls).toHaveLength(2);
    expect([...decisions.values()].map((d) => d.kind)).toEqual(["sent", "sent", "retry"]);
  });

  it("fails an email that cannot be rendered, and sends the rest of its batch", async () => {
    const { mailer, calls } = scriptedMailer(accept);
    const list = envelopes(3);
    const broken = unrenderable(list[1]!);
    const decisions = await deliver([list[0]!, broken, list[2]!], mailer, testClock(), { from: "r@rollcall.test" });
    expect(decisions.get(broken.message.id)).toMatchObject({ kind: "failed", reason: expect.stringContaining("could not render") });
    expect(calls.flatMap((c) => c.emails.map((e) => e.messageId))).toEqual([list[0]!.message.id, list[2]!.message.id]);
  });

  it("renders an email only when its request is next: what the time budget leaves is not rendered this round", async () => {
    // A round sends confirmations two a second; rendering the ones it cannot reach would be done
    // again by the next round. An email that cannot be rendered shows whether it was tried.
    const { mailer, calls } = scriptedMailer(accept);
    const list = envelopes(3, confirmed);
    const broken = unrenderable(list[2]!);
    const decisions = await deliver([list[0]!, list[1]!, broken], mailer, testClock(), {
      from: "r@rollcall.test",
      minIntervalMs: 1000,
      budgetMs: 1500,
    });
    expect(calls).toHaveLength(2);
    expect(decisions.get(broken.message.id)).toMatchObject({ kind: "retry", cause: "waiting", subject: null });
  });
});

/** The envelope with a start no date can be made of: rendering its email throws. */
const unrenderable = (envelope: Envelope): Envelope => ({
  ...envelope,
  message: { ...envelope.message, data: { ...(envelope.message.data as object), startsAt: "not a date" } } as MailMessage,
});
