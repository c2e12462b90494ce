// Providers inviting while the public registers, all at once, on one session: the ledger must
// neither sell a seat twice nor lose one, and every answer must match what it recorded.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, newOrg, newSession, readSession, register, roster } from "./helpers";
import { ledgerStub } from "./invitation-helpers";

// Each kind alone asks for fewer seats than there are, so both kinds must win some: the race is
// mixed by construction, whichever kind reaches the ledger first.
const CAPACITY = 200;
const REQUESTS = 300;

type Answer = { kind: "invitation" | "registration"; status: number; code: string | null; id: string | null };

describe("concurrent invitations and public registrations on one session", () => {
  it(`never exceed the capacity and never lose a seat (${REQUESTS} requests at once for ${CAPACITY} seats)`, async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: CAPACITY, minParticipants: 1, waitlist: false });

    const answers: Answer[] = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i): Promise<Answer> => {
        if (i % 2 === 0) {
          const res = await api("POST", `/v1/sessions/${s.id}/invitations`, {
            key,
            body: { recipients: `invitee${i}@example.org`, holdSeat: true },
          });
          const created = res.status === 201 ? res.body.invitations : null;
          if (created) expect(created, JSON.stringify(res.body)).toHaveLength(1);
          return { kind: "invitation", status: res.status, code: res.body?.code ?? null, id: created?.[0]?.id ?? null };
        }
        const res = await register(s.id, { name: `Walk-in ${i}`, email: `walkin${i}@example.org` });
        return {
          kind: "registration",
          status: res.status,
          code: res.body?.code ?? null,
          id: res.status === 201 ? res.body.registration.id : null,
        };
      }),
    );

    // Every answer is a seat or a clean refusal for want of one.
    const accepted = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.filter((a) => a.status !== 409 || a.code !== "capacity_full")).toEqual([]);
    expect(accepted.every((a) => a.id !== null)).toBe(true);

    // The seats add up: nothing oversold, nothing lost (demand exceeded supply, so all are taken).
    const session = await readSession(key, s.id);
    const { confirmed, held, available, capacity } = session.seats;
    expect(capacity).toBe(CAPACITY);
    expect(session.capacityChanges).toEqual([]);
    expect(confirmed + held).toBeLessThanOrEqual(capacity);
    expect(available).toBe(capacity - confirmed - held);
    expect(confirmed + held).toBe(CAPACITY);
    expect(accepted).toHaveLength(CAPACITY);

    // Every 201 is a row of the roster, and the roster holds nothing else.
    const { rows } = await roster(key, s.id);
    const rowIds = new Set(rows.map((r) => r.id));
    expect(accepted.filter((a) => !rowIds.has(a.id!))).toEqual([]);
    expect(rows).toHaveLength(accepted.length);
    const acceptedInvitations = accepted.filter((a) => a.kind === "invitation");
    const acceptedRegistrations = accepted.filter((a) => a.kind === "registration");
    expect(acceptedInvitations.length).toBeGreaterThanOrEqual(CAPACITY - REQUESTS / 2);
    expect(acceptedRegistrations.length).toBeGreaterThanOrEqual(CAPACITY - REQUESTS / 2);
    expect(
      rows
        .filter((r) => r.kind === "invitation")
        .map((r) => r.id)
        .sort(),
    ).toEqual(acceptedInvitations.map((a) => a.id).sort());
    expect(
      rows
        .filter((r) => r.kind === "registration")
        .map((r) => r.id)
        .sort(),
    ).toEqual(acceptedRegistrations.map((a) => a.id).sort());

    // The counts the session shows are the rows the roster lists.
    expect(rows.filter((r) => r.kind === "registration" && r.status === "confirmed")).toHaveLength(confirmed);
    expect(rows.filter((r) => r.kind === "invitation" && r.status === "sent" && r.source === "invitation_holding_seat")).toHaveLength(held);
    expect(confirmed).toBe(acceptedRegistrations.length);
    expect(held).toBe(acceptedInvitations.length);
    expect(session.registrationState).toBe("full");

    // And the projection, once drained, says the same.
    expect(await ledgerStub(s.id).drain()).toEqual({ pending: 0 });
    const projected = await env.DB.prepare(
      `SELECT confirmed, held, available,
              (SELECT count(*) FROM invitations WHERE session_id = ?1) AS invitations,
              (SELECT count(*) FROM registrations WHERE session_id = ?1) AS registrations
         FROM sessions WHERE id = ?1`,
    )
      .bind(s.id)
      .first();
    expect(projected).toEqual({
      confirmed,
      held,
      available,
      invitations: acceptedInvitations.length,
      registrations: acceptedRegistrations.length,
    });
  });

  it("keeps the count exact when batches of invitations race each other for the last seats", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 50, minParticipants: 1, waitlist: false });
    // 20 requests of 5 addresses each want 100 seats; 10 of them fit, all or nothing each.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, batch) =>
        api("POST", `/v1/sessions/${s.id}/invitations`, {
          key,
          body: { recipients: Array.from({ length: 5 }, (_, i) => `b${batch}-${i}@example.org`) },
        }),
      ),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(10);
    expect(created.every((a) => a.body.invitations.length === 5)).toBe(true);
    for (const refusal of answers.filter((a) => a.status !== 201)) {
      expect(refusal.status).toBe(409);
      expect(refusal.body).toMatchObject({ code: "capacity_full", requested: 5, capacity: 50 });
      expect(refusal.body.available).toBeLessThan(5);
    }
    expect((await readSession(key, s.id)).seats).toMatchObject({ capacity: 50, held: 50, available: 0 });
  });
});
