// A thousand people press "Join" at once: the ledger must never sell more seats than it has.
// The same burst against a ledger that awaits between its check and its write must oversell,
// which proves the assertion (and the burst) can tell the difference.
//
// The requests go through the worker's fetch handler (helpers.ts says why not SELF.fetch) and
// reach the real ledger object through its binding, so the race is the one production has: a
// thousand RPC calls queued at one Durable Object. entrypoint.test.ts runs a smaller burst
// through SELF.fetch.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fail, ok } from "../../worker/errors/problem";
import { randomSecret, sha256Hex } from "../../worker/ids/ids";
import { SessionLedger } from "../../worker/ledger/ledger";
import { addRegistration } from "../../worker/ledger/moves";
import type { LedgerStore } from "../../worker/ledger/store";
import type { PublicRegistrationInput } from "../../worker/registrations/schemas";
import { decidePublicSeat, seatsOf } from "../../worker/sessions/seats";
import { api, expectProjectionMatches, ledger, newOrg, newSession, readSession, register, roster } from "./helpers";

const BURST = 1_000;
const CAPACITY = 50;

type Answer = { status: number; code: string | null; registration: { id: string; status: string; waitlistPosition: number | null } | null };

/** Every registration request at once, through the public HTTP route. */
async function burst(sessionId: string, size = BURST): Promise<{ answers: Answer[]; ms: number }> {
  const started = Date.now();
  const responses = await Promise.all(
    Array.from({ length: size }, (_, i) => register(sessionId, { name: `Camper ${i}`, email: `camper${i}@example.org` })),
  );
  const ms = Date.now() - started;
  return {
    ms,
    answers: responses.map((r) => ({
      status: r.status,
      code: r.status === 201 ? null : r.body.code,
      registration: r.status === 201 ? r.body.registration : null,
    })),
  };
}

/**
 * The seat invariant after a burst, from the answers given and from the ledger itself:
 * exactly `capacity` confirmed, everyone else waitlisted (positions 1..n, each once) or refused
 * with capacity_full, and never a 5xx.
 */
function expectNoOversell(
  answers: Answer[],
  session: { seats: { capacity: number; confirmed: number; waitlisted: number } },
  waitlist: boolean,
) {
  const confirmed = answers.filter((a) => a.registration?.status === "confirmed");
  const waitlisted = answers.filter((a) => a.registration?.status === "waitlisted");
  const full = answers.filter((a) => a.status === 409 && a.code === "capacity_full");
  const rest = answers.length - CAPACITY;

  expect(answers.filter((a) => a.status >= 500)).toEqual([]);
  expect(confirmed.length).toBe(CAPACITY);
  expect(session.seats).toMatchObject({ capacity: CAPACITY, confirmed: CAPACITY, waitlisted: waitlist ? rest : 0 });
  if (waitlist) {
    expect(waitlisted.length).toBe(rest);
    const positions = waitlisted.map((a) => a.registration!.waitlistPosition!).sort((x, y) => x - y);
    expect(positions).toEqual(Array.from({ length: rest }, (_, i) => i + 1));
    expect(full.length).toBe(0);
  } else {
    expect(full.length).toBe(rest);
    expect(waitlisted.length).toBe(0);
  }
}

/**
 * The same rules as the real ledger, but with a timer awaited between the check and the write:
 * the input gate opens there and the other requests get in. Built from the ledger's own storage
 * and seat rules, so only the await differs.
 */
async function naiveRegister(this: any, input: PublicRegistrationInput) {
  const store: LedgerStore = this.store;
  const s = store.sessionRecord();
  if (!s) return fail("not_found");
  const decision = decidePublicSeat(s, seatsOf(s, store.counts()), new Date());
  await scheduler.wait(1);
  if ("refuse" in decision) return fail(decision.refuse);
  const manageToken = `${s.id}.${randomSecret()}`;
  const manage = { salt: "", token: manageToken, secretHash: await sha256Hex(manageToken) };
  const registration = store.transaction(() =>
    addRegistration(
      store,
      {
        name: input.name,
        email: input.email,
        status: decision.take === "waitlist" ? "waitlisted" : "confirmed",
        source: "public",
        answers: null,
        locale: "en",
        manage,
      },
      new Date(),
    ),
  );
  return ok({ registration: store.registrationView(registration), manageToken });
}

const NAIVE = Symbol("naive register");

/**
 * Gives one ledger instance the naive `register` for the length of `run`. RPC calls reach the
 * class's prototype method (not an instance property), so the prototype method is swapped for
 * one that sends only the marked instance to the naive version, and put back afterwards.
 */
