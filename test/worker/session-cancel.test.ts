// Cancelling a session closes everything still open in it: every invitation not yet answered is
// cancelled (whoever already got one is told, naming the organisation and the session), every
// registration is cancelled by the system (each person is told, and nobody moves up from the
// waitlist), and nothing is sent for it afterwards.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { renderMail } from "../../worker/email/render";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { manualClock } from "../../worker/time/clock";
import { api, expectProblem, hoursFromNow, newOrg, newSession, person, readSession, registered } from "./helpers";
import { captureMail, invited, ledgerStub, listInvitations, mailSoFar, tokenOf } from "./invitation-helpers";

const cancelSession = (key: string, sessionId: string) => api("POST", `/v1/sessions/${sessionId}/cancel`, { key });

/**
 * A session with one invitation in each open status, one answered, and people registered. Its
 * mail is captured from the start: none of it reaches the queue other test files share.
 */
async function busySession() {
  const { key } = await newOrg("Riverside Swim Club");
  const s = await newSession(key, { title: "Beginner swim", maxParticipants: 6, minParticipants: 1 });
  const captured = await captureMail(s.id);
  const [draft] = (await invited(key, s.id, { recipients: "draft@example.org", send: "later" })).invitations;
  const [scheduled] = (await invited(key, s.id, { recipients: "scheduled@example.org", sendAt: hoursFromNow(24) })).invitations;
  const [sent] = (await invited(key, s.id, { recipients: "Grace <sent@example.org>", locale: "fr" })).invitations;
  const [plain] = (await invited(key, s.id, { recipients: "plain@example.org", holdSeat: false })).invitations;
  const [answered] = (await invited(key, s.id, { recipients: "answered@example.org" })).invitations;
  const answer = await api("POST", `/v1/invites/${await tokenOf(s.id, answered.id)}/accept`, { body: { name: "Alan" } });
  expect(answer.status).toBe(201);
  await registered(s.id, person(1));
  await ledgerStub(s.id).drain();
  captured.length = 0;
  return { key, s, draft, scheduled, sent, plain, answered, captured };
}

describe("POST /v1/sessions/:id/cancel", () => {
  it("cancels every invitation still open and frees the seats they held; an answered one stays as it was", async () => {
    const { key, s, draft, scheduled, sent, plain, answered } = await busySession();
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 3, confirmed: 2 });
    expect((await cancelSession(key, s.id)).status).toBe(200);
    const statuses = Object.fromEntries((await listInvitations(key, s.id)).map((i) => [i.id, i.status]));
    expect(statuses).toEqual({
      [draft.id]: "cancelled",
      [scheduled.id]: "cancelled",
      [sent.id]: "cancelled",
      [plain.id]: "cancelled",
      [answered.id]: "accepted",
    });
    expect((await readSession(key, s.id)).seats).toMatchObject({ held: 0 });
  });

  it("tells those who got an invitation, naming the organisation and the session, in their language; not those who never got one", async () => {
    const { key, s, sent, plain, captured } = await busySession();
    await cancelSession(key, s.id);
    const told = (await mailSoFar(s.id, captured)).filter((m) => m.template === "invitation_session_cancelled");
    expect(told.map((m) => [m.to, m.invitationId, m.locale]).sort()).toEqual(
      [
        ["plain@example.org", plain.id, "en"],
        ["sent@example.org", sent.id, "fr"],
      ].sort(),
    );
    const fr = renderMail(told.find((m) => m.to === "sent@example.org"));
    expect(fr.subject).toBe("Séance annulée : Beginner swim (Riverside Swim Club)");
    expect(fr.text).toContain("Bonjour Grace,");
    expect(fr.text).toContain("Riverside Swim Club a annulé Beginner swim");
    const en = renderMail(told.find((m) => m.to === "plain@example.org"));
    expect(en.subject).toBe("Cancelled: Beginner swim (Riverside Swim Club)");
    expect(en.text).toContain("Riverside Swim Club has cancelled Beginner swim");
    expect(en.text).toContain("The invitation you received no longer works");
  });

  it("cancels every registration as the system's doing, tells each person, and moves nobody up from the waitlist", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const captured = await captureMail(s.id);
    const seated = await registered(s.id, person(1));
    const waiting = await registered(s.id, person(2));
    expect(waiting.registration.status).toBe("waitlisted");
    await ledgerStub(s.id).drain();
    captured.length = 0;
    const res = await cancelSession(key, s.id);
    expect(res.body.seats).toMatchObject({ confirmed: 0, waitlisted: 0 });
    const rows = await runInDurableObject(ledgerStub(s.id), (_instance: SessionLedger, state) =>
      state.storage.sql
        .exec<{ id: string; status: string; cancelled_by: string }>("select id, status, cancelled_by from registrations")
        .toArray(),
    );
    expect(rows.map((r) => ({ ...r })).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(
      [
        { id: seated.registration.id, status: "cancelled", cancelled_by: "system" },
        { id: waiting.registration.id, status: "cancelled", cancelled_by: "system" },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    const mail = await mailSoFar(s.id, captured);
    expect(mail.map((m) => [m.template, m.to]).sort()).toEqual([
      ["session_cancelled", "person1@example.org"],
      ["session_cancelled", "person2@example.org"],
    ]);
    const projected = await env.DB.prepare("SELECT status FROM registrations WHERE session_id = ?").bind(s.id).all<{ status: string }>();
    expect(projected.results.map((r) => r.status)).toEqual(["cancelled", "cancelled"]);
  });

  it("sends nothing more when asked to cancel again", async () => {
    const { key, s, captured } = await busySession();
    await cancelSession(key, s.id);
    const before = (await mailSoFar(s.id, captured)).length;
    const again = await cancelSession(key, s.id);
    expect(again.status).toBe(200);
    expect((await mailSoFar(s.id, captured)).length).toBe(before);
  });

  it("never sends the scheduled invitation when its time comes", async () => {
    const { key, s, scheduled, captured } = await busySession();
    await cancelSession(key, s.id);
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = manualClock(hoursFromNow(25));
    });
    await runDurableObjectAlarm(ledgerStub(s.id));
    const invitations = (await mailSoFar(s.id, captured)).filter((m) => m.template === "invitation");
    expect(invitations).toEqual([]);
    expect((await listInvitations(key, s.id)).find((i) => i.id === scheduled.id).status).toBe("cancelled");
  });
});

