// Sessions that confirm registrations by email (`confirmByEmail`): a public registration holds its
// seat, or its place on the waitlist, for 15 minutes until the registrant follows the emailed link
// or enters the emailed code (pretix's cart reservation, Cal.com's booker verification). An
// unconfirmed hold lapses and frees the seat, and the waitlist moves up as usual, by the alarm.
import { createExecutionContext, env, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { renderMail } from "../../worker/email/render";
import worker from "../../worker/index";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { manualClock } from "../../worker/time/clock";
import { api, BASE, expectProblem, ledger, newOrg, newSession, person, readSession, register, registered, sessionState } from "./helpers";
import { captureMail, mailSoFar } from "./invitation-helpers";

const MINUTE = 60_000;

/** A session confirming by email, its mail captured, its clock the test's. */
async function confirmingSession(overrides: Record<string, unknown> = {}) {
  const { key } = await newOrg();
  const s = await newSession(key, { confirmByEmail: true, ...overrides });
  const captured = await captureMail(s.id);
  const clock = manualClock(new Date());
  await runInDurableObject(ledger(s.id), (instance: SessionLedger) => {
    instance.clock = clock;
  });
  /** The confirmation email sent to an address: its link's token and its code. */
  const confirmationTo = async (email: string) => {
    const mail = (await mailSoFar(s.id, captured)).filter((m) => m.template === "confirm_registration" && m.to === email);
    const message = mail.at(-1);
    if (!message) throw new Error(`no confirmation email to ${email}`);
    const link: string = message.data.link;
    return { message, link, token: decodeURIComponent(link.slice(link.lastIndexOf("/") + 1)), code: message.data.code as string };
  };
  return { key, s, captured, clock, confirmationTo };
}

const confirmWithCode = (sessionId: string, registrationId: string, code: string, headers: Record<string, string> = {}) =>
  api("POST", `/v1/public/sessions/${sessionId}/registrations/${registrationId}/confirm`, { body: { code }, headers });

/** The hosted page the emailed link opens (GET asks, POST confirms: a link scanner's GET confirms nothing). */
async function page(method: "GET" | "POST", path: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${path}`, { method }) as Request<unknown, IncomingRequestCfProperties>, env, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, text: await res.text() };
}

describe("the confirmByEmail option", () => {
  it("is off by default, and set on create and edit, shown to the provider and in the public view", async () => {
    const { key } = await newOrg();
    const plain = await newSession(key);
    expect(plain.confirmByEmail).toBe(false);
    const s = await newSession(key, { confirmByEmail: true });
    expect(s.confirmByEmail).toBe(true);
    expect((await api("GET", `/v1/public/sessions/${s.id}`)).body.confirmByEmail).toBe(true);
    const edited = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { confirmByEmail: false } });
    expect(edited.body.confirmByEmail).toBe(false);
    expect((await readSession(key, s.id)).confirmByEmail).toBe(false);
  });

  it("is refused when not a boolean", async () => {
    const { key } = await newOrg();
    expectProblem(await api("POST", "/v1/sessions", { key, body: { confirmByEmail: "yes" } }), "validation_failed");
  });
});

describe("a public registration in a session that confirms by email", () => {
  it("holds a seat for 15 minutes: pending_confirmation, no cancel link yet, the seat held", async () => {
    const { key, s, clock } = await confirmingSession({ maxParticipants: 3 });
    const res = await register(s.id, person(1));
    expect(res.status).toBe(201);
    expect(res.body.registration).toMatchObject({ status: "pending_confirmation", email: "person1@example.org", waitlistPosition: null });
    expect(res.body.confirmation).toEqual({ expiresAt: new Date(clock.now().getTime() + 15 * MINUTE).toISOString() });
    expect(res.body.manageToken).toBeUndefined();
    expect((await readSession(key, s.id)).seats).toMatchObject({ capacity: 3, confirmed: 0, held: 1, available: 2 });
  });

  it("emails the address a link and a code, greeting no one by name and leaving the code out of the subject", async () => {
    const { s, confirmationTo } = await confirmingSession();
    await register(s.id, { name: "Visit evil.example", email: "ada@example.org" });
    const { message, link, code } = await confirmationTo("ada@example.org");
    expect(link).toMatch(new RegExp(`^${BASE}/c/${s.id}\\.[\\w-]{32,}$`));
    expect(code).toMatch(/^\d{6}$/);
    expect(message.data.name).toBeNull();
    const rendered = renderMail(message);
    expect(rendered.subject).not.toContain(code);
    expect(rendered.text).toContain(code);
    expect(rendered.text).toContain(link);
    expect(rendered.text).not.toContain("evil.example");
  });

  it("confirms with the emailed code: the seat is confirmed, the cancel link given once, the confirmation greets by name", async () => {
    const { key, s, captured, confirmationTo } = await confirmingSession();
    const pending = (await register(s.id, { name: "Ada", email: "ada@example.org" })).body.registration;
    const { code } = await confirmationTo("ada@example.org");
    const res = await confirmWithCode(s.id, pending.id, code);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.registration).toMatchObject({ id: pending.id, status: "confirmed" });
    expect(res.body.manageToken).toMatch(new RegExp(`^${s.id}\\.`));
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0 });
    const confirmed = (await mailSoFar(s.id, captured)).find((m) => m.template === "registration_confirmed");
    expect(confirmed.data).toMatchObject({ name: "Ada", manageToken: res.body.manageToken });
    // Again: the same answer, without the secret; nothing changes.
    const again = await confirmWithCode(s.id, pending.id, code);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ registration: res.body.registration });
    expect((await api("POST", `/v1/manage/${res.body.manageToken}/cancel`)).status).toBe(200);
  });

  it("confirms with the emailed link: the page asks first, and confirms on the button", async () => {
    const { key, s, confirmationTo } = await confirmingSession();
    await register(s.id, person(1));
    const { token } = await confirmationTo("person1@example.org");
    const asked = await page("GET", `/c/${token}`);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('<form method="post"');
    expect(asked.text).toContain(s.title);
    expect((await sessionState(key, s.id)).rows[0].status).toBe("pending_confirmation");
    const done = await page("POST", `/c/${token}`);
    expect(done.status).toBe(200);
    expect(done.text).toContain("You are registered");
    expect((await sessionState(key, s.id)).rows[0].status).toBe("confirmed");
    expect((await page("POST", `/c/${token}`)).text).toContain("You are registered");
  });

  it.each([
    ["garbage", "not-a-token"],
    ["an unknown secret", `ses_00000000000000000000.${"A".repeat(32)}`],
  ])("answers a link with %s with 404", async (_label, token) => {
    expect((await page("GET", `/c/${encodeURIComponent(token)}`)).status).toBe(404);
    expect((await page("POST", `/c/${encodeURIComponent(token)}`)).status).toBe(404);
  });

  it("refuses a wrong code, counting 5 tries, after which only the link confirms", async () => {
    const { key, s, confirmationTo } = await confirmingSession();
    const pending = (await register(s.id, person(1))).body.registration;
    const { code, token } = await confirmationTo("person1@example.org");
    const wrong = code === "000000" ? "111111" : "000000";
    for (let left = 4; left >= 0; left--) {
      const res = await confirmWithCode(s.id, pending.id, wrong);
      expectProblem(res, "invalid_verification_code");
      expect(res.body.attemptsLeft).toBe(left);
    }
    expectProblem(await confirmWithCode(s.id, pending.id, code), "verification_code_expired");
    expect((await sessionState(key, s.id)).rows[0].status).toBe("pending_confirmation");
    expect((await page("POST", `/c/${token}`)).text).toContain("You are registered");
  });

  it("refuses a code for another session's registration, or a registration that never waited, with 404", async () => {
    const { key, s, confirmationTo } = await confirmingSession();
    const other = await newSession(key);
    const pending = (await register(s.id, person(1))).body.registration;
    const { code } = await confirmationTo("person1@example.org");
    expectProblem(await confirmWithCode(other.id, pending.id, code), "not_found");
    const direct = (await registered(other.id, person(2))).registration;
    expectProblem(await confirmWithCode(other.id, direct.id, "123456"), "not_found");
    expectProblem(await confirmWithCode(s.id, "reg_nope", code), "not_found");
  });

  it("lets an unconfirmed hold lapse after 15 minutes by the alarm: the seat goes to the first on the waitlist", async () => {
    const { key, s, clock, captured, confirmationTo } = await confirmingSession({ maxParticipants: 1, minParticipants: 1 });
    const pending = (await register(s.id, person(1))).body.registration;
    // The waitlist: someone who confirmed in time.
    const waiting = (await register(s.id, person(2))).body.registration;
    expect(waiting.status).toBe("pending_confirmation");
    const second = await confirmationTo("person2@example.org");
    expect((await confirmWithCode(s.id, waiting.id, second.code)).body.registration).toMatchObject({
      status: "waitlisted",
      waitlistPosition: 1,
    });
    // Its waitlist email says the same place in line.
    const line = (await mailSoFar(s.id, captured)).find((m) => m.template === "waitlisted" && m.to === "person2@example.org");
    expect(line?.data.waitlistPosition).toBe(1);
    const { code } = await confirmationTo("person1@example.org");
    const alarm = await runInDurableObject(ledger(s.id), (_i: SessionLedger, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    clock.advance(15 * MINUTE + 1_000);
    expect(await runDurableObjectAlarm(ledger(s.id))).toBe(true);
    const rows = await runInDurableObject(ledger(s.id), (_i: SessionLedger, state) =>
      state.storage.sql
        .exec<{ email: string; status: string; cancelled_by: string | null }>(
          "select email, status, cancelled_by from registrations order by email",
        )
        .toArray(),
    );
    expect(rows).toEqual([
      { email: "person1@example.org", status: "cancelled", cancelled_by: "system" },
      { email: "person2@example.org", status: "confirmed", cancelled_by: null },
    ]);
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0, waitlisted: 0, available: 0 });
    expect((await mailSoFar(s.id, captured)).filter((m) => m.to === "person2@example.org").map((m) => m.template)).toEqual([
      "confirm_registration",
      "waitlisted",
      "promoted",
    ]);
    expectProblem(await confirmWithCode(s.id, pending.id, code), "confirmation_expired");
  });

  it("keeps a place on the waitlist unconfirmed until confirmed: it holds no seat and is not promoted", async () => {
    const { key, s, confirmationTo } = await confirmingSession({ maxParticipants: 1, minParticipants: 1 });
    const first = (await register(s.id, person(1))).body.registration;
    const waiting = (await register(s.id, person(2))).body.registration;
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 1, waitlisted: 0, available: 0 });
    // The seat frees up: nobody confirmed waits, so it goes back to the public.
    await api("POST", `/v1/registrations/${first.id}/cancel`, { key });
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 0, confirmed: 0, available: 1 });
    // Confirming now takes the free seat directly.
    const { code } = await confirmationTo("person2@example.org");
    expect((await confirmWithCode(s.id, waiting.id, code)).body.registration.status).toBe("confirmed");
  });

  it("counts holds awaiting confirmation in the client's cap", async () => {
    const { s } = await confirmingSession({ maxParticipants: 20 });
    const from = (i: number) => ({ "cf-connecting-ip": `2001:db8:c0:1::${i}` });
    for (let i = 1; i <= 5; i++) expect((await register(s.id, person(i), from(i))).body.registration.status).toBe("pending_confirmation");
    expectProblem(await register(s.id, person(6), from(6)), "too_many_registrations");
  });

  it("replays an Idempotency-Key with the pending registration and its expiry, and holds one seat", async () => {
    const { key, s } = await confirmingSession();
    const headers = { "idempotency-key": "pending-retry" };
    const first = await register(s.id, person(1), headers);
    const retry = await register(s.id, person(1), headers);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect((await readSession(key, s.id)).seats.held).toBe(1);
  });

  it("does not ask the provider's own additions to confirm", async () => {
    const { key, s } = await confirmingSession();
    const res = await api("POST", `/v1/sessions/${s.id}/registrations`, { key, body: person(1) });
    expect(res.body.status).toBe("confirmed");
  });
});
