// The behaviours providers expect, one seed article at a time, end to end through the API.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { manualClock } from "../../worker/time/clock";
import { api, hoursFromNow, newOrg, newSession, person, register } from "./helpers";
import { ledgerStub, tokenOf } from "./invitation-helpers";

const DAY = 24 * 3_600_000;

describe("seed 000: holding seats with exclusive invitations", () => {
  it("holds a seat in an open session, removing it from public availability", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 3 });
    await api("POST", "/v1/discount-codes", { key, body: { code: "SCHOLAR", percentOff: 50 } });
    const res = await api("POST", `/v1/sessions/${s.id}/invitations`, {
      key,
      body: { recipients: "ada@example.org", discountCode: "SCHOLAR" },
    });
    expect(res.status).toBe(201);
    expect(res.body.invitations[0]).toMatchObject({
      email: "ada@example.org",
      status: "sent",
      holdSeat: true,
      discountCode: "SCHOLAR",
      sendCount: 1,
    });
    expect(res.body.seats).toMatchObject({ capacity: 3, held: 1, available: 2 });
    const pub = await api("GET", `/v1/public/sessions/${s.id}`);
    expect(pub.body.seats.available).toBe(2);
  });

  it("invites before registration opens, and the invited person can accept while the public cannot register", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { registrationOpensAt: hoursFromNow(24 * 7) });
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: ["grace@example.org"] } })).body
      .invitations[0];
    expect((await register(s.id, person(1))).body.code).toBe("registration_not_open");
    const token = await tokenOf(s.id, inv.id);
    const accepted = await api("POST", `/v1/invites/${token}/accept`, { body: { name: "Grace Hopper" } });
    expect(accepted.status).toBe(201);
    expect(accepted.body.registration).toMatchObject({ status: "confirmed", email: "grace@example.org", discountCode: null });
  });

  it("refuses to invite into a full session without the confirmation, and raises capacity by exactly one with it", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, waitlist: false });
    await register(s.id, person(1));
    await register(s.id, person(2));
    const refused = await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "scholar@example.org" } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: "capacity_full", capacity: 2, available: 0, requested: 1 });
    expect((await api("GET", `/v1/sessions/${s.id}/invitations`, { key })).body.invitations).toHaveLength(0);

    const raised = await api("POST", `/v1/sessions/${s.id}/invitations`, {
      key,
      body: { recipients: "scholar@example.org", allowOverCapacity: true },
    });
    expect(raised.status).toBe(201);
    expect(raised.body.capacityRaisedBy).toBe(1);
    expect(raised.body.seats).toMatchObject({ capacity: 3, confirmed: 2, held: 1, available: 0 });
    const session = (await api("GET", `/v1/sessions/${s.id}`, { key })).body;
    expect(session.capacityChanges).toEqual([expect.objectContaining({ from: 2, to: 3, actor: expect.stringMatching(/^key:/) })]);
    // The invited person takes the held seat even though the session is full to the public.
    const token = await tokenOf(s.id, raised.body.invitations[0].id);
    const accepted = await api("POST", `/v1/invites/${token}/accept`, { body: { name: "Scholar" } });
    expect(accepted.body.registration.status).toBe("confirmed");
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.seats).toMatchObject({
      capacity: 3,
      confirmed: 3,
      held: 0,
      available: 0,
    });
  });

  it("resends the same link, and cancelling frees the seat for the public", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: false });
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } })).body
      .invitations[0];
    const token = await tokenOf(s.id, inv.id);
    expect((await register(s.id, person(1))).body.code).toBe("capacity_full");
    const resent = await api("POST", `/v1/invitations/${inv.id}/resend`, { key });
    expect(resent.body).toMatchObject({ status: "sent", sendCount: 2 });
    expect(await tokenOf(s.id, inv.id)).toBe(token);
    const cancelled = await api("POST", `/v1/invitations/${inv.id}/cancel`, { key });
    expect(cancelled.body.status).toBe("cancelled");
    expect((await register(s.id, person(1))).status).toBe(201);
    expect((await api("GET", `/v1/invites/${token}`)).body.invitation.status).toBe("cancelled");
    expect((await api("POST", `/v1/invites/${token}/accept`, { body: {} })).body.code).toBe("invitation_cancelled");
  });

  it("flags a registration made through a forwarded link with another email", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } })).body
      .invitations[0];
    const token = await tokenOf(s.id, inv.id);
    await api("POST", `/v1/invites/${token}/accept`, { body: { name: "Friend", email: "friend@example.org" } });
    const roster = (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body;
    expect(roster.rows).toEqual([
      expect.objectContaining({
        email: "friend@example.org",
        invitedEmail: "ada@example.org",
        flags: ["email_mismatch"],
        group: "confirmed",
      }),
    ]);
  });
});

describe("seed 001: plain invitations that do not make the session exclusive", () => {
  it("leaves seats public, so others can still book, and a late invitee goes to the waitlist", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, hostCountsAsParticipant: true });
    const inv = (
      await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "mentee@example.org", holdSeat: false } })
    ).body;
    expect(inv.seats).toMatchObject({ capacity: 2, host: 1, held: 0, available: 1 });
    expect((await register(s.id, person(1))).body.registration.status).toBe("confirmed");
    const token = await tokenOf(s.id, inv.invitations[0].id);
    const late = await api("POST", `/v1/invites/${token}/accept`, { body: { name: "Mentee" } });
    expect(late.status).toBe(201);
    expect(late.body.registration).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
  });
});

