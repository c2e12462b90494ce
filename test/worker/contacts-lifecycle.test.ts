// A contact's life beyond the directory: erasing it reaches every session's roster; deactivating
// it (now through PATCH, or at its deactivateAt through the hourly scheduled handler) closes what
// its address has open in the org's sessions and keeps its history.
import { createScheduledController, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { deactivationDue, deactivationMoves } from "../../worker/contacts/deactivation";
import worker from "../../worker/index";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { manualClock, systemClock } from "../../worker/time/clock";
import { browse, signedInOwner, submit } from "./admin-helpers";
import { api, expectProblem, hoursFromNow, ledger, newOrg, newSession, readSession, registered, roster } from "./helpers";
import { captureMail, invited } from "./invitation-helpers";

const ADA = "ada@example.org";
const at = new Date("2027-03-01T10:00:00.000Z");

describe("deactivationDue", () => {
  it("is due for an active contact once its date has come, never for one without a date or already deactivated", () => {
    expect(deactivationDue({ status: "active", deactivateAt: "2027-03-01T10:00:00.000Z" }, at)).toBe(true);
    expect(deactivationDue({ status: "active", deactivateAt: "2027-03-01T10:00:00.001Z" }, at)).toBe(false);
    expect(deactivationDue({ status: "active", deactivateAt: null }, at)).toBe(false);
    expect(deactivationDue({ status: "deactivated", deactivateAt: "2027-01-01T00:00:00.000Z" }, at)).toBe(false);
  });
});

describe("deactivationMoves", () => {
  const inv = (id: string, status: string, expiresAt: string | null = null) => ({ id, status, expiresAt }) as any;
  const reg = (id: string, status: string) => ({ id, status }) as any;
  const upcoming = { status: "scheduled" as const, startsAt: "2027-03-02T10:00:00.000Z", endsAt: "2027-03-02T13:00:00.000Z" };
  const invitations = [
    inv("draft", "draft"),
    inv("scheduled", "scheduled"),
    inv("sent", "sent", "2027-03-10T00:00:00.000Z"),
    inv("lapsed", "sent", "2027-02-28T00:00:00.000Z"),
    inv("accepted", "accepted"),
    inv("declined", "declined"),
    inv("cancelled", "cancelled"),
  ];
  const registrations = [
    reg("seat", "confirmed"),
    reg("line", "waitlisted"),
    reg("hold", "pending_confirmation"),
    reg("gone", "cancelled"),
  ];
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

  it("cancels pending invitations (telling only those sent) and live registrations of a session not yet started", () => {
    const moves = deactivationMoves({ session: upcoming, invitations, registrations, now: at });
    expect(ids(moves.cancelInvitations)).toEqual(["draft", "scheduled", "sent"]);
    expect(ids(moves.tell)).toEqual(["sent"]);
    expect(ids(moves.cancelRegistrations)).toEqual(["seat", "line", "hold"]);
  });

  it("keeps registrations of a session under way, and closes only its pending invitations", () => {
    const started = { ...upcoming, startsAt: "2027-03-01T09:00:00.000Z", endsAt: "2027-03-01T12:00:00.000Z" };
    const moves = deactivationMoves({ session: started, invitations, registrations, now: at });
    expect(ids(moves.cancelRegistrations)).toEqual([]);
    expect(ids(moves.cancelInvitations)).toEqual(["draft", "scheduled", "sent"]);
  });

  it("leaves a session that ended, or was cancelled, as it is", () => {
    const ended = { ...upcoming, startsAt: "2027-02-01T09:00:00.000Z", endsAt: "2027-02-01T12:00:00.000Z" };
    const cancelled = { ...upcoming, status: "cancelled" as const };
    for (const session of [ended, cancelled])
      expect(deactivationMoves({ session, invitations, registrations, now: at })).toEqual({
        cancelInvitations: [],
        tell: [],
        cancelRegistrations: [],
      });
  });

  it("moves nothing the second time: what it cancelled is no longer open", () => {
    const first = deactivationMoves({ session: upcoming, invitations, registrations, now: at });
    const after = {
      invitations: invitations.map((i) => (first.cancelInvitations.includes(i) ? { ...i, status: "cancelled" } : i)),
      registrations: registrations.map((r) => (first.cancelRegistrations.includes(r) ? { ...r, status: "cancelled" } : r)),
    };
    const second = deactivationMoves({ session: upcoming, ...after, now: at });
    expect([second.cancelInvitations, second.cancelRegistrations]).toEqual([[], []]);
  });
});

/** A session whose mail lands in an array. */
async function quietSession(key: string, overrides: Record<string, unknown> = {}) {
  const s = await newSession(key, overrides);
  const mail = await captureMail(s.id);
  return { id: s.id as string, mail };
}

const rowOf = async (key: string, sessionId: string, id: string) => (await roster(key, sessionId)).rows.find((r) => r.id === id);

describe("DELETE /v1/contacts/{id}", () => {
  /** Ada: a contact registered in two sessions and invited (holding a seat) in a third. */
  async function adaEverywhere() {
    const { key } = await newOrg();
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: ADA, firstName: "Ada", lastName: "Lovelace" } })).body;
    const [one, two, three] = [await quietSession(key), await quietSession(key), await quietSession(key)];
    const r1 = (await registered(one.id, { name: "Ada Lovelace", email: ADA })).registration;
    const r2 = (await registered(two.id, { name: "Ada Lovelace", email: "Ada@Example.org" })).registration;
    await registered(two.id, { name: "Bob Stone", email: "bob@example.org" });
    const i3 = (await invited(key, three.id, { recipients: `Ada Lovelace <${ADA}>` })).invitations[0];
    for (const s of [one, two, three]) await ledger(s.id).drain();
    return { key, contact, sessions: [one.id, two.id, three.id], rows: [r1.id, r2.id, i3.id] };
  }

  it("erases the contact's address from every session's roster, keeping the counts, then the contact", async () => {
    const { key, contact, sessions, rows } = await adaEverywhere();
    const seatsBefore = await Promise.all(sessions.map(async (id) => (await readSession(key, id)).seats));

    const res = await api("DELETE", `/v1/contacts/${contact.id}`, { key });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const [i, id] of sessions.entries())
      expect(await rowOf(key, id, rows[i]!)).toMatchObject({ name: "", email: "", flags: ["erased"] });
    expect(await rowOf(key, sessions[0]!, rows[0]!)).toMatchObject({ status: "confirmed" });
    expect((await roster(key, sessions[1]!)).rows.find((r) => r.name === "Bob Stone")).toMatchObject({ email: "bob@example.org" });
    // Registrations keep their seats; the invitation Ada never answered gives its held seat back.
    expect((await readSession(key, sessions[0]!)).seats).toEqual(seatsBefore[0]);
    expect((await readSession(key, sessions[1]!)).seats).toEqual(seatsBefore[1]);
    expect((await readSession(key, sessions[2]!)).seats).toMatchObject({
      held: seatsBefore[2].held - 1,
      available: seatsBefore[2].available + 1,
    });
    expectProblem(await api("GET", `/v1/contacts/${contact.id}`, { key }), "not_found");
  });

  it("leaves the contact whole when a ledger fails, and a retry finishes the erasure", async () => {
    const { key, contact, sessions, rows } = await adaEverywhere();
    // The third session's ledger throws at every change, as a ledger out of reach would.
    await runInDurableObject(ledger(sessions[2]!), (instance: SessionLedger) => {
      instance.clock = {
        now: () => {
          throw new Error("ledger out of reach");
        },
      };
    });
    const errors = console.error;
    console.error = () => {};
    try {
      const failed = await api("DELETE", `/v1/contacts/${contact.id}`, { key });
      expect(failed.status).toBeGreaterThanOrEqual(500);
    } finally {
      console.error = errors;
    }
    await runInDurableObject(ledger(sessions[2]!), (instance: SessionLedger) => {
      instance.clock = systemClock;
    });
    expect((await api("GET", `/v1/contacts/${contact.id}`, { key })).body).toMatchObject({ email: ADA, firstName: "Ada" });
    expect(await rowOf(key, sessions[2]!, rows[2]!)).toMatchObject({ email: ADA });

    expect((await api("DELETE", `/v1/contacts/${contact.id}`, { key })).status).toBe(200);
    for (const [i, id] of sessions.entries()) expect(await rowOf(key, id, rows[i]!)).toMatchObject({ email: "", flags: ["erased"] });
    expectProblem(await api("GET", `/v1/contacts/${contact.id}`, { key }), "not_found");
  });
});

