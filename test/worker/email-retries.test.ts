// Mail when the provider pushes back: each email sent once whatever the queue's grouping, 429s
// that do not use up the retries, an hour of patience through an outage, then dead letters that a
// member re-drives.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MailBundle, MailMessage } from "../../worker/email/message";
import { nextStep, OUTAGE_PATIENCE_MS, type RetryState } from "../../worker/email/retry";
import { entryId, eventually, invitationMail, mailLog, runQueue, standinTenant } from "./email-helpers";
import { api, DEV_BASE, ROOT_KEY, roster } from "./helpers";
import { listInvitations, releaseMail } from "./invitation-helpers";

const session = {
  name: null,
  sessionTitle: "Forest camp",
  startsAt: "2026-07-01T07:00:00.000Z",
  durationMinutes: 120,
  timeZone: "Europe/Paris",
  baseUrl: "https://rollcall.test",
};

function waitlisted(to: string): MailMessage<"waitlisted"> {
  return {
    id: `msg_r${crypto.randomUUID().slice(0, 12)}`,
    template: "waitlisted",
    to,
    locale: "en",
    data: { ...session, manageToken: "tok" },
  };
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe("each email once, whatever the queue's grouping", () => {
  it("sends emails whose answer was lost once, when the queue hands them over again with others", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const [a, b, c] = [waitlisted("a.regroup@example.org"), waitlisted("b.regroup@example.org"), waitlisted("c.regroup@example.org")];
    // Resend takes each email, and the answer never comes back.
    await standin.fail({ status: "lost", times: 2 });
    for (const message of [a, b]) expect((await runQueue("rollcall-mail", [{ message }], standin.env)).requeued).toHaveLength(1);
    expect(await standin.emails()).toHaveLength(2);

    // The queue delivers them again, grouped with another message this time.
    const second = await runQueue("rollcall-mail", [{ message: c }, { message: b, attempts: 2 }, { message: a, attempts: 2 }], standin.env);
    expect(second.acked.sort()).toEqual([a.id, b.id, c.id].sort());
    const emails = await standin.emails();
    expect(emails.map((e) => e.to[0]).sort()).toEqual(["a.regroup@example.org", "b.regroup@example.org", "c.regroup@example.org"]);
    expect((await standin.requests()).filter((r) => r.replayed)).toHaveLength(2);
  });

  it("sends a bundle whose answer was lost once, when it comes back beside another bundle", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const ab: MailBundle = { messages: [waitlisted("a.bundle@example.org"), waitlisted("b.bundle@example.org")] };
    const cd: MailBundle = { messages: [waitlisted("c.bundle@example.org"), waitlisted("d.bundle@example.org")] };
    await standin.fail({ status: "lost" });
    await runQueue("rollcall-mail", [{ message: ab }], standin.env);

    const again = await runQueue("rollcall-mail", [{ message: cd }, { message: ab, attempts: 2 }], standin.env);
    expect(again.acked.sort()).toEqual([entryId(ab), entryId(cd)].sort());
    expect(await standin.emails()).toHaveLength(4);
    const requests = await standin.requests();
    expect(requests.map((r) => [r.emails, r.replayed])).toEqual([
      [2, false],
      [2, false],
      [0, true], // replayed: nothing sent again
    ]);
    expect(requests[0].idempotencyKey).toBe(requests[2].idempotencyKey);
  });

  it("sends an email once when a batch carries it twice", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const [a, b] = [waitlisted("a.twice@example.org"), waitlisted("b.twice@example.org")];
    const bundle: MailBundle = { messages: [a, b, a] };
    const run = await runQueue("rollcall-mail", [{ message: bundle }, { message: { messages: [a, b] } }, { message: b }], standin.env);
    expect(run.acked).toHaveLength(3);
    expect(run.requeued.concat(run.retried as never[])).toEqual([]);
    expect((await standin.emails()).map((e) => e.to[0]).sort()).toEqual(["a.twice@example.org", "b.twice@example.org"]);
    expect(await standin.requests()).toHaveLength(1);
  });
});