describe("seed 002: two hundred pasted addresses, sent later, pending then expired", () => {
  it("refuses a paste with invalid addresses, listing every one with its position, and creates nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 500 });
    const list = Array.from({ length: 200 }, (_, i) => `person${i}@example.org`);
    list[3] = "not-an-address";
    list[150] = "a@b@c.org";
    const res = await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: list.join(", ") } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("invalid_emails");
    expect(res.body.errors).toEqual([
      { entry: "not-an-address", position: 4, problem: "no_at" },
      { entry: "a@b@c.org", position: 151, problem: "several_at" },
    ]);
    expect((await api("GET", `/v1/sessions/${s.id}/invitations`, { key })).body.invitations).toHaveLength(0);
  });

  it("keeps 200 invitations to send, sends them all, shows them pending, and expires them after 14 days", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 300, startsAt: hoursFromNow(24 * 60) });
    const pasted = Array.from({ length: 200 }, (_, i) => `Client ${i} <client${i}@example.org>`).join("\n");
    const created = await api("POST", `/v1/sessions/${s.id}/invitations`, {
      key,
      body: { recipients: pasted, send: "later", subject: "Join our programme", buttonText: "Accept" },
    });
    expect(created.status).toBe(201);
    expect(created.body.invitations).toHaveLength(200);
    expect(created.body.invitations.every((i: any) => i.status === "draft" && i.name?.startsWith("Client "))).toBe(true);
    expect(created.body.seats.held).toBe(200);

    const sent = await api("POST", `/v1/sessions/${s.id}/invitations/send`, { key, body: {} });
    expect(sent.body.invitations).toHaveLength(200);
    expect(sent.body.skipped).toEqual([]);
    const pending = (await api("GET", `/v1/sessions/${s.id}/invitations?status=sent`, { key })).body.invitations;
    expect(pending).toHaveLength(200);
    const expiresAt = Date.parse(pending[0].expiresAt);
    expect(Math.abs(expiresAt - (Date.parse(pending[0].sentAt) + 14 * DAY))).toBeLessThan(1000);

    const stub = ledgerStub(s.id);
    await runInDurableObject(stub, (instance: SessionLedger) => {
      instance.clock = manualClock(new Date(expiresAt + 1000));
    });
    // A read never shows an expired invitation as live, even before the alarm has run.
    const read = (await api("GET", `/v1/sessions/${s.id}/invitations?status=expired`, { key })).body.invitations;
    expect(read).toHaveLength(200);
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.seats).toMatchObject({ held: 0, available: 300 });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await stub.drain();
    const roster = (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body;
    expect(roster.rows.filter((r: any) => r.group === "closed" && r.status === "expired")).toHaveLength(200);
  });
});

describe("seed 003: invitations sent on a later date", () => {
  it("schedules the send and the ledger's alarm sends them then", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { startsAt: hoursFromNow(24 * 60) });
    const sendAt = hoursFromNow(24 * 10);
    const created = await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "trainee@example.org", sendAt } });
    expect(created.body.invitations[0]).toMatchObject({ status: "scheduled", sentAt: null });
    const stub = ledgerStub(s.id);
    await runInDurableObject(stub, (instance: SessionLedger) => {
      instance.clock = manualClock(new Date(Date.parse(sendAt) + 1000));
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [inv] = (await api("GET", `/v1/sessions/${s.id}/invitations`, { key })).body.invitations;
    expect(inv).toMatchObject({ status: "sent", sendCount: 1 });
  });
});

describe("seed 004: to send → send all → sent → resend all", () => {
  it("moves every invitation through the two buttons and refuses illegal moves", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 20 });
    const created = await api("POST", `/v1/sessions/${s.id}/invitations`, {
      key,
      body: { recipients: "a@example.org b@example.org; c@example.org", send: "later" },
    });
    expect(created.body.invitations.map((i: any) => i.status)).toEqual(["draft", "draft", "draft"]);
    const roster1 = (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.rows;
    expect(roster1.every((r: any) => r.group === "invitations_to_send")).toBe(true);

    expect((await api("POST", `/v1/sessions/${s.id}/invitations/send`, { key, body: {} })).body.invitations).toHaveLength(3);
    const roster2 = (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.rows;
    expect(roster2.every((r: any) => r.group === "invitations_sent" && r.delivery === "queued")).toBe(true);

    const resent = await api("POST", `/v1/sessions/${s.id}/invitations/resend`, { key, body: {} });
    expect(resent.body.invitations.map((i: any) => i.sendCount)).toEqual([2, 2, 2]);

    const first = created.body.invitations[0];
    await api("POST", `/v1/invitations/${first.id}/cancel`, { key });
    const illegal = await api("POST", `/v1/invitations/${first.id}/resend`, { key });
    expect(illegal.status).toBe(409);
    expect(illegal.body.code).toBe("invalid_transition");
    const again = (await api("GET", `/v1/sessions/${s.id}/invitations`, { key })).body.invitations.find((i: any) => i.id === first.id);
    expect(again).toMatchObject({ status: "cancelled", sendCount: 2 });
  });
});