/** Fires the worker's cron handler as the platform would, at `when`; returns the deactivation report it logs. */
async function runScheduled(when: Date) {
  const logged: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  try {
    await worker.scheduled(createScheduledController({ scheduledTime: when, cron: "17 * * * *" }), env);
  } finally {
    console.log = log;
  }
  const line = logged.find((l) => l.startsWith("contact deactivation "));
  return JSON.parse(line!.slice("contact deactivation ".length)) as {
    contacts: number;
    invitationsCancelled: number;
    registrationsCancelled: number;
    failed: number;
  };
}

/**
 * Ada, a contact in a group, with: a seat in an upcoming session that has Bob waiting; a sent
 * invitation holding a seat and a draft one in two more; a seat in a session under way; an
 * invitation she accepted (her seat) in a last one. Grace, another contact, is in two of them.
 */
async function adaWithHistory(deactivateAt: string | null) {
  const { key } = await newOrg();
  const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort" } })).body;
  const contact = (await api("POST", "/v1/contacts", { key, body: { email: ADA, firstName: "Ada", groups: [group.id], deactivateAt } }))
    .body;
  const grace = (await api("POST", "/v1/contacts", { key, body: { email: "grace@example.org", groups: [group.id] } })).body;
  const full = await quietSession(key, { maxParticipants: 1, minParticipants: 1 });
  const ada = (await registered(full.id, { name: "Ada Lovelace", email: ADA })).registration;
  const bob = (await registered(full.id, { name: "Bob Stone", email: "bob@example.org" })).registration;
  const held = await quietSession(key, { maxParticipants: 2 });
  const sent = (await invited(key, held.id, { recipients: `Ada <${ADA}>, grace@example.org` })).invitations;
  const drafts = await quietSession(key);
  const draft = (await invited(key, drafts.id, { recipients: ADA, send: "later" })).invitations[0];
  const underWay = await quietSession(key, { startsAt: hoursFromNow(2) });
  const kept = (await registered(underWay.id, { name: "Ada Lovelace", email: ADA })).registration;
  for (const s of [full, held, drafts, underWay]) await ledger(s.id).drain();
  // The session under way: its ledger's clock is three hours on (it started an hour ago).
  const later = manualClock(new Date(Date.now() + 3 * 3_600_000));
  await runInDurableObject(ledger(underWay.id), (instance: SessionLedger) => {
    instance.clock = later;
  });
  for (const s of [full, held, drafts, underWay]) s.mail.length = 0;
  return { key, group, contact, grace, full, ada, bob, held, sent, drafts, draft, underWay, kept };
}

