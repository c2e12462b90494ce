// The invitation link's own API, as the invited person meets it: what the link shows, the
// throttle on guessing links, and the one-time code of invitations that require the invited
// address.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { manualClock } from "../../worker/time/clock";
import { api, expectProblem, newOrg, newSession, readSession, roster } from "./helpers";
import { captureMail, invited, ledgerStub, linkClient, mailSoFar, tokenOf } from "./invitation-helpers";

const MINUTE = 60_000;

describe("GET /v1/invites/:token", () => {
  it("shows the session's public view and the invitation, with the invited address masked", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 8 });
    await api("POST", "/v1/discount-codes", { key, body: { code: "SCHOLAR", percentOff: 50 } });
    const [inv] = (
      await invited(key, s.id, {
        recipients: "Ada Lovelace <ada.lovelace@example.org>",
        discountCode: "SCHOLAR",
        expiresInDays: 5,
        message: "We kept a seat for you.",
      })
    ).invitations;
    const res = await linkClient().open(await tokenOf(s.id, inv.id));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      session: {
        id: s.id,
        title: s.title,
        description: s.description,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        timeZone: s.timeZone,
        durationMinutes: s.durationMinutes,
        registrationOpensAt: null,
        registrationClosesAt: s.registrationClosesAt,
        registrationCodeRequired: false,
        waitlist: true,
        confirmByEmail: false,
        location: null,
        online: false,
        form: null,
        price: null,
        refundUntilDays: null,
        status: "scheduled",
        seats: { capacity: 8, available: 7, waitlisted: 0, confirmed: 0 },
        registrationState: "open",
        minParticipants: 2,
        moreNeeded: 2,
      },
      invitation: {
        status: "sent",
        name: "Ada Lovelace",
        emailMasked: "a••••••@example.org",
        holdSeat: true,
        discountCode: "SCHOLAR",
        // A free session: nothing to pay, whatever the code.
        toPay: null,
        expiresAt: inv.expiresAt,
        requireEmailMatch: false,
        message: "We kept a seat for you.",
        locale: "en",
        reopenable: false,
      },
    });
    expect(Date.parse(res.body.invitation.expiresAt) - Date.parse(inv.sentAt)).toBe(5 * 24 * 60 * MINUTE);
  });

  it("never gives out the invited address, nor anyone else's", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { registrationCode: "CAMP-SECRET" });
    await invited(key, s.id, { recipients: "grace@example.org" });
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org", holdSeat: false })).invitations;
    const res = await linkClient().open(await tokenOf(s.id, inv.id));
    expect(res.body.invitation).toMatchObject({ holdSeat: false, emailMasked: "a••@example.org" });
    const text = JSON.stringify(res.body);
    for (const leak of ["ada@", "grace", "owner@camp.example", "CAMP-SECRET", '"registrationCode"', "capacityChanges"])
      expect(text).not.toContain(leak);
  });
});

describe("throttling /v1/invites/*", () => {
  it("answers 429 rate_limited with Retry-After after 30 calls from one client in a minute, while another client still gets answers", async () => {
    // The limiter counts in fixed one-minute windows: start early in one, so 31 calls share it.
    const intoWindow = Date.now() % MINUTE;
    if (intoWindow > 45_000) await new Promise((done) => setTimeout(done, MINUTE - intoWindow + 250));

    const { key } = await newOrg();
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    const token = await tokenOf(s.id, inv.id);
    const guesser = linkClient();
    const guess = (i: number) => `${s.id}.${String(i).padStart(32, "x")}`;
    for (let i = 0; i < 30; i++) expectProblem(await (i % 2 ? guesser.open(guess(i)) : guesser.accept(guess(i), {})), "not_found");

    for (const limited of [
      await guesser.open(guess(30)),
      await guesser.accept(guess(31), {}),
      await guesser.decline(guess(32)),
      await guesser.open(token),
    ]) {
      expectProblem(limited, "rate_limited");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    }

    const someoneElse = linkClient();
    expectProblem(await someoneElse.open(guess(33)), "not_found");
    const real = await someoneElse.open(token);
    expect(real.status).toBe(200);
    expect(real.body.invitation.status).toBe("sent");
  });
});

