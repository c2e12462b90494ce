// The one-time code of an invitation that requires the invited address cannot be guessed: each
// invitation gets at most one code a minute and five a day, and ten wrong codes across all of them
// close it to codes until the provider sends the invitation again. Each request comes from a
// client address of its own, as from a guesser spreading over many: the limits are the
// invitation's, not the client's.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { decideCodeRequest, WRONG_CODES_MAX } from "../../worker/invitations/decide";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { optOutKey } from "../../worker/sms/opt-outs";
import { manualClock } from "../../worker/time/clock";
import { api, expectProblem, newOrg, newSession, readSession } from "./helpers";
import { captureMail, invited, ledgerStub, linkClient, mailSoFar, tokenOf } from "./invitation-helpers";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

async function setup() {
  const { key } = await newOrg();
  const s = await newSession(key);
  const captured = await captureMail(s.id);
  const [inv] = (await invited(key, s.id, { recipients: "Ada <ada@example.org>", requireEmailMatch: true })).invitations;
  const token = await tokenOf(s.id, inv.id);
  // The ledger's clock, moved by the test; it starts now.
  const clock = manualClock(new Date());
  await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
    instance.clock = clock;
  });
  const codesSent = async () => (await mailSoFar(s.id, captured)).filter((m) => m.template === "one_time_code");
  /** Asks for a code from a new client and reads it from the email; null when refused. */
  const requestCode = async () => {
    const res = await linkClient().requestCode(token);
    return { res, code: res.status === 200 ? ((await codesSent()).at(-1).data.code as string) : null };
  };
  const accept = (code: string | null) => linkClient().accept(token, code ? { name: "Ada", code } : { name: "Ada" });
  return { key, s, inv, token, clock, requestCode, accept, codesSent };
}

const wrong = (code: string, i = 1) => String((Number(code) + i) % 1_000_000).padStart(6, "0");

describe("POST /v1/invites/{token}/code", () => {
  it("says the code was emailed, masked, to an invited address whose contact does not choose SMS", async () => {
    const { requestCode } = await setup();
    const { res } = await requestCode();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ channel: "email", sentTo: "a••@example.org" });
  });

  it("says the code was texted, to a masked number, when the invited person's contact chose SMS; emailed after their STOP", async () => {
    const { key } = await newOrg();
    await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org", phone: "+33612345612", channel: "sms" } });
    const s = await newSession(key);
    await captureMail(s.id);
    const [inv] = (await invited(key, s.id, { recipients: "Ada <ada@example.org>", requireEmailMatch: true })).invitations;
    const token = await tokenOf(s.id, inv.id);
    const clock = manualClock(new Date());
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = clock;
    });
    const texted = await linkClient().requestCode(token);
    expect(texted.status).toBe(200);
    expect(texted.body).toMatchObject({ channel: "sms", sentTo: "+33 •• •• •• 12" });
    expect(JSON.stringify(texted.body)).not.toContain("612345612");

    await env.DB.prepare("insert into sms_opt_outs (phone_hash, at) values (?, ?)")
      .bind(await optOutKey("+33612345612"), new Date().toISOString())
      .run();
    clock.advance(2 * MINUTE);
    const emailed = await linkClient().requestCode(token);
    expect(emailed.status).toBe(200);
    expect(emailed.body).toMatchObject({ channel: "email", sentTo: "a••@example.org" });
  });

  it("emails at most one code a minute for an invitation, and says when the next may go", async () => {
    const { clock, requestCode, codesSent } = await setup();
    expect((await requestCode()).res.status).toBe(200);
    clock.advance(20_000);
    const refused = (await requestCode()).res;
    expectProblem(refused, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("40");
    expect(refused.body.retryAfter).toBe(40);
    expect(await codesSent()).toHaveLength(1);
    clock.advance(40_000);
    expect((await requestCode()).res.status).toBe(200);
    expect(await codesSent()).toHaveLength(2);
  });

  it("emails at most five codes a day for an invitation, then waits until the first is a day old", async () => {
    const { clock, requestCode, codesSent } = await setup();
    for (let i = 0; i < 5; i++) {
      expect((await requestCode()).res.status).toBe(200);
      clock.advance(10 * MINUTE);
    }
    const refused = (await requestCode()).res;
    expectProblem(refused, "rate_limited");
    // The first code went 50 minutes ago: the next one may go 23 h 10 min from now.
    expect(refused.headers.get("retry-after")).toBe(String((DAY - 50 * MINUTE) / 1000));
    expect(await codesSent()).toHaveLength(5);
    clock.advance(DAY - 50 * MINUTE);
    expect((await requestCode()).res.status).toBe(200);
    expect(await codesSent()).toHaveLength(6);
  });
});