/** Checks everything deactivating Ada must have done in adaWithHistory's sessions. */
async function expectAdaDeactivated(h: Awaited<ReturnType<typeof adaWithHistory>>) {
  const { key } = h;
  expect(await rowOf(key, h.full.id, h.ada.id)).toMatchObject({ status: "cancelled", email: ADA, name: "Ada Lovelace" });
  expect(await rowOf(key, h.full.id, h.bob.id)).toMatchObject({ status: "confirmed" });
  expect(h.full.mail.map((m) => [m.template, m.to]).sort()).toEqual([
    ["promoted", "bob@example.org"],
    ["registration_cancelled", ADA],
  ]);
  expect(h.full.mail.find((m) => m.template === "registration_cancelled").data).toMatchObject({ cancelledBy: "provider", hadSeat: true });
  expect(await rowOf(key, h.held.id, h.sent[0].id)).toMatchObject({ status: "cancelled" });
  expect(await rowOf(key, h.held.id, h.sent[1].id)).toMatchObject({ status: "sent", email: "grace@example.org" });
  expect((await readSession(key, h.held.id)).seats).toMatchObject({ held: 1 });
  expect(h.held.mail.map((m) => [m.template, m.to])).toEqual([["invitation_cancelled", ADA]]);
  // A draft was never in her hands: cancelled without a word.
  expect(await rowOf(key, h.drafts.id, h.draft.id)).toMatchObject({ status: "cancelled" });
  expect(h.drafts.mail).toHaveLength(0);
  // The session under way keeps her seat.
  expect(await rowOf(key, h.underWay.id, h.kept.id)).toMatchObject({ status: "confirmed" });
  expect(h.underWay.mail).toHaveLength(0);
  const contact = (await api("GET", `/v1/contacts/${h.contact.id}`, { key })).body;
  expect(contact).toMatchObject({ status: "deactivated", groups: [], email: ADA, firstName: "Ada" });
  expect((await api("GET", `/v1/groups/${h.group.id}`, { key })).body.memberCount).toBe(1);
  // Out of the active list (what pickers ask for); the others stay (those invited or registered
  // became contacts of their own).
  const active = (await api("GET", "/v1/contacts?status=active&limit=200", { key })).body.contacts.map((c: any) => c.id);
  expect(active).toContain(h.grace.id);
  expect(active).not.toContain(h.contact.id);
}

