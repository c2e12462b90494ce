// The invitation state machine through the API: illegal moves are refused and change nothing;
// declining frees the seat for the waitlist; a link is used once; expiry and foreign tokens.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { manualClock } from "../../worker/time/clock";
import { api, expectProblem, newOrg, newSession, readSession, registered, sessionState } from "./helpers";
import { captureMail, invited, ledgerStub, linkClient, listInvitations, mailSoFar, tokenOf } from "./invitation-helpers";

/** A session with one invitation in each status an admin can act on. */
async function sessionWithInvitations() {
  const { key } = await newOrg();
  const s = await newSession(key, { maxParticipants: 10 });
  const [sent, cancelled, accepted, declined] = (
    await invited(key, s.id, { recipients: "sent@example.org cancelled@example.org accepted@example.org declined@example.org" })
  ).invitations;
  const [draft] = (await invited(key, s.id, { recipients: "draft@example.org", send: "later" })).invitations;
  const [scheduled] = (
    await invited(key, s.id, { recipients: "scheduled@example.org", sendAt: new Date(Date.now() + 7 * 86_400_000).toISOString() })
  ).invitations;
  const browser = linkClient();
  expect((await api("POST", `/v1/invitations/${cancelled.id}/cancel`, { key })).status).toBe(200);
  expect((await browser.accept(await tokenOf(s.id, accepted.id), { name: "Accepted" })).status).toBe(201);
  expect((await browser.decline(await tokenOf(s.id, declined.id))).status).toBe(200);
  return {
    key,
    s,
    ids: { sent: sent.id, cancelled: cancelled.id, accepted: accepted.id, declined: declined.id, draft: draft.id, scheduled: scheduled.id },
  };
}

describe("POST /v1/invitations/:id/send · resend · cancel", () => {
  const illegal: [string, "send" | "resend" | "cancel", string][] = [
    ["resends a cancelled one", "resend", "cancelled"],
    ["cancels an accepted one", "cancel", "accepted"],
    ["sends an already sent one", "send", "sent"],
    ["resends a draft", "resend", "draft"],
    ["resends a scheduled one", "resend", "scheduled"],
    ["cancels a cancelled one again", "cancel", "cancelled"],
    ["sends an accepted one", "send", "accepted"],
    ["resends a declined one", "resend", "declined"],
  ];

  it("answers 409 invalid_transition to every illegal move and changes nothing", async () => {
    const { key, s, ids } = await sessionWithInvitations();
    expect(await ledgerStub(s.id).drain()).toEqual({ pending: 0 });
    // The invitation emails already queued are delivered in the background, and their delivery
    // reports change the invitations: let them land before comparing snapshots.
    await expect
      .poll(async () => (await listInvitations(key, s.id)).filter((i: { delivery: string | null }) => i.delivery === "queued").length, {
        timeout: 20_000,
      })
      .toBe(0);
    const captured = await captureMail(s.id);
    for (const [what, action, status] of illegal) {
      const before = { state: await sessionState(key, s.id), invitations: await listInvitations(key, s.id) };
      const res = await api("POST", `/v1/invitations/${ids[status as keyof typeof ids]}/${action}`, { key });
      expectProblem(res, "invalid_transition");
      expect(res.body.detail, what).toContain(status);
      expect({ state: await sessionState(key, s.id), invitations: await listInvitations(key, s.id) }, what).toEqual(before);
    }
    expect(await mailSoFar(s.id, captured)).toEqual([]);
  });

  it("refuses moves on an expired invitation, whose seat is already free", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "late@example.org", expiresInDays: 1 })).invitations;
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = manualClock(new Date(Date.parse(inv.expiresAt) + 1000));
    });
    expect((await readSession(key, s.id)).seats.held).toBe(0);
    for (const action of ["send", "resend", "cancel"]) {
      const res = await api("POST", `/v1/invitations/${inv.id}/${action}`, { key });
      expectProblem(res, "invalid_transition");
      expect(res.body.detail).toContain("expired");
    }
  });

  it("answers 404 for an invitation of another org, and for an id that is not one", async () => {
    const { key } = await newOrg();
    const other = await newOrg("Other org");
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    expectProblem(await api("POST", `/v1/invitations/${inv.id}/cancel`, { key: other.key }), "not_found");
    expectProblem(await api("POST", `/v1/invitations/inv_nope/cancel`, { key }), "not_found");
    expect((await listInvitations(key, s.id))[0].status).toBe("sent");
  });

  it("reports illegal ids in a bulk send and sends the others", async () => {
    const { key, s, ids } = await sessionWithInvitations();
    const [second] = (await invited(key, s.id, { recipients: "second-draft@example.org", send: "later" })).invitations;
    const res = await api("POST", `/v1/sessions/${s.id}/invitations/send`, { key, body: { ids: [ids.draft, ids.sent, second.id] } });
    expect(res.status).toBe(200);
    expect(res.body.invitations.map((i: any) => [i.id, i.status]).sort()).toEqual(
      [
        [ids.draft, "sent"],
        [second.id, "sent"],
      ].sort(),
    );
    expect(res.body.skipped).toEqual([expect.objectContaining({ id: ids.sent, code: "invalid_transition" })]);
  });

  it("sends, without ids, every invitation the roster lists to send: kept and scheduled alike", async () => {
    const { key, s, ids } = await sessionWithInvitations();
    const roster = await api("GET", `/v1/sessions/${s.id}/roster`, { key });
    const toSend = roster.body.rows.filter((r: { group: string }) => r.group === "invitations_to_send").map((r: { id: string }) => r.id);
    expect(toSend.sort()).toEqual([ids.draft, ids.scheduled].sort());
    const res = await api("POST", `/v1/sessions/${s.id}/invitations/send`, { key, body: {} });
    expect(res.status).toBe(200);
    expect(res.body.invitations.map((i: { id: string; status: string }) => [i.id, i.status]).sort()).toEqual(
      toSend.map((id: string) => [id, "sent"]).sort(),
    );
  });
});

