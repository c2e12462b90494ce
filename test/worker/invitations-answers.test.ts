// How an invitation gets answered when the invited person does not simply click Accept.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { manualClock } from "../../worker/time/clock";
import { api, expectProblem, hoursFromNow, newOrg, newSession, person, readSession, register } from "./helpers";
import { captureMail, ledgerStub, linkClient, listInvitations, mailSoFar, tokenOf } from "./invitation-helpers";

describe("an invited person who registers on the public page", () => {
  it("answers their invitation, and the seat it held goes back to the public", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 5 });
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } })).body
      .invitations[0];
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 1, available: 4 });
    const res = await register(s.id, { name: "Ada", email: "ADA@example.org" });
    expect(res.body.registration.status).toBe("confirmed");
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0, available: 4 });
    const [after] = await listInvitations(key, s.id);
    expect(after).toMatchObject({ id: inv.id, status: "accepted", registrationId: res.body.registration.id });
    expectProblem(await linkClient().accept(await tokenOf(s.id, inv.id)), "invitation_used");
  });

  it("on the waitlist of a full session, takes the held seat when they follow their link", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } })).body
      .invitations[0];
    await register(s.id, person(1));
    const waiting = await register(s.id, { name: "Ada", email: "ada@example.org" });
    expect(waiting.body.registration).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
    const accepted = await linkClient().accept(await tokenOf(s.id, inv.id));
    expect(accepted.status).toBe(201);
    expect(accepted.body.registration).toMatchObject({ id: waiting.body.registration.id, status: "confirmed" });
    expect((await readSession(key, s.id)).seats).toMatchObject({ capacity: 2, confirmed: 2, held: 0, waitlisted: 0, available: 0 });
    // The old cancel link from the waitlist email was replaced by the one in the confirmation.
    expect((await api("POST", `/v1/manage/${waiting.body.manageToken}/cancel`)).status).toBe(404);
    expect((await api("POST", `/v1/manage/${accepted.body.manageToken}/cancel`)).status).toBe(200);
  });
});

describe("POST /v1/invites/:token/decline", () => {
  it("needs the emailed code when the invitation requires one, so a forwarded link cannot give the seat away", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    const inv = (
      await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org", requireEmailMatch: true } })
    ).body.invitations[0];
    const token = await tokenOf(s.id, inv.id);
    const client = linkClient();
    expectProblem(await client.decline(token), "email_verification_required");
    expect((await listInvitations(key, s.id))[0].status).toBe("sent");
    await client.requestCode(token);
    await ledgerStub(s.id).drain();
    const code = (await mailSoFar(s.id, captured)).find((m) => m.template === "one_time_code").data.code;
    const declined = await api("POST", `/v1/invites/${token}/decline`, { body: { code }, headers: { "cf-connecting-ip": client.ip } });
    expect(declined.body).toEqual({ status: "declined" });
    expect((await readSession(key, s.id)).seats.held).toBe(0);
  });
});

describe("POST /v1/invites/:token/accept after the session", () => {
  it("refuses with registration_closed once the session is over", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { startsAt: hoursFromNow(48), durationMinutes: 60 });
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org", expiresInDays: 30 } }))
      .body.invitations[0];
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = manualClock(hoursFromNow(50));
    });
    expectProblem(await linkClient().accept(await tokenOf(s.id, inv.id)), "registration_closed");
    expect((await listInvitations(key, s.id))[0].status).toBe("sent");
  });
});

describe("POST /v1/sessions/:id/invitations/send with ids", () => {
  it("answers in the order of the ids given", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const created = (
      await api("POST", `/v1/sessions/${s.id}/invitations`, {
        key,
        body: { recipients: "a@example.org b@example.org c@example.org", send: "later" },
      })
    ).body.invitations;
    const ids = [created[2].id, created[0].id, created[1].id];
    const sent = await api("POST", `/v1/sessions/${s.id}/invitations/send`, { key, body: { ids } });
    expect(sent.body.invitations.map((i: any) => i.id)).toEqual(ids);
  });
});