/** Each session's roster and mail, and the contact (its fields: a PATCH is an edit, dated), to compare before and after a second run. */
const everything = async (h: Awaited<ReturnType<typeof adaWithHistory>>) => {
  const { updatedAt: _edited, ...contact } = (await api("GET", `/v1/contacts/${h.contact.id}`, { key: h.key })).body;
  return {
    rosters: await Promise.all([h.full, h.held, h.drafts, h.underWay].map((s) => roster(h.key, s.id))),
    mail: [h.full, h.held, h.drafts, h.underWay].map((s) => s.mail.length),
    contact,
  };
};

describe("deactivation by the hourly scheduled handler", () => {
  it("deactivates a contact whose date has come: open invitations and upcoming registrations cancelled, groups left, history kept", async () => {
    const h = await adaWithHistory(hoursFromNow(1));

    const notYet = await runScheduled(new Date());
    expect((await api("GET", `/v1/contacts/${h.contact.id}`, { key: h.key })).body.status).toBe("active");
    expect(notYet.failed).toBe(0);

    const report = await runScheduled(new Date(Date.now() + 61 * 60_000));

    expect(report).toMatchObject({ failed: 0 });
    expect(report.contacts).toBeGreaterThanOrEqual(1);
    await expectAdaDeactivated(h);
  });

  it("changes nothing more on its next run", async () => {
    const h = await adaWithHistory(hoursFromNow(1));
    const when = new Date(Date.now() + 61 * 60_000);
    await runScheduled(when);
    for (const s of [h.full, h.held, h.drafts, h.underWay]) await ledger(s.id).drain();
    const before = await everything(h);

    await runScheduled(new Date(when.getTime() + 3_600_000));

    for (const s of [h.full, h.held, h.drafts, h.underWay]) await ledger(s.id).drain();
    expect(await everything(h)).toEqual(before);
  });
});

describe("PATCH /v1/contacts/{id} with status deactivated", () => {
  it("deactivates at once, as the scheduled handler would, and a second PATCH changes nothing more", async () => {
    const h = await adaWithHistory(null);

    const res = await api("PATCH", `/v1/contacts/${h.contact.id}`, { key: h.key, body: { status: "deactivated" } });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "deactivated", deactivateAt: expect.any(String) });
    await expectAdaDeactivated(h);
    const before = await everything(h);
    expect((await api("PATCH", `/v1/contacts/${h.contact.id}`, { key: h.key, body: { status: "deactivated" } })).status).toBe(200);
    for (const s of [h.full, h.held, h.drafts, h.underWay]) await ledger(s.id).drain();
    expect(await everything(h)).toEqual(before);
  });
});