describe("POST /v1/invites/:token/decline", () => {
  it("frees the held seat and promotes the first waitlisted registration", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, waitlist: true });
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    const confirmed = await registered(s.id, { name: "First", email: "first@example.org" });
    const second = await registered(s.id, { name: "Second", email: "second@example.org" });
    const third = await registered(s.id, { name: "Third", email: "third@example.org" });
    expect([confirmed, second, third].map((r) => r.registration.status)).toEqual(["confirmed", "waitlisted", "waitlisted"]);
    expect((await readSession(key, s.id)).seats).toMatchObject({ capacity: 2, confirmed: 1, held: 1, available: 0, waitlisted: 2 });

    const captured = await captureMail(s.id);
    const declined = await linkClient().decline(await tokenOf(s.id, inv.id));
    expect(declined.status).toBe(200);
    expect(declined.body).toEqual({ status: "declined" });

    expect((await readSession(key, s.id)).seats).toMatchObject({ capacity: 2, confirmed: 2, held: 0, available: 0, waitlisted: 1 });
    const rows = (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.rows;
    expect(rows.find((r: any) => r.id === second.registration.id)).toMatchObject({ group: "confirmed", status: "confirmed" });
    expect(rows.find((r: any) => r.id === third.registration.id)).toMatchObject({ group: "waitlist", waitlistPosition: 1 });
    expect(rows.find((r: any) => r.id === inv.id)).toMatchObject({ group: "closed", status: "declined" });
    const promoted = (await mailSoFar(s.id, captured)).filter((m) => m.template === "promoted");
    expect(promoted.map((m) => m.to)).toEqual(["second@example.org"]);
  });

  it("gives a freed seat back to the public when nobody waits", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: false });
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    expect((await api("GET", `/v1/public/sessions/${s.id}`)).body).toMatchObject({ seats: { available: 0 }, registrationState: "full" });
    await linkClient().decline(await tokenOf(s.id, inv.id));
    expect((await api("GET", `/v1/public/sessions/${s.id}`)).body).toMatchObject({ seats: { available: 1 }, registrationState: "open" });
  });
});

