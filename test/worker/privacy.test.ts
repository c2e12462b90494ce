// A person's data across an organisation: the export (everything held about one address) and the
// erasure, which reaches each session's ledger and D1's copy, leaves the counts as they were, and
// does nothing more the second time.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { queuedText } from "../../worker/sms/divert";
import { optedOut } from "../../worker/sms/log";
import type { QueuedSms } from "../../worker/sms/message";
import { optOutKey } from "../../worker/sms/opt-outs";
import { browse, signedInOwner, submit } from "./admin-helpers";
import { api, expectProblem, ledger, newOrg, newSession, readSession, registered, roster, widgetToken } from "./helpers";
import { captureMail, invited, linkClient, mailSoFar, tokenOf } from "./invitation-helpers";
import { drainTexts, smsMessage } from "./sms-helpers";

/** The number said STOP (as the inbound webhook records it: its hash only). */
async function stopped(phone: string) {
  await env.DB.prepare("insert into sms_opt_outs (phone_hash, at) values (?, ?) on conflict do nothing")
    .bind(await optOutKey(phone), new Date().toISOString())
    .run();
}

const ADA = "ada@example.org";

/** A session whose mail lands in an array (so no queue consumer writes the mail log behind the test's back). */
async function quietSession(key: string, overrides: Record<string, unknown> = {}) {
  const s = await newSession(key, overrides);
  const mail = await captureMail(s.id);
  return { id: s.id as string, mail };
}

let logged = 0;
/** A mail log row, as the queue consumer writes one (with its dev outbox copy). */
async function logMail(to: string, sessionId: string | null, createdAt = new Date().toISOString()) {
  const id = `msg_test${logged++}`;
  await env.DB.batch([
    env.DB.prepare(
      `insert into mail_log (message_id, provider_id, transport, "to", template, subject, session_id, status, status_at, created_at, attempts)
       values (?, ?, 'dev', ?, 'registration_confirmed', 'You are attending', ?, 'sent', ?, ?, 1)`,
    ).bind(id, `dev_${id}`, to, sessionId, createdAt, createdAt),
    env.DB.prepare(
      `insert into dev_mail (id, message_id, template, "from", "to", subject, html, text, created_at)
       values (?, ?, 'registration_confirmed', 'Rollcall <x@rollcall.local>', ?, 'You are attending', '<p>Hello</p>', 'Hello', ?)`,
    ).bind(`dev_${id}`, id, to, createdAt),
  ]);
  return id;
}

async function mailLogTo(to: string): Promise<{ message_id: string; session_id: string | null }[]> {
  return (await env.DB.prepare(`select message_id, session_id from mail_log where lower("to") = lower(?)`).bind(to).all<any>()).results;
}