describe("429 and outages", () => {
  it("waits out 429s without counting them, then backs off from where the outage left off", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const message = waitlisted("patient.429@example.org");
    let bundle: MailBundle = { messages: [message], failures: 2, failingSince: minutesAgo(1) };
    await standin.fail({ status: 429, retryAfter: 3, times: 12 });
    for (let round = 0; round < 12; round++) {
      const run = await runQueue("rollcall-mail", [{ message: bundle }], standin.env);
      expect(run.retried).toEqual([]); // the queue's own retries are never spent
      expect(run.requeued.map((r) => [r.delaySeconds, r.bundle.failures])).toEqual([[3, 2]]);
      bundle = run.requeued[0]!.bundle;
    }
    expect(bundle.attempts).toBe(12);

    await standin.fail({ status: 500 });
    const outage = await runQueue("rollcall-mail", [{ message: bundle }], standin.env);
    expect(outage.requeued.map((r) => [r.delaySeconds, r.bundle.failures])).toEqual([[60, 3]]);
    const done = await runQueue("rollcall-mail", [{ message: outage.requeued[0]!.bundle }], standin.env);
    expect(done.acked).toEqual([message.id]);
    expect(await standin.emails()).toHaveLength(1);
  });

  it("never gives up on a 429, even long after an outage began", async () => {
    const standin = standinTenant();
    const message = waitlisted("late.429@example.org");
    await standin.fail({ status: 429, retryAfter: 20 });
    const run = await runQueue(
      "rollcall-mail",
      [{ message: { messages: [message], failures: 11, failingSince: minutesAgo(180) } }],
      standin.env,
    );
    expect(run.requeued.map((r) => r.delaySeconds)).toEqual([20]);
    expect((await mailLog([message.id])).get(message.id)?.status).toBe("queued");
  });

  it("keeps trying through at least an hour of outage, backing off up to 15 minutes", () => {
    let now = new Date("2026-05-01T10:00:00Z");
    let state: RetryState = { attempts: 1, failures: 0 };
    const delays: number[] = [];
    for (;;) {
      const step = nextStep(state, [{ cause: "outage", delaySeconds: 0, reason: "503" }], now);
      if (step.kind !== "requeue") break;
      delays.push(step.delaySeconds);
      now = new Date(now.getTime() + step.delaySeconds * 1000);
      state = { ...step.state, attempts: step.state.attempts + 1 };
    }
    const waited = delays.reduce((a, b) => a + b, 0);
    expect(waited * 1000).toBeGreaterThanOrEqual(OUTAGE_PATIENCE_MS);
    expect(waited).toBeLessThan(2 * 3600);
    expect(delays.slice(0, 4)).toEqual([15, 30, 60, 120]);
    expect(Math.max(...delays)).toBe(900);
  });
});

