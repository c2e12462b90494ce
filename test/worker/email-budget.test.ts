// Each org's hourly mail budget: past it, the org's emails wait for the next hour (never failed,
// never lost), its owner hears once per hour, the API refuses to start a send the budget cannot
// cover, and sign-in links never wait for any org's budget.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MailBundle, MailMessage } from "../../worker/email/message";
import { renderMail } from "../../worker/email/render";
import { entryId, invitationMail, mailLog, runQueue, standinTenant } from "./email-helpers";
import { api, expectProblem, newOrg, newSession } from "./helpers";
import { listInvitations } from "./invitation-helpers";

const hourStart = (at = new Date()) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000).toISOString();
const secondsToNextHour = () => Math.ceil((Date.parse(hourStart()) + 3_600_000 - Date.now()) / 1000);

function signIn(to: string): MailMessage<"sign_in"> {
  return {
    id: `msg_s${crypto.randomUUID().slice(0, 12)}`,
    template: "sign_in",
    to,
    locale: "en",
    data: { link: "https://rollcall.test/admin/link/x", expiresAt: new Date(Date.now() + 900_000).toISOString(), orgName: "Camp" },
  };
}

/** Sets how much of this hour's budget an org has used, as if it had sent that many emails. */
async function used(orgId: string, sent: number) {
  await env.DB.prepare(
    "insert into mail_budget (org_id, window_start, sent) values (?1, ?2, ?3) on conflict (org_id, window_start) do update set sent = ?3",
  )
    .bind(orgId, hourStart(), sent)
    .run();
}

describe("the consumer and an org's hourly mail budget", () => {
  it("sends up to the budget, has the rest wait for the next hour, and tells the owner once", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const workerEnv = { ...standin.env, MAIL_HOURLY_BUDGET: "5" };
    const big = await invitationMail(8);
    const other = await invitationMail(2, ["other.a@example.org", "other.b@example.org"]);
    const link = signIn("member.budget@example.org");

    const run = await runQueue(
      "rollcall-mail",
      [{ message: big.bundles[0]! }, { message: other.bundles[0]! }, { message: link }],
      workerEnv,
    );
    expect(run.acked.sort()).toEqual([entryId(big.bundles[0]!), entryId(other.bundles[0]!), link.id].sort());
    const sentTo = (await standin.emails()).map((e) => e.to[0]);
    expect(sentTo).toHaveLength(5 + 2 + 1);
    expect(sentTo).toContain("member.budget@example.org"); // sign-in links never wait
    expect(sentTo).toEqual(expect.arrayContaining(["other.a@example.org", "other.b@example.org"])); // budgets are per org

    // The three past the budget wait for the next hour, as a bundle of their own, not as failures.
    const waiting = run.requeued.filter((r) => "messages" in r.bundle);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.bundle.messages).toHaveLength(3);
    expect(waiting[0]!.bundle.failures ?? 0).toBe(0);
    expect(waiting[0]!.delaySeconds).toBeGreaterThanOrEqual(secondsToNextHour() - 5);
    expect(waiting[0]!.delaySeconds).toBeLessThanOrEqual(secondsToNextHour() + 60);
    const log = await mailLog(waiting[0]!.bundle.messages.map((m) => m.id));
    expect([...log.values()].map((r) => [r.status, r.error])).toEqual(
      Array(3).fill(["queued", expect.stringContaining("mail_budget_exceeded")]),
    );
    expect(new Set((await big.delivery()).values())).toEqual(new Set(["sent", "queued"]));

    // The owner is told, once.
    const alerts = run.requeued.map((r) => r.bundle as unknown as MailMessage).filter((m) => m.template === "mail_budget_alert");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      to: "owner@camp.example",
      data: { limit: 5, resumesAt: new Date(Date.parse(hourStart()) + 3_600_000).toISOString() },
    });
    expect(alerts[0]!.sessionId).toBeUndefined(); // not counted against any budget either

    // Later in the same hour: the waiting bundle comes back and waits again; no second alert.
    const again = await runQueue("rollcall-mail", [{ message: waiting[0]!.bundle }], workerEnv);
    expect(again.requeued).toHaveLength(1);
    expect(again.requeued[0]!.bundle.messages).toHaveLength(3);
    expect((await standin.emails()).length).toBe(8);
  });

  it("lets codes people wait for go a tenth past the budget, and no further", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const workerEnv = { ...standin.env, MAIL_HOURLY_BUDGET: "20" }; // 2 more for codes
    const { orgId, bundles, mail } = await invitationMail(1);
    const code = (to: string): MailBundle => ({
      messages: [
        {
          ...mail[0]!,
          id: `msg_c${crypto.randomUUID().slice(0, 12)}`,
          template: "one_time_code",
          to,
          data: { ...mail[0]!.data, code: "123456", expiresAt: new Date(Date.now() + 600_000).toISOString() },
        } as MailMessage<"one_time_code">,
      ],
    });
    await used(orgId, 20);
    const first = code("code.one@example.org");
    const second = code("code.two@example.org");
    const run = await runQueue("rollcall-mail-urgent", [{ message: bundles[0]! }, { message: first }, { message: second }], workerEnv);
    // The invitation waits for the next hour; both codes go out, within the allowance.
    expect((await standin.emails()).map((e) => e.to[0]).sort()).toEqual(["code.one@example.org", "code.two@example.org"]);
    expect(run.requeued.filter((r) => "messages" in r.bundle).map((r) => r.bundle.messages[0]!.template)).toEqual(["invitation"]);
    expect(run.requeuedUrgent).toEqual([]);

    // The allowance spent, a third code waits like the rest.
    const third = code("code.three@example.org");
    const after = await runQueue("rollcall-mail-urgent", [{ message: third }], workerEnv);
    expect(after.requeuedUrgent.map((r) => [r.bundle.messages.map((m) => m.to), (r.delaySeconds ?? 0) > 0])).toEqual([
      [["code.three@example.org"], true],
    ]);
    expect(await standin.emails()).toHaveLength(2);
  });

  it("never counts or splits again a bundle it has already counted", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const { bundles } = await invitationMail(3);
    const counted: MailBundle = { ...bundles[0]!, budgeted: true, attempts: 2, failures: 1, failingSince: new Date().toISOString() };
    const run = await runQueue("rollcall-mail", [{ message: counted }], { ...standin.env, MAIL_HOURLY_BUDGET: "1" });
    expect(run.acked).toEqual([entryId(counted)]);
    expect(await standin.emails()).toHaveLength(3);
  });

  it("writes the owner's alert in their language, with the hour the mail resumes", () => {
    const alert = (locale: "en" | "fr"): MailMessage<"mail_budget_alert"> => ({
      id: "msg_alert",
      template: "mail_budget_alert",
      to: "owner@camp.example",
      locale,
      data: { orgName: "Camp <Pins>", limit: 500, resumesAt: "2026-05-01T11:00:00.000Z" },
    });
    const en = renderMail(alert("en"));
    expect(en.subject).toBe("Rollcall: Camp <Pins> reached its hourly email limit");
    expect(en.text).toContain("500");
    expect(en.text).toContain("11:00");
    expect(en.text).toContain("up to 50 more"); // codes people wait for: a tenth past the budget
    expect(en.html).toContain("Camp &lt;Pins&gt;");
    expect(renderMail(alert("fr")).subject).toBe("Rollcall : Camp <Pins> a atteint sa limite d’e-mails par heure");
  });
});