describe("GET /v1/contacts/{id}/history", () => {
  it("lists the address's invitations and registrations across the org's sessions, newest session first", async () => {
    const { key } = await newOrg();
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: ADA } })).body;
    const soon = await quietSession(key, { title: "Soon", startsAt: hoursFromNow(24) });
    const later = await quietSession(key, { title: "Later", startsAt: hoursFromNow(24 * 40) });
    const reg = (await registered(soon.id, { name: "Ada Lovelace", email: "ADA@example.org" })).registration;
    const [inv] = (await invited(key, later.id, { recipients: ADA, send: "later" })).invitations;
    await registered(later.id, { name: "Bob Stone", email: "bob@example.org" });
    const other = await newOrg("Another club");
    const elsewhere = await quietSession(other.key);
    await registered(elsewhere.id, { name: "Ada Lovelace", email: ADA });
    for (const id of [soon.id, later.id, elsewhere.id]) await ledger(id).drain();

    const res = await api("GET", `/v1/contacts/${contact.id}/history`, { key });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.contactId).toBe(contact.id);
    expect(res.body.items).toEqual([
      expect.objectContaining({ kind: "invitation", id: inv.id, sessionId: later.id, sessionTitle: "Later", status: "draft" }),
      expect.objectContaining({ kind: "registration", id: reg.id, sessionId: soon.id, sessionTitle: "Soon", status: "confirmed" }),
    ]);
    expect(res.body.items[1]).toMatchObject({ startsAt: expect.any(String), timeZone: "Europe/Paris", cancelledAt: null });
  });

  it("answers an unknown id, another org's contact and an erased one as not found", async () => {
    const { key } = await newOrg();
    const other = await newOrg("Another club");
    const theirs = (await api("POST", "/v1/contacts", { key: other.key, body: { email: ADA } })).body;
    const erased = (await api("POST", "/v1/contacts", { key, body: { email: ADA } })).body;
    expect((await api("DELETE", `/v1/contacts/${erased.id}`, { key })).status).toBe(200);
    for (const id of ["con_00000000000000000000", theirs.id, erased.id])
      expectProblem(await api("GET", `/v1/contacts/${id}/history`, { key }), "not_found");
    expect((await api("GET", `/v1/contacts/${theirs.id}/history`, { key: other.key })).body.items).toEqual([]);
  });
});