async function withNaiveRegister<T>(stub: DurableObjectStub<SessionLedger>, run: () => Promise<T>): Promise<T> {
  const proto = SessionLedger.prototype as any;
  const real = proto.register;
  proto.register = function (this: any, ...args: unknown[]) {
    return (this[NAIVE] ? naiveRegister : real).apply(this, args);
  };
  await runInDurableObject<SessionLedger, void>(stub, (instance: any) => {
    instance[NAIVE] = true;
  });
  try {
    return await run();
  } finally {
    await runInDurableObject<SessionLedger, void>(stub, (instance: any) => {
      delete instance[NAIVE];
    });
    proto.register = real;
  }
}

describe("1,000 concurrent public registrations on a 50-seat session", () => {
  it("confirms exactly 50 and refuses 950 with capacity_full when there is no waitlist", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: CAPACITY, minParticipants: 1, waitlist: false });
    const { answers, ms } = await burst(s.id);
    console.log(`burst without waitlist: ${BURST} registrations in ${ms} ms`);
    expectNoOversell(answers, await readSession(key, s.id), false);
    const { rows } = await roster(key, s.id);
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(CAPACITY);
  });

  it("confirms exactly 50 and waitlists 950 at positions 1..950, then a cancel promotes exactly one", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: CAPACITY, minParticipants: 1, waitlist: true });
    const { answers, ms } = await burst(s.id);
    console.log(`burst with waitlist: ${BURST} registrations in ${ms} ms`);
    expectNoOversell(answers, await readSession(key, s.id), true);

    const first = answers.find((a) => a.registration?.waitlistPosition === 1)!.registration!;
    const leaving = answers.find((a) => a.registration?.status === "confirmed")!.registration!;
    const cancel = await api("POST", `/v1/registrations/${leaving.id}/cancel`, { key });
    expect(cancel.status).toBe(200);

    const after = await roster(key, s.id);
    expect(after.session.seats).toMatchObject({ capacity: CAPACITY, confirmed: CAPACITY, waitlisted: BURST - CAPACITY - 1 });
    const promoted = after.rows.filter(
      (r) => r.status === "confirmed" && answers.some((a) => a.registration?.id === r.id && a.registration?.status === "waitlisted"),
    );
    expect(promoted.map((r) => r.id)).toEqual([first.id]);
    const positions = after.rows.filter((r) => r.group === "waitlist").map((r) => r.waitlistPosition);
    expect(positions).toEqual(Array.from({ length: BURST - CAPACITY - 1 }, (_, i) => i + 1));

    await expectProjectionMatches(key, s.id);
  });
});

describe("races around one seat", () => {
  it("promotes exactly one person when the same registration is cancelled ten times at once, by link and by the provider", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const first = (await register(s.id, { name: "First", email: "first@example.org" })).body;
    for (let i = 0; i < 3; i++) await register(s.id, { name: `Waiting ${i}`, email: `waiting${i}@example.org` });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2
          ? api("POST", `/v1/manage/${first.manageToken}/cancel`)
          : api("POST", `/v1/registrations/${first.registration.id}/cancel`, { key }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const { rows, session } = await roster(key, s.id);
    expect(session.seats).toMatchObject({ capacity: 1, confirmed: 1, waitlisted: 2 });
    expect(rows.filter((r) => r.status === "confirmed").map((r) => r.email)).toEqual(["waiting0@example.org"]);
    expect(rows.filter((r) => r.status === "waitlisted").map((r) => [r.email, r.waitlistPosition])).toEqual([
      ["waiting1@example.org", 1],
      ["waiting2@example.org", 2],
    ]);
  });

  it("never leaves more people confirmed than the capacity when capacity edits race a burst", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 50, minParticipants: 1, waitlist: false });
    const edits = [40, 30, 20, 10, 60, 5];
    const [joins, patches] = await Promise.all([
      burst(s.id, 200),
      Promise.all(edits.map((maxParticipants) => api("PATCH", `/v1/sessions/${s.id}`, { key, body: { maxParticipants } }))),
    ]);
    for (const p of patches) expect([200, 409]).toContain(p.status);
    const session = await readSession(key, s.id);
    const confirmed = joins.answers.filter((a) => a.registration?.status === "confirmed").length;
    expect(session.seats.confirmed).toBe(confirmed);
    expect(confirmed).toBeLessThanOrEqual(session.seats.capacity);
    expect(session.seats.available).toBe(session.seats.capacity - confirmed);
    expect(joins.answers.filter((a) => a.status !== 201 && a.code !== "capacity_full")).toEqual([]);
  });
});

describe("the burst test itself", () => {
  it("catches a ledger that awaits between its check and its write: the same assertion fails", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: CAPACITY, minParticipants: 1, waitlist: false });
    await withNaiveRegister(ledger(s.id), async () => {
      const { answers, ms } = await burst(s.id);
      const session = await readSession(key, s.id);
      console.log(
        `burst against the naive ledger: ${BURST} registrations in ${ms} ms, ${session.seats.confirmed} confirmed for ${CAPACITY} seats`,
      );
      expect(session.seats.confirmed).toBeGreaterThan(CAPACITY);
      expect(() => expectNoOversell(answers, session, false)).toThrow();
    });
  });
});