async function devMailCount(messageIds: string[]): Promise<number> {
  if (!messageIds.length) return 0;
  const marks = messageIds.map(() => "?").join(",");
  const row = await env.DB.prepare(`select count(*) as n from dev_mail where message_id in (${marks})`)
    .bind(...messageIds)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Everything the ledger's own tables hold, as text: an erased address must appear nowhere in it. */
async function ledgerText(sessionId: string): Promise<string> {
  return runInDurableObject(ledger(sessionId), async (_i: SessionLedger, state) => {
    const tables = ["registrations", "invitations", "mail_outbox", "idempotency"];
    return JSON.stringify(tables.map((t) => state.storage.sql.exec(`select * from ${t}`).toArray()));
  });
}

/** D1's copies of the org's rows for this address (case-insensitively). */
async function projectedRowsOf(orgId: string, email: string) {
  const q = (table: string) =>
    env.DB.prepare(`select id from ${table} where org_id = ? and lower(email) = lower(?)`).bind(orgId, email).all<{ id: string }>();
  const [r, i] = await Promise.all([q("registrations"), q("invitations")]);
  return [...r.results, ...i.results].map((row) => row.id);
}

const erase = (key: string, body: Record<string, unknown>) => api("POST", "/v1/privacy/erase", { key, body });
const exportOf = (key: string, email: string) => api("POST", "/v1/privacy/export", { key, body: { email } });

/** An org where Ada registered in one session (with answers) and is invited to another; Bob is in both. */
async function adaInTwoSessions() {
  const { orgId, key } = await newOrg();
  const first = await quietSession(key, { maxParticipants: 5 });
  const second = await quietSession(key, { maxParticipants: 5 });
  const untouched = await quietSession(key);
  const ada = await registered(first.id, { name: "Ada Lovelace", email: ADA, answers: { diet: "vegetarian", phone: "+44 20 7946 0000" } });
  await registered(first.id, { name: "Bob Stone", email: "bob@example.org" });
  await registered(second.id, { name: "Bob Stone", email: "bob@example.org" });
  const invitation = (await invited(key, second.id, { recipients: `Ada Lovelace <${ADA}>`, message: "Ada, we kept you a seat." }))
    .invitations[0];
  await registered(untouched.id, { name: "Carol Reed", email: "carol@example.org" });
  for (const s of [first, second, untouched]) await ledger(s.id).drain();
  return { orgId, key, first, second, untouched, ada, invitation };
}

describe("POST /v1/privacy/erase", () => {
  it("erases an address from every session of the org, in the ledgers and in D1, and leaves the counts as they were", async () => {
    const { orgId, key, first, second, untouched, ada, invitation } = await adaInTwoSessions();
    const other = await newOrg("Another club");
    const elsewhere = await quietSession(other.key);
    await registered(elsewhere.id, { name: "Ada Lovelace", email: ADA });
    await ledger(elsewhere.id).drain();
    const adaMail = [await logMail(ADA, first.id), await logMail("Ada@Example.org", second.id)];
    const bobMail = await logMail("bob@example.org", first.id);
    const otherOrgMail = await logMail(ADA, elsewhere.id);
    const seatsBeforeAt = new Date().toISOString();
    const seatsBefore = await Promise.all([first.id, second.id].map(async (id) => (await readSession(key, id)).seats));

    const res = await erase(key, { email: "ADA@example.org" });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ registrations: 1, invitations: 1, invitationsCancelled: 1, mailLog: 2 });
    expect(res.body.sessions.map((s: any) => s.sessionId).sort()).toEqual([first.id, second.id].sort());
    // The registration keeps its seat; the invitation Ada never answered gives its held seat back.
    expect((await readSession(key, first.id)).seats).toEqual(seatsBefore[0]);
    expect((await readSession(key, second.id)).seats).toMatchObject({
      confirmed: seatsBefore[1].confirmed,
      held: seatsBefore[1].held - 1,
      available: seatsBefore[1].available + 1,
    });
    const rows = (await roster(key, first.id)).rows;
    expect(rows.find((r) => r.id === ada.registration.id)).toMatchObject({
      name: "",
      email: "",
      status: "confirmed",
      group: "confirmed",
      flags: ["erased"],
    });
    expect((await roster(key, second.id)).rows.find((r) => r.id === invitation.id)).toMatchObject({
      name: "",
      email: "",
      status: "cancelled",
      flags: ["erased"],
    });
    // Nothing of Ada is left in either ledger, nor in D1's copies, nor in the mail log.
    for (const id of [first.id, second.id]) {
      const text = await ledgerText(id);
      expect(text).not.toMatch(/ada@example\.org|Ada Lovelace|vegetarian|7946|we kept you/i);
      expect(text).toContain("Bob Stone");
    }
    expect(await projectedRowsOf(orgId, ADA)).toEqual([]);
    const d1 = await env.DB.prepare("select name, email, status, erased_at from registrations where id = ?")
      .bind(ada.registration.id)
      .first<any>();
    expect(d1).toMatchObject({ name: "", email: "", status: "confirmed" });
    expect(d1.erased_at <= res.body.erasedAt && d1.erased_at > seatsBeforeAt, d1.erased_at).toBe(true);
    expect((await mailLogTo(ADA)).map((r) => r.message_id)).toEqual([otherOrgMail]);
    expect(await devMailCount(adaMail)).toBe(0);
    expect((await mailLogTo("bob@example.org")).map((r) => r.message_id)).toContain(bobMail);
    // Another org's records of the same address, and the org's other sessions, are untouched.
    expect(await projectedRowsOf(other.orgId, ADA)).toHaveLength(1);
    expect((await roster(other.key, elsewhere.id)).rows[0]).toMatchObject({ name: "Ada Lovelace", email: ADA });
    expect((await roster(key, untouched.id)).rows[0]).toMatchObject({ name: "Carol Reed" });
  });

  it("removes the texts (SMS) that stood for mail to the address, with their outbox copies; the STOP list keeps the number's hash, so it is still never texted", async () => {
    const { key, first, second } = await adaInTwoSessions();
    const other = await newOrg("Another club");
    const elsewhere = await quietSession(other.key);
    const phone = "+33612345670";
    const text = (to: string, sessionId: string) =>
      queuedText(smsMessage("registration_confirmed", { to, sessionId }), phone, { name: "Studio" });
    const adaTexts = [text(ADA, first.id), text("Ada@Example.org", second.id)];
    const bobText = text("bob@example.org", first.id);
    const otherOrgText = text(ADA, elsewhere.id);
    await drainTexts([...adaTexts, bobText, otherOrgText], { env });
    const ids = (texts: QueuedSms[]) => texts.map((t) => t.mail.id);
    const logged = async (texts: QueuedSms[]) =>
      (
        await env.DB.prepare("select message_id from sms_log where message_id in (select value from json_each(?))")
          .bind(JSON.stringify(ids(texts)))
          .all()
      ).results.length;
    expect(await logged([...adaTexts, bobText, otherOrgText])).toBe(4);
    expect(await devMailCount(ids(adaTexts))).toBe(2);
    // The number said STOP before the erasure.
    await stopped(phone);

    const res = await erase(key, { email: ADA });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.smsLog).toBe(2);
    expect(await logged(adaTexts)).toBe(0);
    expect(await devMailCount(ids(adaTexts))).toBe(0);
    expect(await logged([bobText, otherOrgText])).toBe(2);
    // The STOP list holds no number, and still stops it.
    const stops = JSON.stringify((await env.DB.prepare("select * from sms_opt_outs").all()).results);
    expect(stops).not.toContain("612345670");
    expect(await optedOut(env.DB, [phone])).toEqual(new Set([phone]));
  });

  it("does nothing more the second time, and says so", async () => {
    const { key, first, second } = await adaInTwoSessions();
    expect((await erase(key, { email: ADA })).status).toBe(200);
    const state = async () => Promise.all([first.id, second.id].map(async (id) => [await roster(key, id), await ledgerText(id)]));
    const before = await state();

    const again = await erase(key, { email: ADA });

    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ sessions: [], registrations: 0, invitations: 0, invitationsCancelled: 0, mailLog: 0, smsLog: 0 });
    expect(await state()).toEqual(before);
  });

  it("cancels a pending invitation without a word to the erased address, and the waitlist takes the seat", async () => {
    const { key } = await newOrg();
    const s = await quietSession(key, { maxParticipants: 1, minParticipants: 1 });
    await invited(key, s.id, { recipients: ADA });
    const carol = await registered(s.id, { name: "Carol Reed", email: "carol@example.org" });
    expect(carol.registration.status).toBe("waitlisted");
    await ledger(s.id).drain();

    const res = await erase(key, { email: ADA });

    expect(res.body).toMatchObject({ invitations: 1, invitationsCancelled: 1 });
    const carolNow = (await roster(key, s.id)).rows.find((r) => r.id === carol.registration.id);
    expect(carolNow).toMatchObject({ status: "confirmed" });
    const mail = await mailSoFar(s.id, s.mail);
    expect(mail.filter((m) => m.template === "invitation_cancelled")).toEqual([]);
    expect(mail.filter((m) => m.template === "promoted").map((m) => m.to)).toEqual(["carol@example.org"]);
  });

  it("drops the emails to the address still waiting in the ledger, and sends none later", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    // Mail stays in the ledger's outbox: the queue refuses it for now.
    await runInDurableObject(ledger(s.id), (instance: SessionLedger) => {
      instance.mailQueue = {
        sendBatch: async () => Promise.reject(new Error("queue unavailable")),
      } as unknown as SessionLedger["mailQueue"];
    });
    await registered(s.id, { name: "Ada Lovelace", email: ADA });
    await registered(s.id, { name: "Bob Stone", email: "bob@example.org" });
    await ledger(s.id).drain();

    expect((await erase(key, { email: ADA, sessionId: s.id })).status).toBe(200);
    const captured = await captureMail(s.id);
    expect((await api("POST", `/v1/sessions/${s.id}/cancel`, { key })).status).toBe(200);
    await ledger(s.id).drain();

    const recipients = captured.map((m) => m.to);
    expect(recipients).toContain("bob@example.org");
    expect(recipients.filter((to) => to === ADA || to === "")).toEqual([]);
  });

  it("lets the same address register again afterwards", async () => {
    const { key } = await newOrg();
    const s = await quietSession(key);
    await registered(s.id, { name: "Ada Lovelace", email: ADA });
    await ledger(s.id).drain();
    await erase(key, { email: ADA });

    const again = await registered(s.id, { name: "Ada L.", email: ADA });

    expect(again.registration.status).toBe("confirmed");
    expect((await readSession(key, s.id)).seats.confirmed).toBe(2);
  });

  it("turns the link of a pending invitation into the link of a cancelled one", async () => {
    const { key } = await newOrg();
    const s = await quietSession(key);
    const invitation = (await invited(key, s.id, { recipients: ADA })).invitations[0];
    const token = await tokenOf(s.id, invitation.id);
    await ledger(s.id).drain();
    await erase(key, { email: ADA });

    const link = linkClient();
    expectProblem(await link.accept(token), "invitation_cancelled");
  });

  it("with a widget token, erases only in the token's session, which the body names", async () => {
    const { orgId, first, second, ada } = await adaInTwoSessions();
    const token = await widgetToken(orgId, first.id, new Date(Date.now() + 3_600_000));

    expectProblem(await erase(token, { email: ADA }), "forbidden");
    expectProblem(await erase(token, { email: ADA, sessionId: second.id }), "token_wrong_session");
    const res = await erase(token, { email: ADA, sessionId: first.id });

    expect(res.status).toBe(200);
    expect(res.body.sessions.map((s: any) => s.sessionId)).toEqual([first.id]);
    const key = await widgetToken(orgId, null, new Date(Date.now() + 3_600_000));
    expect((await roster(key, first.id)).rows.find((r) => r.id === ada.registration.id)).toMatchObject({ email: "" });
    expect((await roster(key, second.id)).rows.find((r) => r.kind === "invitation")).toMatchObject({ email: ADA, status: "sent" });
  });

  it("answers another org's session as unknown and erases nothing there", async () => {
    const { key } = await newOrg();
    const other = await newOrg("Another club");
    const s = await quietSession(other.key);
    await registered(s.id, { name: "Ada Lovelace", email: ADA });

    expectProblem(await erase(key, { email: ADA, sessionId: s.id }), "session_not_found");
    expect((await roster(other.key, s.id)).rows[0]).toMatchObject({ email: ADA, flags: [] });
  });

  it("refuses what is not an address, naming the field", async () => {
    const { key } = await newOrg();
    const res = await erase(key, { email: "not an address" });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "email" })]);
  });
});

