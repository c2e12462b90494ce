// The capacity has a maximum (10,000 seats, as on create and edit), and raising it over the
// shortfall (allowOverCapacity) respects it: the provider adding someone, or invitations holding
// seats, are refused with 409 capacity_limit rather than taking the session past it.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import type { LedgerStore } from "../../worker/ledger/store";
import { MAX_CAPACITY } from "../../worker/sessions/rules";
import { decideProviderSeats, seatsOf } from "../../worker/sessions/seats";
import { addParticipant, api, expectProblem, ledger, newOrg, newSession, person, readSession, sessionState } from "./helpers";

/**
 * A session whose seats are all confirmed at `capacity`: the counters are set on the ledger's own
 * store, as thousands of registrations would leave them, without making thousands of requests.
 */
async function fullSessionAt(key: string, capacity: number) {
  const s = await newSession(key, { maxParticipants: capacity, minParticipants: 1 });
  await runInDurableObject(ledger(s.id), (instance: SessionLedger) => {
    const store = (instance as unknown as { store: LedgerStore }).store;
    store.transaction(() => store.patchSession({ confirmedCount: capacity }));
  });
  return s;
}

describe("raising the capacity over the shortfall", () => {
  it("is refused past the maximum by the seat rule itself", () => {
    const policy = {
      capacity: MAX_CAPACITY - 1,
      hostCountsAsParticipant: false,
      waitlist: true,
      status: "scheduled" as const,
      startsAt: "2030-01-01T00:00:00.000Z",
      registrationOpensAt: null,
      registrationClosesAt: null,
    };
    const seats = seatsOf(policy, { confirmed: MAX_CAPACITY - 1, held: 0, waitlisted: 0 });
    expect(decideProviderSeats(policy, seats, 1, true)).toEqual({ ok: true, raiseBy: 1 });
    expect(decideProviderSeats(policy, seats, 2, true)).toEqual({ ok: false, refuse: "capacity_limit" });
  });

  it("refuses the provider adding someone to a full session at the maximum with 409 capacity_limit, and changes nothing", async () => {
    const { key } = await newOrg();
    const s = await fullSessionAt(key, MAX_CAPACITY);
    const before = await sessionState(key, s.id);
    const res = await addParticipant(key, s.id, { ...person(1), allowOverCapacity: true });
    expectProblem(res, "capacity_limit");
    expect(res.body).toMatchObject({ capacity: MAX_CAPACITY, maxCapacity: MAX_CAPACITY, requested: 1 });
    expect(await sessionState(key, s.id)).toEqual(before);
    expect((await readSession(key, s.id)).capacityChanges).toEqual([]);
  });

  it("refuses invitations holding seats that would raise the capacity past the maximum, and creates none", async () => {
    const { key } = await newOrg();
    const s = await fullSessionAt(key, MAX_CAPACITY - 2);
    const before = await sessionState(key, s.id);
    const res = await api("POST", `/v1/sessions/${s.id}/invitations`, {
      key,
      body: { recipients: "a@example.org, b@example.org, c@example.org", allowOverCapacity: true },
    });
    expectProblem(res, "capacity_limit");
    expect(await sessionState(key, s.id)).toEqual(before);
    // Up to the maximum is still fine.
    const two = await api("POST", `/v1/sessions/${s.id}/invitations`, {
      key,
      body: { recipients: "a@example.org, b@example.org", allowOverCapacity: true },
    });
    expect(two.status, JSON.stringify(two.body)).toBe(201);
    expect((await readSession(key, s.id)).seats.capacity).toBe(MAX_CAPACITY);
  });
});
