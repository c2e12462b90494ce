// Declining is not final: the invited person may re-open a declined invitation from the same link
// while the provider has not closed it (cancelled, or past its expiry) and there is something to
// answer (a seat to hold again, or the waitlist). The roster shows it pending again, flagged, and
// the invitation's history records it.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { decideReopen } from "../../worker/invitations/decide";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { manualClock } from "../../worker/time/clock";
import { api, expectProblem, newOrg, newSession, readSession, registered, sessionState } from "./helpers";
import { invited, ledgerStub, linkClient, tokenOf } from "./invitation-helpers";

const reopen = (token: string, ip = linkClient().ip) => api("POST", `/v1/invites/${token}/reopen`, { headers: { "cf-connecting-ip": ip } });

/** A session with one invitation (to ada@example.org) that was declined from its link. */
async function declinedInvitation(session: Record<string, unknown> = {}, invitation: Record<string, unknown> = {}) {
  const { key } = await newOrg();
  const s = await newSession(key, { maxParticipants: 2, minParticipants: 1, ...session });
  const [inv] = (await invited(key, s.id, { recipients: "ada@example.org", ...invitation })).invitations;
  const token = await tokenOf(s.id, inv.id);
  const browser = linkClient();
  expect((await browser.decline(token)).status).toBe(200);
  return { key, s, inv, token, browser };
}

describe("POST /v1/invites/:token/reopen", () => {
  it("re-opens a declined invitation that held a seat: it holds its seat again, the roster shows it, its history says so", async () => {
    const { key, s, inv, token, browser } = await declinedInvitation();
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 0, available: 2 });
    expect((await browser.open(token)).body.invitation).toMatchObject({ status: "declined", reopenable: true });

    const res = await reopen(token, browser.ip);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.invitation).toMatchObject({ status: "sent", holdSeat: true, reopenable: false });
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 1, available: 1 });

    const row = (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.rows.find((r: any) => r.id === inv.id);
    expect(row).toMatchObject({ group: "invitations_sent", status: "sent", source: "invitation_holding_seat", flags: ["reopened"] });
    const history = await api("GET", `/v1/invitations/${inv.id}/history`, { key });
    expect(history.body.events.map((e: { event: string }) => e.event)).toEqual(["created", "sent", "declined", "reopened"]);

    // And it can be answered as before.
    const accepted = await browser.accept(token, { name: "Ada" });
    expect(accepted.status).toBe(201);
    expect(accepted.body.registration.status).toBe("confirmed");
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0, available: 1 });
  });

  it("re-opens without a seat when the seats went to others but the waitlist is open: accepting then joins the waitlist", async () => {
    const { key, s, token, browser } = await declinedInvitation({ maxParticipants: 1 });
    await registered(s.id, { name: "Bob", email: "bob@example.org" });
    const res = await reopen(token, browser.ip);
    expect(res.status).toBe(200);
    expect(res.body.invitation).toMatchObject({ status: "sent", holdSeat: false });
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0, available: 0 });
    const accepted = await browser.accept(token, { name: "Ada" });
    expect(accepted.body.registration).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
  });

  it("refuses with capacity_full when neither a seat nor the waitlist is left, and the link says it cannot be re-opened", async () => {
    const { key, s, token, browser } = await declinedInvitation({ maxParticipants: 1, waitlist: false });
    await registered(s.id, { name: "Bob", email: "bob@example.org" });
    expect((await browser.open(token)).body.invitation).toMatchObject({ status: "declined", reopenable: false });
    const before = await sessionState(key, s.id);
    expectProblem(await reopen(token, browser.ip), "capacity_full");
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it("refuses once the provider closed it (cancelled), and the provider may close a declined one", async () => {
    const { key, inv, token, browser } = await declinedInvitation();
    const cancelled = await api("POST", `/v1/invitations/${inv.id}/cancel`, { key });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expectProblem(await reopen(token, browser.ip), "invitation_cancelled");
  });

  it("refuses after its expiry", async () => {
    const { s, inv, token, browser } = await declinedInvitation({}, { expiresInDays: 1 });
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = manualClock(new Date(Date.parse(inv.expiresAt) + 1_000));
    });
    expect((await browser.open(token)).body.invitation.reopenable).toBe(false);
    expectProblem(await reopen(token, browser.ip), "invitation_expired");
  });

  it("refuses when the address registered since, or has a newer invitation, or the session is cancelled", async () => {
    const registeredSince = await declinedInvitation();
    await registered(registeredSince.s.id, { name: "Ada", email: "ADA@example.org" });
    expectProblem(await reopen(registeredSince.token, registeredSince.browser.ip), "already_registered");

    const invitedAgain = await declinedInvitation();
    await invited(invitedAgain.key, invitedAgain.s.id, { recipients: "ada@example.org" });
    const refused = await reopen(invitedAgain.token, invitedAgain.browser.ip);
    expectProblem(refused, "invalid_transition");
    expect(refused.body.detail).toContain("newer invitation");

    const cancelledSession = await declinedInvitation();
    expect((await api("POST", `/v1/sessions/${cancelledSession.s.id}/cancel`, { key: cancelledSession.key })).status).toBe(200);
    expectProblem(await reopen(cancelledSession.token, cancelledSession.browser.ip), "session_cancelled");
  });

  it("refuses an invitation that is not declined, and a link that is not one", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "open@example.org" })).invitations;
    const refused = await reopen(await tokenOf(s.id, inv.id));
    expectProblem(refused, "invalid_transition");
    expect(refused.body.detail).toContain("sent");
    expectProblem(await reopen(`${s.id}.${"A".repeat(32)}`), "not_found");
  });
});

describe("decideReopen", () => {
  const now = new Date("2026-05-01T12:00:00Z");
  const session = { status: "scheduled" as const, waitlist: true, capacity: 2, endsAt: "2026-06-01T12:00:00Z" };
  const base = {
    invitation: { status: "declined" as const, expiresAt: "2026-05-10T12:00:00Z", holdSeat: true },
    session,
    seats: { capacity: 2, confirmed: 1, held: 0, available: 1, waitlisted: 0, host: 0 },
    registered: false,
    invitedAgain: false,
    now,
  };

  it("holds a seat again when one is free, and keeps a plain invitation plain", () => {
    expect(decideReopen(base as never)).toEqual({ ok: true, value: { holdSeat: true } });
    expect(decideReopen({ ...base, invitation: { ...base.invitation, holdSeat: false } } as never)).toEqual({
      ok: true,
      value: { holdSeat: false },
    });
  });

  it("refuses once the session is over", () => {
    const over = decideReopen({
      ...base,
      now: new Date("2026-06-02T00:00:00Z"),
      invitation: { ...base.invitation, expiresAt: null },
    } as never);
    expect(over.ok || over.error.code).toBe("registration_closed");
  });
});