describe("an invitation link is used once", () => {
  it("refuses a second accept with invitation_used, and a decline after accepting", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    const token = await tokenOf(s.id, inv.id);
    const browser = linkClient();
    const first = await browser.accept(token, { name: "Ada" });
    expect(first.status).toBe(201);
    const after = await sessionState(key, s.id);

    expectProblem(await browser.accept(token, { name: "Ada again" }), "invitation_used");
    expectProblem(await browser.accept(token, { name: "Friend", email: "friend@example.org" }), "invitation_used");
    expectProblem(await browser.decline(token), "invitation_used");
    expect(await sessionState(key, s.id)).toEqual(after);
    expect(after.session.seats).toMatchObject({ confirmed: 1, held: 0 });
    expect((await browser.open(token)).body.invitation.status).toBe("accepted");
  });

  it("refuses to accept after declining", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    const token = await tokenOf(s.id, inv.id);
    const browser = linkClient();
    expect((await browser.decline(token)).status).toBe(200);
    expectProblem(await browser.accept(token, {}), "invitation_used");
    expectProblem(await browser.decline(token), "invitation_used");
    expect((await readSession(key, s.id)).seats.confirmed).toBe(0);
  });

  it("takes exactly one seat when the same link is accepted many times at once", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    const token = await tokenOf(s.id, inv.id);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => linkClient().accept(token, { name: `Tab ${i}` })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((a) => a.status !== 201)) expectProblem(a, "invitation_used");
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0 });
  });
});

describe("a link into a cancelled session", () => {
  it("answers 409 session_cancelled to accept and decline, and registers nobody", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    const token = await tokenOf(s.id, inv.id);
    expect((await api("POST", `/v1/sessions/${s.id}/cancel`, { key })).status).toBe(200);
    const browser = linkClient();
    expectProblem(await browser.accept(token, { name: "Ada" }), "session_cancelled");
    expectProblem(await browser.decline(token), "session_cancelled");
    expect((await browser.open(token)).body.session).toMatchObject({ status: "cancelled", registrationState: "cancelled" });
    expect((await readSession(key, s.id)).seats.confirmed).toBe(0);
  });
});

describe("an expired invitation link", () => {
  it("answers 410 invitation_expired to accept and decline, and shows the invitation as expired", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: false });
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    const token = await tokenOf(s.id, inv.id);
    const stub = ledgerStub(s.id);
    await runInDurableObject(stub, (instance: SessionLedger) => {
      instance.clock = manualClock(new Date(Date.parse(inv.expiresAt) + 1000));
    });
    const browser = linkClient();
    expectProblem(await browser.accept(token, { name: "Ada" }), "invitation_expired");
    expectProblem(await browser.decline(token), "invitation_expired");
    expectProblem(await browser.requestCode(token), "invitation_expired");
    const view = await browser.open(token);
    expect(view.status).toBe(200);
    expect(view.body.invitation.status).toBe("expired");
    // The seat went back to the public the moment the invitation expired, alarm or not.
    expect(view.body.session.seats.available).toBe(1);
    // The refusals above set the alarm to "now"; it may have run already, or runs here.
    await runDurableObjectAlarm(stub);
    const stored = await runInDurableObject(
      stub,
      (_i: SessionLedger, state) => state.storage.sql.exec<{ status: string }>("select status from invitations").one().status,
    );
    expect(stored).toBe("expired");
    expectProblem(await browser.accept(token, { name: "Ada" }), "invitation_expired");
  });

  it("works until the last moment before its expiry", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org", expiresInDays: 2 })).invitations;
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = manualClock(new Date(Date.parse(inv.expiresAt) - 1000));
    });
    expect((await linkClient().accept(await tokenOf(s.id, inv.id), { name: "Ada" })).status).toBe(201);
  });
});