describe("dead letters", () => {
  it("gives up after an hour of outage: the roster counts the emails failed, and a re-drive sends them", async () => {
    const standin = standinTenant();
    const addresses = ["dead0@example.org", "dead1@example.org", "dead2@example.org"];
    const { key, sessionId, bundles, mail, delivery } = await invitationMail(3, addresses);
    await standin.fail({ status: 503 });
    const bundle: MailBundle = { ...bundles[0]!, failures: 9, failingSince: minutesAgo(61) };
    const run = await runQueue("rollcall-mail", [{ message: bundle }], standin.env);
    expect(run.acked).toEqual([entryId(bundle)]);
    expect(run.requeued).toEqual([]);

    const log = await mailLog(mail.map((m) => m.id));
    expect([...log.values()].map((r) => r.status)).toEqual(["failed", "failed", "failed"]);
    expect(new Set((await delivery()).values())).toEqual(new Set(["failed"]));
    const before = await roster(key, sessionId);
    expect(before.mail).toEqual({ waiting: 0, failed: 3 });
    expect(before.rows.filter((r: any) => r.flags.includes("delivery_failed"))).toHaveLength(3);

    // One invitation is cancelled meanwhile: its dead email is not sent again.
    const cancelled = (await listInvitations(key, sessionId)).find((i) => i.email === "dead2@example.org")!;
    expect((await api("POST", `/v1/invitations/${cancelled.id}/cancel`, { key })).status).toBe(200);

    await releaseMail(sessionId);
    const redrive = await api("POST", `/v1/sessions/${sessionId}/mail/redrive`, { key });
    expect(redrive.status).toBe(200);
    expect(redrive.body).toEqual({ redriven: 2, dropped: 1 });
    expect((await roster(key, sessionId)).mail).toEqual({ waiting: 0, failed: 0 });

    // The real queue takes them (to the dev outbox here), under new ids, and the invitations hear "sent".
    const statuses = await eventually(delivery, (d) => d.get("dead0@example.org") === "sent" && d.get("dead1@example.org") === "sent");
    expect(statuses.get("dead0@example.org")).toBe("sent");
    expect(statuses.get("dead1@example.org")).toBe("sent");
    const kept = (await api("GET", "/dev/mail.json?to=dead0@example.org", { base: DEV_BASE })).body.messages;
    expect(kept).toHaveLength(1);
    expect(mail.map((m) => m.id)).not.toContain(kept[0].messageId);
    expect(
      (await api("GET", "/dev/mail.json?to=dead2@example.org", { base: DEV_BASE })).body.messages.filter(
        (m: any) => m.template === "invitation",
      ),
    ).toEqual([]);
    // A second re-drive finds nothing.
    expect((await api("POST", `/v1/sessions/${sessionId}/mail/redrive`, { key })).body).toEqual({ redriven: 0, dropped: 0 });
  });

  it("keeps no one-time code among the dead letters", async () => {
    const standin = standinTenant();
    const { key, sessionId, mail } = await invitationMail(1, ["coded.dead@example.org"]);
    const code: MailMessage<"one_time_code"> = {
      id: "msg_deadcode000001",
      template: "one_time_code",
      to: "coded.dead@example.org",
      locale: "en",
      sessionId,
      invitationId: mail[0]!.invitationId,
      data: { ...session, code: "904112", expiresAt: minutesAgo(-10) },
    };
    await standin.fail({ status: 503 });
    await runQueue("rollcall-mail", [{ message: { messages: [code], failures: 9, failingSince: minutesAgo(61) } }], standin.env);
    expect((await roster(key, sessionId)).mail.failed).toBe(0);
    expect((await mailLog([code.id])).get(code.id)?.status).toBe("failed");
  });

  it("re-drives only for the session's own org", async () => {
    const { sessionId } = await invitationMail(1, ["mine@example.org"]);
    const other = await api("POST", "/v1/orgs", { key: ROOT_KEY, body: { name: "Other" } });
    expect((await api("POST", `/v1/sessions/${sessionId}/mail/redrive`, { key: other.body.apiKey })).status).toBe(404);
    expect((await api("POST", `/v1/sessions/${sessionId}/mail/redrive`)).status).toBe(401);
  });
});

describe("the mail queue's settings", () => {
  const settings = JSON.parse(env.TEST_MAIL_CONSUMERS) as Record<
    string,
    { queue: string; max_concurrency?: number; max_retries?: number }[]
  >;

  it("runs one consumer batch at a time in every environment, so the pacing to Resend's and Twilio's rates holds", () => {
    for (const [name, consumers] of Object.entries(settings)) {
      expect(
        // The mail and SMS queues (the program fan-out's queue has its own settings).
        consumers.filter((c) => /^rollcall-(mail|sms)/.test(c.queue)).map((c) => [c.queue, c.max_concurrency]),
        name,
      ).toEqual([
        ["rollcall-mail", 1],
        ["rollcall-mail-urgent", 1],
        ["rollcall-mail-dead", 1],
        ["rollcall-sms", 1],
        ["rollcall-sms-urgent", 1],
      ]);
    }
  });
});