describe("wrong codes across codes", () => {
  it("counts ten wrong codes over several codes, then refuses every code, even the right one, and sends no new one", async () => {
    const { key, s, token, clock, requestCode, accept, codesSent } = await setup();
    const first = (await requestCode()).code!;
    for (const attemptsLeft of [4, 3, 2, 1, 0]) expect((await accept(wrong(first, attemptsLeft + 1))).body.attemptsLeft).toBe(attemptsLeft);
    clock.advance(MINUTE);
    const second = (await requestCode()).code!;
    for (const attemptsLeft of [4, 3, 2, 1]) {
      const res = await accept(wrong(second, attemptsLeft + 1));
      expectProblem(res, "invalid_verification_code");
      expect(res.body.attemptsLeft).toBe(attemptsLeft);
    }
    clock.advance(MINUTE);
    // Four tries left on this code, but one for the invitation: the tenth wrong code is the last.
    const third = (await requestCode()).code!;
    const tenth = await accept(wrong(third));
    expectProblem(tenth, "invalid_verification_code");
    expect(tenth.body.attemptsLeft).toBe(0);

    expectProblem(await accept(third), "verification_locked");
    expectProblem(await linkClient().decline(token), "verification_locked");
    clock.advance(MINUTE);
    expectProblem((await requestCode()).res, "verification_locked");
    expect(await codesSent()).toHaveLength(3);
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 0, held: 1 });
  });

  it("stays closed when the day turns over, and opens again when the provider resends the invitation", async () => {
    const { key, inv, clock, requestCode, accept } = await setup();
    for (let round = 0; round < 2; round++) {
      const code = (await requestCode()).code!;
      for (let i = 1; i <= 5; i++) expectProblem(await accept(wrong(code, i)), "invalid_verification_code");
      clock.advance(MINUTE);
    }
    clock.advance(DAY);
    expectProblem((await requestCode()).res, "verification_locked");

    const resent = await api("POST", `/v1/invitations/${inv.id}/resend`, { key });
    expect(resent.status).toBe(200);
    const fresh = (await requestCode()).code!;
    const accepted = await accept(fresh);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body.registration).toMatchObject({ email: "ada@example.org", status: "confirmed" });
  });
});

describe("decideCodeRequest", () => {
  const at = (iso: string) => new Date(iso);

  it("keeps only the last day's send times, so the list never grows past five", () => {
    const old = ["2027-01-01T08:00:00.000Z", "2027-01-01T09:00:00.000Z"];
    const decision = decideCodeRequest({ codeFailures: 0, codesSentAt: old }, at("2027-01-02T08:30:00.000Z"));
    expect(decision).toEqual({ ok: true, value: { codesSentAt: ["2027-01-01T09:00:00.000Z", "2027-01-02T08:30:00.000Z"] } });
  });

  it("refuses a closed invitation before counting anything", () => {
    const decision = decideCodeRequest({ codeFailures: WRONG_CODES_MAX, codesSentAt: [] }, at("2027-01-02T08:30:00.000Z"));
    expect(decision.ok || decision.error.code).toBe("verification_locked");
  });
});