describe("POST /v1/privacy/export", () => {
  it("returns every record of the address in the org's sessions, answers and mail log included, and nothing of other orgs", async () => {
    const { key, first, second, invitation } = await adaInTwoSessions();
    const other = await newOrg("Another club");
    const elsewhere = await quietSession(other.key);
    await registered(elsewhere.id, { name: "Ada Lovelace", email: ADA });
    await ledger(elsewhere.id).drain();
    const mailId = await logMail(ADA, first.id);
    await logMail(ADA, elsewhere.id);

    const res = await exportOf(key, "Ada@example.org");

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.email).toBe("Ada@example.org");
    expect(res.body.sessions.map((s: any) => s.session.id).sort()).toEqual([first.id, second.id].sort());
    const inFirst = res.body.sessions.find((s: any) => s.session.id === first.id);
    expect(inFirst.registrations).toEqual([
      expect.objectContaining({
        name: "Ada Lovelace",
        email: ADA,
        status: "confirmed",
        answers: { diet: "vegetarian", phone: "+44 20 7946 0000" },
        locale: "en",
        erasedAt: null,
      }),
    ]);
    expect(inFirst.invitations).toEqual([]);
    const inSecond = res.body.sessions.find((s: any) => s.session.id === second.id);
    expect(inSecond.registrations).toEqual([]);
    expect(inSecond.invitations).toEqual([expect.objectContaining({ id: invitation.id, email: ADA, message: "Ada, we kept you a seat." })]);
    expect(res.body.mail.map((m: any) => m.messageId)).toEqual([mailId]);
    expect(JSON.stringify(res.body)).not.toMatch(/Bob Stone|bob@example\.org|token|hash|salt/i);
  });

  it("finds nothing once the address is erased", async () => {
    const { key } = await adaInTwoSessions();
    await erase(key, { email: ADA });
    const res = await exportOf(key, ADA);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sessions: [], mail: [] });
  });

  it("needs an org API key: a widget token is refused", async () => {
    const { orgId } = await newOrg();
    const token = await widgetToken(orgId, null, new Date(Date.now() + 3_600_000));
    expectProblem(await exportOf(token, ADA), "forbidden");
    expectProblem(await api("POST", "/v1/privacy/export", { body: { email: ADA } }), "unauthenticated");
  });
});