describe("tokens that are not an invitation's", () => {
  it("answers 404 not_found to a mangled token, another session's, a random one and garbage alike", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const other = await newSession(key);
    const [inv] = (await invited(key, s.id, { recipients: "ada@example.org" })).invitations;
    const [otherInv] = (await invited(key, other.id, { recipients: "grace@example.org" })).invitations;
    const token = await tokenOf(s.id, inv.id);
    const secret = token.slice(token.indexOf(".") + 1);
    const flip = (c: string) => (c === "A" ? "B" : "A");
    const randomSecret = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))
      .replaceAll("+", "-")
      .replaceAll("/", "_");
    const otherToken = await tokenOf(other.id, otherInv.id);
    const candidates = {
      mangled: `${s.id}.${flip(secret[0]!)}${secret.slice(1)}`,
      truncated: `${s.id}.${secret.slice(0, -1)}`,
      "secret moved to another session": `${other.id}.${secret}`,
      "another session's secret on this one": `${s.id}.${otherToken.slice(otherToken.indexOf(".") + 1)}`,
      "random secret": `${s.id}.${randomSecret}`,
      "random session": `ses_${"0".repeat(20)}.${randomSecret}`,
      garbage: "not-a-token",
      "session id only": s.id,
    };
    for (const [what, candidate] of Object.entries(candidates)) {
      const browser = linkClient();
      for (const res of [
        await browser.open(candidate),
        await browser.accept(candidate, { name: "X" }),
        await browser.decline(candidate),
        await browser.requestCode(candidate),
      ]) {
        expect(res.status, what).toBe(404);
        expectProblem(res, "not_found");
      }
    }
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 0, held: 1 });
    expect((await listInvitations(key, s.id))[0].status).toBe("sent");
  });

  it("answers 404 to the link of an invitation that is not sent yet", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const [draft] = (await invited(key, s.id, { recipients: "ada@example.org", send: "later" })).invitations;
    const token = await tokenOf(s.id, draft.id);
    const browser = linkClient();
    expectProblem(await browser.open(token), "not_found");
    expectProblem(await browser.accept(token, {}), "not_found");
    expectProblem(await browser.decline(token), "not_found");
  });
});

describe("PATCH /v1/invitations/:id (seed 002: edit the invitation email before sending it)", () => {
  it("changes the words of one still to send, kept or scheduled; its email then carries them; null gives the email's own back", async () => {
    const { key, s, ids } = await sessionWithInvitations();
    const edit = (id: string, body: Record<string, unknown>) => api("PATCH", `/v1/invitations/${id}`, { key, body });
    const res = await edit(ids.draft, { subject: " Your seat at camp ", buttonText: "See it", message: "We kept one for you." });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      status: "draft",
      subject: "Your seat at camp",
      buttonText: "See it",
      message: "We kept one for you.",
    });
    expect((await edit(ids.draft, { buttonText: null })).body).toMatchObject({ subject: "Your seat at camp", buttonText: null });
    expect((await edit(ids.scheduled, { message: "Later, with words" })).body).toMatchObject({
      status: "scheduled",
      message: "Later, with words",
    });

    const captured = await captureMail(s.id);
    expect((await api("POST", `/v1/invitations/${ids.draft}/send`, { key })).status).toBe(200);
    const [mail] = (await mailSoFar(s.id, captured)).filter((m) => m.template === "invitation" && m.to === "draft@example.org");
    expect(mail.data).toMatchObject({ subject: "Your seat at camp", buttonText: null, message: "We kept one for you." });
  });

  it("refuses once the email is out, or the invitation answered or closed, and changes nothing", async () => {
    const { key, s, ids } = await sessionWithInvitations();
    for (const status of ["sent", "accepted", "declined", "cancelled"] as const) {
      const res = await api("PATCH", `/v1/invitations/${ids[status]}`, { key, body: { subject: "Too late" } });
      expectProblem(res, "invalid_transition");
      expect(res.body.detail).toContain(`This invitation is ${status}`);
    }
    const all = await listInvitations(key, s.id);
    expect(all.filter((i) => i.subject === "Too late")).toEqual([]);
  });

  it("refuses an empty change and words too long, and answers 404 to another org", async () => {
    const { key, ids } = await sessionWithInvitations();
    expectProblem(await api("PATCH", `/v1/invitations/${ids.draft}`, { key, body: {} }), "validation_failed");
    expectProblem(await api("PATCH", `/v1/invitations/${ids.draft}`, { key, body: { buttonText: "x".repeat(61) } }), "validation_failed");
    const other = await newOrg("Another camp");
    expectProblem(await api("PATCH", `/v1/invitations/${ids.draft}`, { key: other.key, body: { subject: "Mine now" } }), "not_found");
  });
});