describe("sending in a cancelled session", () => {
  it("answers 409 session_cancelled to send, resend and the bulk buttons, and sends nothing", async () => {
    const { key, s, draft, sent, captured } = await busySession();
    await cancelSession(key, s.id);
    const before = (await mailSoFar(s.id, captured)).length;
    for (const res of [
      await api("POST", `/v1/invitations/${draft.id}/send`, { key }),
      await api("POST", `/v1/invitations/${sent.id}/resend`, { key }),
      await api("POST", `/v1/sessions/${s.id}/invitations/send`, { key, body: {} }),
      await api("POST", `/v1/sessions/${s.id}/invitations/resend`, { key, body: {} }),
      await api("POST", `/v1/sessions/${s.id}/invitations/send`, { key, body: { ids: [draft.id] } }),
    ])
      expectProblem(res, "session_cancelled");
    expect((await mailSoFar(s.id, captured)).length).toBe(before);
  });

  it("refuses to send what a session cancelled before this rule left open, and the alarm sends none of it", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    const [draft] = (await invited(key, s.id, { recipients: "draft@example.org", send: "later" })).invitations;
    const [sent] = (await invited(key, s.id, { recipients: "sent@example.org" })).invitations;
    const [scheduled] = (await invited(key, s.id, { recipients: "scheduled@example.org", sendAt: hoursFromNow(1) })).invitations;
    // A ledger whose session was cancelled while its invitations stayed open (the row written
    // behind the ledger's back, so the copy it keeps in memory is dropped too).
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger, state) => {
      state.storage.sql.exec("update session set status = 'cancelled', cancelled_at = ?", new Date().toISOString());
      (instance as unknown as { store: { session: unknown } }).store.session = undefined;
    });
    await ledgerStub(s.id).drain();
    captured.length = 0;
    expectProblem(await api("POST", `/v1/invitations/${draft.id}/send`, { key }), "session_cancelled");
    expectProblem(await api("POST", `/v1/invitations/${sent.id}/resend`, { key }), "session_cancelled");
    expectProblem(await api("POST", `/v1/sessions/${s.id}/invitations/send`, { key, body: {} }), "session_cancelled");
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = manualClock(hoursFromNow(2));
    });
    await runDurableObjectAlarm(ledgerStub(s.id));
    expect((await mailSoFar(s.id, captured)).filter((m) => m.template === "invitation")).toEqual([]);
    expect((await listInvitations(key, s.id)).find((i) => i.id === scheduled.id).status).toBe("scheduled");
  });
});

describe("the email telling an invited person the session is cancelled", () => {
  const message = (orgName: string, locale: "en" | "fr" = "en") =>
    renderMail({
      id: "msg_cancelled",
      template: "invitation_session_cancelled",
      to: "ada@example.org",
      locale,
      sessionId: "ses_0h4k8m2q9rvt3x7c1a5d",
      data: {
        name: null,
        sessionTitle: "Forest <camp>",
        startsAt: "2026-06-01T07:00:00.000Z",
        durationMinutes: 180,
        timeZone: "Europe/Paris",
        baseUrl: "https://rollcall.test",
        orgName,
      },
    });

  it("escapes what the organisation wrote, keeps it on one line, and gives the time in the session's zone", () => {
    const mail = message('Club "<b>Nord</b>"\r\nBcc: x@example.org');
    expect(mail.html).not.toContain("<b>Nord</b>");
    expect(mail.html).toContain("&lt;b&gt;Nord&lt;/b&gt;");
    expect(mail.html).toContain("Forest &lt;camp&gt;");
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toMatch(/9:00\sAM\s–\s12:00\sPM \(Europe\/Paris/);
  });

  it("says who cancelled without a name when the organisation has none, in both languages", () => {
    expect(message("").subject).toBe("Cancelled: Forest <camp>");
    expect(message("").text).toContain("The organiser has cancelled Forest <camp>.");
    expect(message("", "fr").text).toContain("L’organisateur a annulé Forest <camp>.");
  });
});
