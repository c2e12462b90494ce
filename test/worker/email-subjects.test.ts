// What a subject line may carry once it leaves the mailer: one line (a session title or an
// organiser's subject with CR/LF in it must not become a second header), and never a one-time code
// (subjects are shown on lock screens and kept in the mail log).
import { describe, expect, it } from "vitest";
import { deliver } from "../../worker/email/deliver";
import type { Mailer, OutgoingEmail } from "../../worker/email/mailer";
import type { MailMessage } from "../../worker/email/message";
import { mailLog, runQueue, standinTenant } from "./email-helpers";

const session = {
  name: null,
  sessionTitle: "Forest camp",
  startsAt: "2026-07-01T07:00:00.000Z",
  durationMinutes: 120,
  timeZone: "Europe/Paris",
  baseUrl: "https://rollcall.test",
};

const id = (prefix: string) => `msg_${prefix}${crypto.randomUUID().slice(0, 8)}`;

function codeMail(code: string, locale: "en" | "fr"): MailMessage<"one_time_code"> {
  return {
    id: id("code"),
    template: "one_time_code",
    to: "coded@example.org",
    locale,
    data: { ...session, code, expiresAt: "2026-06-01T10:10:00.000Z" },
  };
}

/** A mailer that keeps what it was handed. */
function keepingMailer() {
  const emails: OutgoingEmail[] = [];
  const mailer: Mailer = {
    transport: "dev",
    sendBatch: async (batch) => {
      emails.push(...batch);
      return { ok: true, providerIds: batch.map((e) => `dev_${e.messageId}`) };
    },
    send: async (email) => {
      emails.push(email);
      return { ok: true, providerIds: [`dev_${email.messageId}`] };
    },
  };
  return { mailer, emails };
}

const clock = { now: () => new Date("2026-06-01T10:00:00Z"), sleep: async () => {} };

describe("subjects", () => {
  it("keeps a one-time code out of the subject and the mail log, in both languages", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const mail = [codeMail("418207", "en"), codeMail("662951", "fr")];
    const run = await runQueue(
      "rollcall-mail",
      mail.map((message) => ({ message })),
      standin.env,
    );
    expect(run.acked).toHaveLength(2);

    const emails = await standin.emails();
    expect(emails).toHaveLength(2);
    for (const e of emails) {
      expect(e.subject).not.toMatch(/418207|662951/);
      expect(e.text).toMatch(/418207|662951/); // the code is in the body, where it belongs
    }
    const log = await mailLog(mail.map((m) => m.id));
    expect([...log.values()].map((r) => r.subject)).toHaveLength(2);
    for (const row of log.values()) {
      expect(row.subject).toBeTruthy();
      expect(JSON.stringify(row)).not.toMatch(/418207|662951/);
    }
  });

  it("sends every subject on one line, whatever the title or the organiser's subject holds", async () => {
    const { mailer, emails } = keepingMailer();
    const title = "Camp\r\nBcc: everyone@example.org\u0000 \t night";
    const messages: MailMessage[] = [
      {
        id: id("w"),
        template: "waitlisted",
        to: "a@example.org",
        locale: "en",
        data: { ...session, sessionTitle: title, manageToken: "t" },
      },
      {
        id: id("i"),
        template: "invitation",
        to: "b@example.org",
        locale: "fr",
        data: {
          ...session,
          sessionTitle: title,
          link: "https://rollcall.test/r/x",
          subject: "Come\nalong\r\n\r\nX-Injected: yes",
          buttonText: null,
          message: null,
          discountCode: null,
          holdSeat: true,
          expiresAt: null,
        },
      },
      {
        id: id("c"),
        template: "registration_confirmed",
        to: "c@example.org",
        locale: "en",
        data: { ...session, sessionTitle: title, manageToken: "t" },
      },
    ];
    const decisions = await deliver(
      messages.map((message) => ({ message, attempts: 1, queuedAt: new Date("2026-06-01T09:00:00Z") })),
      mailer,
      clock,
      { from: "Rollcall <r@rollcall.test>" },
    );
    expect(emails).toHaveLength(3);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not be there
    for (const e of emails) expect(e.subject).not.toMatch(/[\u0000-\u001f\u007f]/);
    const subjectTo = (to: string) => emails.find((e) => e.to === to)?.subject;
    expect(subjectTo("a@example.org")).toBe("You're on the waitlist: Camp Bcc: everyone@example.org night");
    expect(subjectTo("b@example.org")).toBe("Come along X-Injected: yes");
    expect(subjectTo("c@example.org")).toBe("You're registered: Camp Bcc: everyone@example.org night");
    // The log records the subject that was sent.
    for (const d of decisions.values()) expect(d.subject).not.toMatch(/[\r\n]/);
  });
});