describe("the hosted admin's Personal data page", () => {
  it("exports an address as a JSON download, and erases it only after a confirmation that says where it was found", async () => {
    const { owner, key } = await signedInOwner();
    const s = await quietSession(key, { title: "Forest <b>camp</b>" });
    const ada = await registered(s.id, { name: "Ada Lovelace", email: ADA });
    await ledger(s.id).drain();

    const page = await browse("GET", "/admin/privacy", { cookie: owner.cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain("after 18 months");
    expect(page.text).toMatch(/<label for="email">/);

    const exported = await submit(owner, "/admin/privacy/export", { email: ADA });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toBe('attachment; filename="personal-data.json"');
    expect(JSON.parse(exported.text).sessions[0].registrations[0]).toMatchObject({ id: ada.registration.id, name: "Ada Lovelace" });

    const confirm = await submit(owner, "/admin/privacy/erase", { email: ADA });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`Erase ${ADA}?`);
    expect(confirm.text).toContain("Forest &lt;b&gt;camp&lt;/b&gt;");
    expect(confirm.text).toContain("Ada Lovelace — registration: confirmed");
    expect((await roster(key, s.id)).rows[0]).toMatchObject({ name: "Ada Lovelace" });

    const done = await submit(owner, "/admin/privacy/erase", { email: ADA, confirm: "yes" });
    expect(done.status).toBe(303);
    expect(done.location).toBe("/admin/privacy?notice=erased");
    expect((await roster(key, s.id)).rows[0]).toMatchObject({ name: "", email: "", flags: ["erased"] });
  });

  it("says what is wrong with the address, and refuses a form without the member's CSRF token", async () => {
    const { owner, key } = await signedInOwner();
    const s = await quietSession(key);
    await registered(s.id, { name: "Ada Lovelace", email: ADA });
    await ledger(s.id).drain();

    const wrong = await submit(owner, "/admin/privacy/export", { email: "ada at example" });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toMatch(/id="email"[^>]*aria-invalid="true"/);
    const forged = await submit(owner, "/admin/privacy/erase", { email: ADA, confirm: "yes", _csrf: "forged" });
    expect(forged.status).toBe(403);
    expect((await roster(key, s.id)).rows[0]).toMatchObject({ name: "Ada Lovelace" });
  });
});