describe("the hosted admin's contact page", () => {
  it("shows the history with the actions each invitation allows: send, resend, and cancel after a confirmation", async () => {
    const { key, owner } = await signedInOwner();
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: ADA, firstName: "Ada" } })).body;
    const drafts = await quietSession(key, { title: "Draft camp" });
    const pending = await quietSession(key, { title: "Pending camp", startsAt: hoursFromNow(24 * 50) });
    const [draft] = (await invited(key, drafts.id, { recipients: ADA, send: "later" })).invitations;
    const [sent] = (await invited(key, pending.id, { recipients: ADA })).invitations;
    for (const s of [drafts, pending]) await ledger(s.id).drain();
    pending.mail.length = 0;

    const page = await browse("GET", `/admin/contacts/${contact.id}`, { cookie: owner.cookie });
    expect(page.text).toContain("History");
    expect(page.text).toContain("Draft camp");
    expect(page.text).toContain("To send");
    expect(page.text).toContain("Pending");
    expect(page.text).toContain(`/admin/contacts/${contact.id}/invitations/${draft.id}/send`);
    expect(page.text).toContain(`/admin/contacts/${contact.id}/invitations/${sent.id}/resend`);
    expect(page.text).not.toContain(`/invitations/${draft.id}/resend`);

    const send = await submit(owner, `/admin/contacts/${contact.id}/invitations/${draft.id}/send`);
    expect(send.status).toBe(303);
    expect(await rowOf(key, drafts.id, draft.id)).toMatchObject({ status: "sent" });
    const resend = await submit(owner, `/admin/contacts/${contact.id}/invitations/${sent.id}/resend`);
    expect(resend.status).toBe(303);
    await ledger(pending.id).drain();
    expect(pending.mail.map((m) => m.template)).toEqual(["invitation"]);

    const ask = await browse("GET", `/admin/contacts/${contact.id}/invitations/${sent.id}/cancel`, { cookie: owner.cookie });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain("Cancel the invitation to Pending camp?");
    expect(await rowOf(key, pending.id, sent.id)).toMatchObject({ status: "sent" });
    const forged = await submit(owner, `/admin/contacts/${contact.id}/invitations/${sent.id}/cancel`, { _csrf: "forged" });
    expect(forged.status).toBe(403);
    expect(await rowOf(key, pending.id, sent.id)).toMatchObject({ status: "sent" });
    const cancel = await submit(owner, `/admin/contacts/${contact.id}/invitations/${sent.id}/cancel`);
    expect(cancel.status).toBe(303);
    expect(await rowOf(key, pending.id, sent.id)).toMatchObject({ status: "cancelled" });
    // Cancelled, it can no longer be cancelled: the refusal says why.
    const again = await submit(owner, `/admin/contacts/${contact.id}/invitations/${sent.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.text).toContain("This invitation changed meanwhile");
    const french = await submit(owner, `/admin/contacts/${contact.id}/invitations/${sent.id}/cancel`, {}, { "accept-language": "fr" });
    expect(french.text).toContain("Cette invitation a changé entre-temps");
  });

  it("edits an invitation's email before sending it (seed 002): its words shown, changed, then sent with them", async () => {
    const { key, owner } = await signedInOwner();
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: ADA, firstName: "Ada" } })).body;
    const s = await quietSession(key, { title: "Forest <camp>" });
    const [draft] = (
      await invited(key, s.id, { recipients: ADA, send: "later", locale: "fr", subject: "Old words", message: "Old message" })
    ).invitations;
    await ledger(s.id).drain();
    const path = `/admin/contacts/${contact.id}/invitations/${draft.id}/send`;

    const history = await browse("GET", `/admin/contacts/${contact.id}`, { cookie: owner.cookie });
    expect(history.text).toContain(`<a href="${path}" aria-label="Edit and send: Forest &lt;camp&gt;">Edit and send</a>`);
    const page = await browse("GET", path, { cookie: owner.cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain("<h1>Send the invitation to Forest &lt;camp&gt;</h1>");
    expect(page.text).toContain('value="Old words"');
    expect(page.text).toContain(">Old message</textarea>");
    // The email's own words, in the invitation's language, where the organiser writes theirs.
    expect(page.text).toContain('placeholder="Accepter ou refuser"');
    expect(await rowOf(key, s.id, draft.id)).toMatchObject({ status: "draft" });
    const french = await browse("GET", path, { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(french.text).toContain("<h1>Envoyer l’invitation à Forest &lt;camp&gt;</h1>");
    expect(french.text).toContain("<summary>Les mots de l’e-mail (facultatif)</summary>");

    // Words too long (past the fields' maxlength, as a script could send): said, and nothing changed or sent.
    const long = await submit(owner, path, { words: "1", subject: "x".repeat(201) });
    expect(long.status).toBe(409);
    expect(long.text).toContain("These words are too long: a subject takes 200 characters at most");
    expect(await rowOf(key, s.id, draft.id)).toMatchObject({ status: "draft" });

    const send = await submit(owner, path, { words: "1", subject: "New words", buttonText: "Take my seat", message: "" });
    expect(send.status).toBe(303);
    await ledger(s.id).drain();
    expect(s.mail.filter((m) => m.template === "invitation").map((m) => m.data)).toEqual([
      expect.objectContaining({ subject: "New words", buttonText: "Take my seat", message: null }),
    ]);
    expect(await rowOf(key, s.id, draft.id)).toMatchObject({ status: "sent" });
    // Sent, it has no edit page any more: back to the history.
    const late = await browse("GET", path, { cookie: owner.cookie });
    expect(late.status).toBe(303);
    expect(late.headers.get("location")).toBe(`/admin/contacts/${contact.id}#history`);
  });

  it("deactivates only after a page that says what will happen, then says what was done", async () => {
    const { key, owner } = await signedInOwner();
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: ADA, firstName: "Ada", lastName: "Lovelace" } })).body;
    const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort A" } })).body;
    await submit(owner, "/admin/contacts/bulk", { contactIds: contact.id, action: "add", groupId: group.id });
    const s = await quietSession(key, { title: "Pending camp" });
    const [sent] = (await invited(key, s.id, { recipients: ADA })).invitations;
    await ledger(s.id).drain();

    // The contact page links to the question; it holds no form that deactivates.
    const page = await browse("GET", `/admin/contacts/${contact.id}`, { cookie: owner.cookie });
    expect(page.text).toContain(`<a href="/admin/contacts/${contact.id}/deactivate">Deactivate now</a>`);
    expect(page.text).not.toContain('name="status" value="deactivated"');
    const ask = await browse("GET", `/admin/contacts/${contact.id}/deactivate`, { cookie: owner.cookie });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain("<h1>Deactivate Ada Lovelace now?</h1>");
    expect(ask.text).toContain("Their pending invitations are cancelled");
    expect(ask.text).toContain("they leave all their groups");
    expect(await rowOf(key, s.id, sent.id)).toMatchObject({ status: "sent" });
    expect((await api("GET", `/v1/contacts?group=${group.id}`, { key })).body.total).toBe(1);
    const fr = await browse("GET", `/admin/contacts/${contact.id}/deactivate`, {
      cookie: owner.cookie,
      headers: { "accept-language": "fr" },
    });
    expect(fr.text).toContain("<h1>Désactiver Ada Lovelace maintenant\u00a0?</h1>");
    expect(fr.text).toContain("Ses invitations en attente sont annulées");

    const done = await submit(owner, `/admin/contacts/${contact.id}/status`, { status: "deactivated" });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/admin/contacts/${contact.id}?notice=contactDeactivated`);
    expect(await rowOf(key, s.id, sent.id)).toMatchObject({ status: "cancelled" });
    expect((await api("GET", `/v1/contacts?group=${group.id}`, { key })).body.total).toBe(0);
    const after = await browse("GET", done.location!, { cookie: owner.cookie });
    expect(after.text).toContain("Contact deactivated: their pending invitations, if any, were cancelled");
    expect(after.text).not.toContain("Contact saved.");
    // Deactivated, there is nothing left to confirm; reactivating says so.
    expect((await browse("GET", `/admin/contacts/${contact.id}/deactivate`, { cookie: owner.cookie })).location).toBe(
      `/admin/contacts/${contact.id}`,
    );
    const back = await submit(owner, `/admin/contacts/${contact.id}/status`, { status: "active" });
    expect(back.location).toBe(`/admin/contacts/${contact.id}?notice=contactReactivated`);
  });

  it("refuses an invitation that is not the contact's, and speaks French", async () => {
    const { key, owner } = await signedInOwner();
    const ada = (await api("POST", "/v1/contacts", { key, body: { email: ADA } })).body;
    const s = await quietSession(key);
    const [bobs] = (await invited(key, s.id, { recipients: "bob@example.org" })).invitations;
    await ledger(s.id).drain();
    expect((await submit(owner, `/admin/contacts/${ada.id}/invitations/${bobs.id}/cancel`)).status).toBe(404);
    expect(await rowOf(key, s.id, bobs.id)).toMatchObject({ status: "sent" });
    const fr = await browse("GET", `/admin/contacts/${ada.id}`, { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(fr.text).toContain("Historique");
  });
});
