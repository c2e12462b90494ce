// Who gets a seat: the public form (codes, the registration window, one registration per address,
// the waitlist, retries with an Idempotency-Key), the provider adding and removing people, and
// the participant's own cancel link.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { normalRegistrationCode } from "../../worker/registrations/decide";
import { manualClock } from "../../worker/time/clock";
import {
  addParticipant,
  api,
  expectProblem,
  hoursFromNow,
  ledger,
  newOrg,
  newSession,
  person,
  ROOT_KEY,
  readSession,
  register,
  registered,
  sessionState,
} from "./helpers";

const UNKNOWN_SESSION = "ses_00000000000000000000";

async function confirmedAndWaitlist(key: string, sessionId: string) {
  const { rows } = await sessionState(key, sessionId);
  return {
    confirmed: rows.filter((r) => r.status === "confirmed").map((r) => r.email),
    waitlist: rows.filter((r) => r.status === "waitlisted").map((r) => [r.email, r.waitlistPosition]),
  };
}

describe("GET /v1/public/sessions/:id", () => {
  it("shows what a visitor needs and no one's personal data", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { registrationCode: "OWL-2027", maxParticipants: 4 });
    await registered(s.id, { ...person(1), code: "OWL-2027" });
    const res = await api("GET", `/v1/public/sessions/${s.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: s.id,
      title: s.title,
      description: s.description,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      timeZone: s.timeZone,
      durationMinutes: s.durationMinutes,
      registrationOpensAt: null,
      registrationClosesAt: s.registrationClosesAt,
      registrationCodeRequired: true,
      waitlist: true,
      confirmByEmail: false,
      location: null,
      online: false,
      form: null,
      price: null,
      refundUntilDays: null,
      status: "scheduled",
      seats: { capacity: 4, available: 3, waitlisted: 0, confirmed: 1 },
      registrationState: "open",
      minParticipants: 2,
      moreNeeded: 1,
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain("OWL-2027");
    expect(text).not.toContain("person1");
  });

  it("says full when no seat is left, though the waitlist is open", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    await registered(s.id, person(1));
    expect((await api("GET", `/v1/public/sessions/${s.id}`)).body).toMatchObject({ registrationState: "full", seats: { available: 0 } });
  });

  it.each([
    ["a malformed id", "ses_short"],
    ["an unknown id", UNKNOWN_SESSION],
  ])("answers %s with 404", async (_label, id) => {
    expectProblem(await api("GET", `/v1/public/sessions/${id}`), "session_not_found");
  });
});

describe("POST /v1/public/sessions/:id/registrations", () => {
  it("confirms a registration with a manage token, and takes a seat", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await register(s.id, { ...person(1), answers: { diet: "vegetarian" }, locale: "fr" });
    expect(res.status).toBe(201);
    expect(res.body.registration).toMatchObject({
      id: expect.stringMatching(/^reg_/),
      name: "Person 1",
      email: "person1@example.org",
      status: "confirmed",
      waitlistPosition: null,
    });
    expect(res.body.manageToken).toMatch(new RegExp(`^${s.id}\\.[\\w-]{32,}$`));
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, available: 9 });
  });

  it("refuses a second registration of the same email, in another case, with 409 already_registered", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await registered(s.id, { name: "Ada", email: "ada@example.org" });
    const before = await sessionState(key, s.id);
    expectProblem(await register(s.id, { name: "Ada again", email: " ADA@Example.ORG " }), "already_registered");
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it("refuses an address already on the waitlist with 409 already_registered", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    await registered(s.id, person(1));
    await registered(s.id, person(2));
    const before = await sessionState(key, s.id);
    expectProblem(await register(s.id, person(2)), "already_registered");
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it("lets only one of many simultaneous registrations of one address through, whatever its case", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const variants = ["ada@example.org", "ADA@example.org", "Ada@Example.org", "ada@EXAMPLE.ORG"];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => register(s.id, { name: `Ada ${i}`, email: variants[i % variants.length]! })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((a) => a.status !== 201)) expectProblem(a, "already_registered");
    expect((await readSession(key, s.id)).seats.confirmed).toBe(1);
  });

  it("lets someone register again after cancelling", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const first = await registered(s.id, person(1));
    await api("POST", `/v1/manage/${first.manageToken}/cancel`);
    const again = await register(s.id, person(1));
    expect(again.status).toBe(201);
    expect(again.body.registration.id).not.toBe(first.registration.id);
  });

  it("puts people on the waitlist, in order, once the seats are gone", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    const answers = [];
    for (let i = 1; i <= 5; i++) answers.push((await registered(s.id, person(i))).registration);
    expect(answers.map((r) => [r.status, r.waitlistPosition])).toEqual([
      ["confirmed", null],
      ["confirmed", null],
      ["waitlisted", 1],
      ["waitlisted", 2],
      ["waitlisted", 3],
    ]);
    expect((await readSession(key, s.id)).seats).toMatchObject({ capacity: 2, confirmed: 2, available: 0, waitlisted: 3 });
  });

  it("refuses with 409 capacity_full when the session is full and has no waitlist, and writes nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: false });
    await registered(s.id, person(1));
    const before = await sessionState(key, s.id);
    const res = await register(s.id, person(2));
    expectProblem(res, "capacity_full");
    expect(res.body).toMatchObject({ capacity: 1, available: 0, requested: 1 });
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it("answers a registered address and a stranger alike when the session is full and has no waitlist", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: false });
    await registered(s.id, person(1));
    const before = await sessionState(key, s.id);
    const registeredAgain = await register(s.id, { ...person(1), name: "Someone else" });
    const stranger = await register(s.id, person(2));
    expectProblem(registeredAgain, "capacity_full");
    expect(registeredAgain.status).toBe(stranger.status);
    expect(registeredAgain.body).toEqual(stranger.body);
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it("lets one client (an IPv6 /64) hold at most 5 places on a session's waitlist, then answers 409 too_many_registrations", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    const other = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const hoarder = (i: number) => ({ "cf-connecting-ip": `2001:db8:99:1:${i}::1` });
    // Seats are not capped: the cap is on places that hold nothing yet.
    for (let i = 1; i <= 2; i++) expect((await register(s.id, person(i), hoarder(i))).body.registration.status).toBe("confirmed");
    const waiting = [];
    for (let i = 3; i <= 7; i++) waiting.push((await registered(s.id, person(i))).registration);
    for (let i = 8; i <= 12; i++) {
      const res = await register(s.id, person(i), hoarder(i));
      expect(res.body.registration?.status, JSON.stringify(res.body)).toBe("waitlisted");
    }
    const before = await sessionState(key, s.id);
    const refused = await register(s.id, person(13), hoarder(13));
    expectProblem(refused, "too_many_registrations");
    expect(await sessionState(key, s.id)).toEqual(before);
    // Other clients, and the same client on another session, go on.
    expect((await register(s.id, person(14), { "cf-connecting-ip": "2001:db8:99:2::1" })).status).toBe(201);
    await registered(other.id, person(1));
    expect((await register(other.id, person(2), hoarder(1))).status).toBe(201);
    // A place given up makes room again.
    const { rows } = await sessionState(key, s.id);
    const mine = rows.find((r) => r.email === "person8@example.org")!;
    await api("POST", `/v1/registrations/${mine.id}/cancel`, { key });
    expect((await register(s.id, person(13), hoarder(13))).status).toBe(201);
    expect(waiting).toHaveLength(5);
  });

  it("gives the host a seat when the host counts as a participant", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 3, minParticipants: 1, hostCountsAsParticipant: true, waitlist: false });
    await registered(s.id, person(1));
    await registered(s.id, person(2));
    expectProblem(await register(s.id, person(3)), "capacity_full");
    expect((await readSession(key, s.id)).seats).toMatchObject({ capacity: 3, host: 1, confirmed: 2, available: 0 });
  });

  describe("with a registration code", () => {
    it.each([
      ["no code", undefined],
      ["a wrong code", "EAGLE"],
      ["the code with a space inside", "OWL 2027"],
      ["an empty code", ""],
    ])("refuses %s with 403 invalid_code and writes nothing", async (_label, code) => {
      const { key } = await newOrg();
      const s = await newSession(key, { registrationCode: "OWL-2027" });
      const before = await sessionState(key, s.id);
      expectProblem(await register(s.id, { ...person(1), ...(code === undefined ? {} : { code }) }), "invalid_code");
      expect(await sessionState(key, s.id)).toEqual(before);
    });

    it("takes 10 wrong codes from one client (an IPv6 /64) per hour, then answers 429 even to the right code; other clients go on", async () => {
      const { key } = await newOrg();
      const s = await newSession(key, { registrationCode: "OWL-2027", maxParticipants: 50 });
      const clock = manualClock(new Date());
      await runInDurableObject(ledger(s.id), (instance) => {
        instance.clock = clock;
      });
      const guesser = (i: number) => ({ "cf-connecting-ip": `2001:db8:77:1::${i}` });
      for (let i = 1; i <= 10; i++) expectProblem(await register(s.id, { ...person(i), code: `GUESS-${i}` }, guesser(i)), "invalid_code");
      const locked = await register(s.id, { ...person(11), code: "OWL-2027" }, guesser(11));
      expectProblem(locked, "rate_limited");
      expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(3_500);
      expect((await register(s.id, { ...person(12), code: "OWL-2027" }, { "cf-connecting-ip": "2001:db8:77:2::1" })).status).toBe(201);
      clock.advance(3_601_000);
      expect((await register(s.id, { ...person(13), code: "OWL-2027" }, guesser(13))).status).toBe(201);
      expect((await sessionState(key, s.id)).rows.map((r) => r.email)).toEqual(["person12@example.org", "person13@example.org"]);
    });

    it("takes 100 wrong codes per session per hour from all clients together, then answers 429", async () => {
      const { key } = await newOrg();
      const s = await newSession(key, { registrationCode: "OWL-2027" });
      const other = await newSession(key, { registrationCode: "OWL-2027" });
      for (let c = 0; c < 20; c++) {
        const from = { "cf-connecting-ip": `198.51.100.${c + 1}` };
        for (let i = 0; i < 5; i++) expectProblem(await register(s.id, { ...person(i), code: `NO-${c}-${i}` }, from), "invalid_code");
      }
      expectProblem(await register(s.id, { ...person(1), code: "OWL-2027" }, { "cf-connecting-ip": "198.51.100.99" }), "rate_limited");
      expect((await register(other.id, { ...person(1), code: "OWL-2027" }, { "cf-connecting-ip": "198.51.100.99" })).status).toBe(201);
    });

    it("counts no try for the right code, nor for a refusal that is not about the code", async () => {
      const { key } = await newOrg();
      const s = await newSession(key, { registrationCode: "OWL-2027", maxParticipants: 30 });
      const from = { "cf-connecting-ip": "203.0.113.50" };
      for (let i = 0; i < 12; i++) expect((await register(s.id, { ...person(i), code: "OWL-2027" }, from)).status).toBe(201);
      for (let i = 0; i < 12; i++) expectProblem(await register(s.id, { ...person(i), code: "OWL-2027" }, from), "already_registered");
      expectProblem(await register(s.id, { ...person(99), code: "WRONG" }, from), "invalid_code");
    });

    it("registers with the right code, recorded as coming through the code", async () => {
      const { key } = await newOrg();
      const s = await newSession(key, { registrationCode: "OWL-2027" });
      expect((await register(s.id, { ...person(1), code: " OWL-2027 " })).status).toBe(201);
      expect((await sessionState(key, s.id)).rows[0]).toMatchObject({ source: "code" });
    });

    it.each([
      ["in lower case", "owl-2027"],
      ["in mixed case, with spaces and a tab around it", "\t Owl-2027  "],
    ])("takes the code typed %s", async (_label, code) => {
      const { key } = await newOrg();
      const s = await newSession(key, { registrationCode: "OWL-2027" });
      expect((await register(s.id, { ...person(1), code })).status).toBe(201);
    });

    it("matches a code the org wrote in lower case against one typed in capitals", () => {
      const normal = normalRegistrationCode;
      expect(normal("MAPLE-CIT")).toBe(normal("maple-cit"));
      expect(normal(" ÉTÉ-2027\n")).toBe(normal("Été-2027"));
      expect(normal("E\u0301te\u0301-2027")).toBe(normal("Été-2027"));
      expect(normal("maple-cat")).not.toBe(normal("maple-cit"));
      expect(normal("  ")).toBe("");
    });
  });

  describe("outside the registration window", () => {
    it("refuses before registration opens with 409 registration_not_open, then accepts once it is open", async () => {
      const { key } = await newOrg();
      const opensAt = hoursFromNow(3);
      const s = await newSession(key, { registrationOpensAt: opensAt });
      const before = await sessionState(key, s.id);
      const res = await register(s.id, person(1));
      expectProblem(res, "registration_not_open");
      expect(res.body.opensAt).toBe(opensAt);
      expect(await sessionState(key, s.id)).toEqual(before);

      await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { registrationOpensAt: hoursFromNow(-1) } });
      expect((await register(s.id, person(1))).status).toBe(201);
    });

    it("refuses after registration closed with 409 registration_closed", async () => {
      const { key } = await newOrg();
      const s = await newSession(key, { registrationOpensAt: hoursFromNow(-48), registrationClosesAt: hoursFromNow(-1) });
      const before = await sessionState(key, s.id);
      expectProblem(await register(s.id, person(1)), "registration_closed");
      expect(await sessionState(key, s.id)).toEqual(before);
    });

    it("refuses once the session has started, when no closing time was set", async () => {
      const { key } = await newOrg();
      const s = await newSession(key, { startsAt: hoursFromNow(-1) });
      expectProblem(await register(s.id, person(1)), "registration_closed");
    });

    it("says the window is the problem, not the code, when both are wrong", async () => {
      const { key } = await newOrg();
      const s = await newSession(key, { registrationOpensAt: hoursFromNow(3), registrationCode: "OWL" });
      expectProblem(await register(s.id, { ...person(1), code: "nope" }), "registration_not_open");
    });
  });

  it("refuses a cancelled session with 409 session_cancelled", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await api("POST", `/v1/sessions/${s.id}/cancel`, { key });
    expectProblem(await register(s.id, person(1)), "session_cancelled");
  });

  it.each([
    ["a malformed id", "ses_short"],
    ["an unknown id", UNKNOWN_SESSION],
  ])("answers %s with 404", async (_label, id) => {
    expectProblem(await register(id, person(1)), "session_not_found");
  });

  describe("with an Idempotency-Key", () => {
    it("answers a retry with the same key and body with the same registration, and registers once", async () => {
      const { key } = await newOrg();
      const s = await newSession(key);
      const headers = { "idempotency-key": "retry-7f3a" };
      const first = await register(s.id, { name: "Ada", email: "ada@example.org" }, headers);
      const retry = await register(s.id, { email: "ada@example.org", name: "Ada" }, headers); // same body, keys reordered
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body.registration).toEqual(first.body.registration);
      expect((await sessionState(key, s.id)).rows).toHaveLength(1);
    });

    it("gives the cancel link's secret in the first answer only: a replay, which anyone knowing the key and body can ask for, carries none", async () => {
      const { key } = await newOrg();
      const s = await newSession(key);
      const headers = { "idempotency-key": "no-secrets" };
      const first = await register(s.id, person(1), headers);
      expect(first.body.manageToken).toMatch(/\./);
      const stored = await runInDurableObject(
        ledger(s.id),
        (_instance, state) => state.storage.sql.exec<{ response: string }>("select response from idempotency").one().response,
      );
      expect(stored).not.toContain(first.body.manageToken.split(".")[1]);
      const retry = await register(s.id, person(1), headers);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual({ registration: first.body.registration });
      expect(JSON.stringify(retry.body)).not.toContain(first.body.manageToken.split(".")[1]);
      // The participant's own link (from the first answer and the email) still works.
      expect((await api("POST", `/v1/manage/${first.body.manageToken}/cancel`)).status).toBe(200);
    });

    it("answers concurrent retries with one registration", async () => {
      const { key } = await newOrg();
      const s = await newSession(key);
      const headers = { "idempotency-key": "double-click" };
      const answers = await Promise.all(Array.from({ length: 10 }, () => register(s.id, person(1), headers)));
      expect(new Set(answers.map((a) => a.body.registration.id)).size).toBe(1);
      expect((await sessionState(key, s.id)).rows).toHaveLength(1);
    });

    it("refuses the same key with another body with 409 idempotency_conflict and writes nothing", async () => {
      const { key } = await newOrg();
      const s = await newSession(key);
      const headers = { "idempotency-key": "retry-7f3a" };
      await register(s.id, person(1), headers);
      const before = await sessionState(key, s.id);
      expectProblem(await register(s.id, person(2), headers), "idempotency_conflict");
      expect(await sessionState(key, s.id)).toEqual(before);
    });

    it("remembers no refusal: a retry once a seat frees up registers", async () => {
      const { key } = await newOrg();
      const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: false });
      const taken = await registered(s.id, person(1));
      const headers = { "idempotency-key": "late-comer" };
      expectProblem(await register(s.id, person(2), headers), "capacity_full");
      const remembered = await runInDurableObject(
        ledger(s.id),
        (_instance, state) => state.storage.sql.exec<{ n: number }>("select count(*) as n from idempotency").one().n,
      );
      expect(remembered).toBe(0);
      await api("POST", `/v1/manage/${taken.manageToken}/cancel`);
      const retry = await register(s.id, person(2), headers);
      expect(retry.status, JSON.stringify(retry.body)).toBe(201);
      expect((await register(s.id, person(2), headers)).body.registration.id).toBe(retry.body.registration.id);
    });

    it("keeps keys apart per session", async () => {
      const { key } = await newOrg();
      const [a, b] = [await newSession(key), await newSession(key)];
      const headers = { "idempotency-key": "same-key" };
      const first = await register(a.id, person(1), headers);
      const second = await register(b.id, person(1), headers);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body.registration.id).not.toBe(first.body.registration.id);
    });

    it("forgets a key after 24 hours", async () => {
      const { key } = await newOrg();
      const s = await newSession(key);
      const headers = { "idempotency-key": "yesterday" };
      expect((await register(s.id, person(1), headers)).status).toBe(201);
      const clock = manualClock(new Date());
      await runInDurableObject(ledger(s.id), (instance) => {
        instance.clock = clock;
      });
      clock.advance(23 * 3_600_000);
      expectProblem(await register(s.id, person(2), headers), "idempotency_conflict");
      clock.advance(2 * 3_600_000);
      const later = await register(s.id, person(2), headers);
      expect(later.status, JSON.stringify(later.body)).toBe(201);
      expect(later.body.registration.email).toBe("person2@example.org");
    });

    it("refuses a key longer than 255 characters with 422", async () => {
      const { key } = await newOrg();
      const s = await newSession(key);
      expectProblem(await register(s.id, person(1), { "idempotency-key": "k".repeat(256) }), "validation_failed");
      expect((await sessionState(key, s.id)).rows).toHaveLength(0);
    });
  });
});

describe("POST /v1/sessions/:id/registrations", () => {
  it("adds a confirmed participant, recorded as added by the provider", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await addParticipant(key, s.id, person(1));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "confirmed", source: "provider", capacityRaisedBy: 0, email: "person1@example.org" });
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, available: 9 });
  });

  it("adds people before registration opens: the window is for the public", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { registrationOpensAt: hoursFromNow(5) });
    expect((await addParticipant(key, s.id, person(1))).status).toBe(201);
  });

  it("refuses a full session with 409 capacity_full and changes nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    await registered(s.id, person(1));
    await registered(s.id, person(2));
    const before = await sessionState(key, s.id);
    const res = await addParticipant(key, s.id, person(3));
    expectProblem(res, "capacity_full");
    expect(res.body).toMatchObject({ capacity: 2, available: 0, requested: 1 });
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it("with allowOverCapacity raises the capacity by exactly one, and records who decided it", async () => {
    const { key } = await newOrg();
    const keyId = (await api("GET", "/v1/api-keys", { key })).body.keys[0].id;
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    await registered(s.id, person(1));
    await registered(s.id, person(2));
    const res = await addParticipant(key, s.id, { ...person(3), allowOverCapacity: true });
    expect(res.status).toBe(201);
    expect(res.body.capacityRaisedBy).toBe(1);
    const after = await readSession(key, s.id);
    expect(after.seats).toMatchObject({ capacity: 3, confirmed: 3, available: 0 });
    expect(after.capacityChanges).toEqual([{ at: expect.any(String), actor: `key:${keyId}`, from: 2, to: 3, reason: expect.any(String) }]);
  });

  it("with allowOverCapacity raises the capacity by one per person when the provider adds several at once", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    await registered(s.id, person(1));
    await registered(s.id, person(2));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => addParticipant(key, s.id, { ...person(100 + i), allowOverCapacity: true })),
    );
    expect(answers.map((a) => [a.status, a.body.capacityRaisedBy])).toEqual(Array.from({ length: 10 }, () => [201, 1]));
    const after = await readSession(key, s.id);
    expect(after.seats).toMatchObject({ capacity: 12, confirmed: 12, available: 0 });
    expect(after.capacityChanges.map((c: { from: number; to: number }) => [c.from, c.to])).toEqual(
      Array.from({ length: 10 }, (_, i) => [2 + i, 3 + i]),
    );
  });

  it("with allowOverCapacity and a free seat raises nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    const res = await addParticipant(key, s.id, { ...person(1), allowOverCapacity: true });
    expect(res.body.capacityRaisedBy).toBe(0);
    expect((await readSession(key, s.id)).capacityChanges).toEqual([]);
  });

  it("refuses an address already registered, in another case, with 409 already_registered", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await registered(s.id, { name: "Ada", email: "ada@example.org" });
    const before = await sessionState(key, s.id);
    expectProblem(
      await addParticipant(key, s.id, { name: "Ada", email: "Ada@EXAMPLE.org", allowOverCapacity: true }),
      "already_registered",
    );
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it("refuses a cancelled session with 409 session_cancelled", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await api("POST", `/v1/sessions/${s.id}/cancel`, { key });
    expectProblem(await addParticipant(key, s.id, { ...person(1), allowOverCapacity: true }), "session_cancelled");
  });

  it.each([
    ["a malformed id", "ses_short"],
    ["an unknown id", UNKNOWN_SESSION],
  ])("answers %s with 404", async (_label, id) => {
    const { key } = await newOrg();
    expectProblem(await addParticipant(key, id, person(1)), "session_not_found");
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
  ] as const)("refuses %s and adds no one", async (_label, key, code) => {
    const { key: owner } = await newOrg();
    const s = await newSession(owner);
    expectProblem(await api("POST", `/v1/sessions/${s.id}/registrations`, { key, body: person(1) }), code);
    expect((await sessionState(owner, s.id)).rows).toHaveLength(0);
  });
});

describe("POST /v1/registrations/:id/cancel", () => {
  it("frees the seat and moves exactly the first on the waitlist up", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    const [first] = [await registered(s.id, person(1)), await registered(s.id, person(2))];
    for (let i = 3; i <= 5; i++) await registered(s.id, person(i));
    const res = await api("POST", `/v1/registrations/${first.registration.id}/cancel`, { key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: first.registration.id, status: "cancelled", cancelledAt: expect.any(String) });
    expect(await confirmedAndWaitlist(key, s.id)).toEqual({
      confirmed: ["person2@example.org", "person3@example.org"],
      waitlist: [
        ["person4@example.org", 1],
        ["person5@example.org", 2],
      ],
    });
    expect((await readSession(key, s.id)).seats).toMatchObject({ capacity: 2, confirmed: 2, waitlisted: 2, available: 0 });
  });

  it("takes someone off the waitlist without promoting anyone", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    await registered(s.id, person(1));
    const waiting = await registered(s.id, person(2));
    await registered(s.id, person(3));
    await api("POST", `/v1/registrations/${waiting.registration.id}/cancel`, { key });
    expect(await confirmedAndWaitlist(key, s.id)).toEqual({ confirmed: ["person1@example.org"], waitlist: [["person3@example.org", 1]] });
  });

  it("answers a second cancel with the same cancellation and promotes no one else", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const first = await registered(s.id, person(1));
    for (let i = 2; i <= 3; i++) await registered(s.id, person(i));
    const once = await api("POST", `/v1/registrations/${first.registration.id}/cancel`, { key });
    const twice = await api("POST", `/v1/registrations/${first.registration.id}/cancel`, { key });
    expect(twice.status).toBe(200);
    expect(twice.body.cancelledAt).toBe(once.body.cancelledAt);
    expect(await confirmedAndWaitlist(key, s.id)).toEqual({ confirmed: ["person2@example.org"], waitlist: [["person3@example.org", 1]] });
  });

  it("frees a seat for the public when there is no waitlist", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: false });
    const first = await registered(s.id, person(1));
    expectProblem(await register(s.id, person(2)), "capacity_full");
    await api("POST", `/v1/registrations/${first.registration.id}/cancel`, { key });
    expect((await register(s.id, person(2))).status).toBe(201);
  });

  it.each([
    ["a malformed id", "reg_nope"],
    ["an unknown id in a real session", "reg_00000000000000000000_0000000000"],
  ])("answers %s with 404", async (_label, id) => {
    const { key } = await newOrg();
    expectProblem(await api("POST", `/v1/registrations/${id}/cancel`, { key }), "not_found");
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
  ] as const)("refuses %s and cancels nothing", async (_label, key, code) => {
    const { key: owner } = await newOrg();
    const s = await newSession(owner);
    const r = await registered(s.id, person(1));
    expectProblem(await api("POST", `/v1/registrations/${r.registration.id}/cancel`, { key }), code);
    expect((await sessionState(owner, s.id)).rows[0].status).toBe("confirmed");
  });
});

describe("POST /v1/manage/:token/cancel", () => {
  it("lets the participant cancel with no key, freeing the seat for exactly the first on the waitlist", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const first = await registered(s.id, person(1));
    for (let i = 2; i <= 4; i++) await registered(s.id, person(i));
    const res = await api("POST", `/v1/manage/${first.manageToken}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: first.registration.id, status: "cancelled", cancelledAt: expect.any(String) });
    expect(await confirmedAndWaitlist(key, s.id)).toEqual({
      confirmed: ["person2@example.org"],
      waitlist: [
        ["person3@example.org", 1],
        ["person4@example.org", 2],
      ],
    });
  });

  it("answers a second use of the link with the same cancellation and promotes no one else", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const first = await registered(s.id, person(1));
    for (let i = 2; i <= 3; i++) await registered(s.id, person(i));
    const once = await api("POST", `/v1/manage/${first.manageToken}/cancel`);
    const twice = await api("POST", `/v1/manage/${first.manageToken}/cancel`);
    expect(twice.body).toEqual(once.body);
    expect(await confirmedAndWaitlist(key, s.id)).toEqual({ confirmed: ["person2@example.org"], waitlist: [["person3@example.org", 1]] });
  });

  it("lets someone leave the waitlist with their link", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    await registered(s.id, person(1));
    const waiting = await registered(s.id, person(2));
    expect((await api("POST", `/v1/manage/${waiting.manageToken}/cancel`)).status).toBe(200);
    expect(await confirmedAndWaitlist(key, s.id)).toEqual({ confirmed: ["person1@example.org"], waitlist: [] });
  });

  it.each([
    ["garbage", () => "not-a-token"],
    ["a real session with a wrong secret", (sessionId: string) => `${sessionId}.${"A".repeat(32)}`],
    ["an unknown session", () => `${UNKNOWN_SESSION}.${"A".repeat(32)}`],
    ["a secret too short to be one of ours", (sessionId: string) => `${sessionId}.short`],
  ])("answers %s with 404 and cancels nothing", async (_label, token) => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await registered(s.id, person(1));
    expectProblem(await api("POST", `/v1/manage/${encodeURIComponent(token(s.id))}/cancel`), "not_found");
    expect((await sessionState(key, s.id)).rows[0].status).toBe("confirmed");
  });

  it("does not accept another session's link for this one", async () => {
    const { key } = await newOrg();
    const a = await newSession(key);
    const b = await newSession(key);
    const r = await registered(a.id, person(1));
    const moved = `${b.id}.${r.manageToken.split(".")[1]}`;
    expectProblem(await api("POST", `/v1/manage/${moved}/cancel`), "not_found");
    expect((await sessionState(key, a.id)).rows[0].status).toBe("confirmed");
  });
});