describe("invitations that require the invited address (requireEmailMatch)", () => {
  async function setup() {
    const { key } = await newOrg();
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "Ada <ada@example.org>", requireEmailMatch: true })).invitations;
    expect(inv.requireEmailMatch).toBe(true);
    const captured = await captureMail(s.id);
    const token = await tokenOf(s.id, inv.id);
    const browser = linkClient();
    /** Asks for a code and reads it from the email the ledger decided to send. */
    const requestCode = async () => {
      const res = await browser.requestCode(token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const codes = (await mailSoFar(s.id, captured)).filter((m) => m.template === "one_time_code");
      const mail = codes.at(-1);
      expect(mail).toMatchObject({ to: "ada@example.org", invitationId: inv.id, data: { code: expect.stringMatching(/^\d{6}$/) } });
      return { res, code: mail.data.code as string, emails: codes.length };
    };
    return { key, s, inv, token, browser, requestCode };
  }

  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

  it("refuses to accept without a code, and the link says a code is needed", async () => {
    const { key, s, token, browser } = await setup();
    expect((await browser.open(token)).body.invitation.requireEmailMatch).toBe(true);
    expectProblem(await browser.accept(token, { name: "Ada" }), "email_verification_required");
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 0, held: 1 });
  });

  it("emails a six-digit code to the invited address, valid ten minutes, and says where it went without saying the address", async () => {
    const { token, browser, requestCode } = await setup();
    const started = Date.now();
    const { res, emails } = await requestCode();
    expect(emails).toBe(1);
    expect(res.body.sentTo).toBe("a••@example.org");
    const ttl = Date.parse(res.body.expiresAt) - started;
    expect(ttl).toBeGreaterThan(9 * MINUTE);
    expect(ttl).toBeLessThanOrEqual(10 * MINUTE + 5_000);
    expect(JSON.stringify(res.body)).not.toContain("ada@");
    expect((await browser.open(token)).body.invitation.status).toBe("sent");
  });

  it("counts wrong codes down, then refuses even the right one until a new code is asked for", async () => {
    const { key, s, token, browser, requestCode } = await setup();
    const { code } = await requestCode();
    for (const attemptsLeft of [4, 3, 2, 1, 0]) {
      const res = await browser.accept(token, { name: "Ada", code: wrong(code) });
      expectProblem(res, "invalid_verification_code");
      expect(res.body.attemptsLeft).toBe(attemptsLeft);
    }
    expectProblem(await browser.accept(token, { name: "Ada", code }), "verification_code_expired");
    expectProblem(await browser.accept(token, { name: "Ada", code: wrong(code) }), "verification_code_expired");
    expect((await readSession(key, s.id)).seats.confirmed).toBe(0);

    // An invitation gets one code a minute: the new one is asked for a minute later.
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = manualClock(new Date(Date.now() + MINUTE));
    });
    const fresh = await requestCode();
    expect(fresh.emails).toBe(2);
    expectProblem(
      await browser.accept(token, { name: "Ada", code }),
      fresh.code === code ? "verification_code_expired" : "invalid_verification_code",
    );
    const accepted = await browser.accept(token, { name: "Ada", code: fresh.code });
    expect(accepted.status).toBe(201);
    expect(accepted.body.registration).toMatchObject({ email: "ada@example.org", status: "confirmed" });
  });

  it("refuses a code older than ten minutes with 410, and a new one works", async () => {
    const { token, browser, requestCode, s } = await setup();
    const { code } = await requestCode();
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = manualClock(new Date(Date.now() + 10 * MINUTE + 1_000));
    });
    expectProblem(await browser.accept(token, { name: "Ada", code }), "verification_code_expired");
    const fresh = await requestCode();
    expect((await browser.accept(token, { name: "Ada", code: fresh.code })).status).toBe(201);
  });

  it("registers the invited address with the right code, whatever email the body names", async () => {
    const { key, s, token, browser, requestCode } = await setup();
    const { code } = await requestCode();
    const accepted = await browser.accept(token, { name: "Someone Else", email: "intruder@example.org", code });
    expect(accepted.status).toBe(201);
    expect(accepted.body.registration).toMatchObject({ email: "ada@example.org", name: "Someone Else", status: "confirmed" });
    const rows = (await roster(key, s.id)).rows;
    expect(rows).toEqual([
      expect.objectContaining({ kind: "registration", email: "ada@example.org", invitedEmail: "ada@example.org", flags: [] }),
    ]);
    expectProblem(await browser.accept(token, { code }), "invitation_used");
    expectProblem(await browser.requestCode(token), "invitation_used");
  });

  it("refuses to send a code for an invitation that does not need one", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    expectProblem(await linkClient().requestCode(await tokenOf(s.id, inv.id)), "invalid_transition");
  });
});