describe("sending invitations past the budget", () => {
  it("refuses with mail_budget_exceeded and Retry-After, and creates nothing", async () => {
    const { orgId, key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 20 });
    const limit = Number(env.MAIL_HOURLY_BUDGET);
    await used(orgId, limit - 2);

    const refused = await api("POST", `/v1/sessions/${s.id}/invitations`, {
      key,
      body: { recipients: "r1@example.org, r2@example.org, r3@example.org", send: "now" },
    });
    expectProblem(refused, "mail_budget_exceeded");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
    expect(refused.body.detail).toContain("2");
    expect(await listInvitations(key, s.id)).toEqual([]);

    // What the budget covers, and what sends nothing now, go ahead.
    expect(
      (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "r4@example.org", send: "later" } })).status,
    ).toBe(201);
    expect(
      (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "r1@example.org, r2@example.org" } })).status,
    ).toBe(201);
  });

  it("refuses single and bulk sends once the hour's budget is spent", async () => {
    const { orgId, key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 20 });
    const created = await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "d1@example.org", send: "later" } });
    const id = created.body.invitations[0].id;
    await used(orgId, Number(env.MAIL_HOURLY_BUDGET));
    expectProblem(await api("POST", `/v1/invitations/${id}/send`, { key }), "mail_budget_exceeded");
    expectProblem(await api("POST", `/v1/sessions/${s.id}/invitations/send`, { key, body: {} }), "mail_budget_exceeded");
    expect((await listInvitations(key, s.id)).map((i) => i.status)).toEqual(["draft"]);
    // Cancelling sends nothing worth counting: it is never refused.
    expect((await api("POST", `/v1/invitations/${id}/cancel`, { key })).status).toBe(200);
  });

  it("never keeps a member from signing in", async () => {
    const { orgId } = await newOrg();
    await used(orgId, Number(env.MAIL_HOURLY_BUDGET) * 10);
    const standin = standinTenant();
    const link = signIn("owner@camp.example");
    const run = await runQueue("rollcall-mail", [{ message: link }], standin.env);
    expect(run.acked).toEqual([link.id]);
    expect((await mailLog([link.id])).get(link.id)?.status).toBe("sent");
  });
});
