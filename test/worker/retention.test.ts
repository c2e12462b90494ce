// The retention purge: the Cron Trigger's scheduled() handler erases what each org's retention
// (18 months unless set) says is due — registrations cancelled and invitations closed before the
// cutoff, every record of a session that ended before it, and the mail log's older rows — in the
// ledgers and in D1's copies, and finds nothing more on its next run.
import { createScheduledController, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { retentionCutoff } from "../../worker/privacy/rules";
import { queuedText } from "../../worker/sms/divert";
import { optedOut } from "../../worker/sms/log";
import { optOutKey } from "../../worker/sms/opt-outs";
import { browse, signedInOwner, submit } from "./admin-helpers";
import { api, expectProblem, ledger, newOrg, newSession, readSession, registered, roster } from "./helpers";
import { captureMail, invited, linkClient, tokenOf } from "./invitation-helpers";
import { drainTexts, smsMessage } from "./sms-helpers";

const DAY = 86_400_000;
const monthsFromNow = (months: number, from = new Date()) => {
  const at = new Date(from);
  at.setUTCMonth(at.getUTCMonth() + months);
  return at;
};

/** Fires the worker's cron handler as the platform would, at `at`. */
async function runPurge(at: Date) {
  const logged: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  try {
    await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "17 * * * *" }), env);
  } finally {
    console.log = log;
  }
  const line = logged.find((l) => l.startsWith("retention purge"));
  return JSON.parse(line!.slice("retention purge ".length)) as {
    sessions: number;
    registrations: number;
    invitations: number;
    mailLog: number;
    smsLog: number;
    failed: number;
  };
}

let logged = 0;
async function logMail(to: string, sessionId: string | null, createdAt: string) {
  const id = `msg_retention${logged++}`;
  await env.DB.prepare(
    `insert into mail_log (message_id, transport, "to", template, session_id, status, status_at, created_at, attempts)
     values (?, 'dev', ?, 'registration_confirmed', ?, 'sent', ?, ?, 1)`,
  )
    .bind(id, to, sessionId, createdAt, createdAt)
    .run();
  return id;
}

const mailLogIds = async () =>
  new Set((await env.DB.prepare("select message_id from mail_log").all<{ message_id: string }>()).results.map((r) => r.message_id));

async function setRetention(key: string, retentionMonths: number | null) {
  const res = await api("PATCH", "/v1/org", { key, body: { settings: { retentionMonths } } });
  if (res.status !== 200) throw new Error(`settings refused: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A session starting `days` from now whose mail lands in an array, with Ada confirmed and Bob registered then cancelled. */
async function sessionWithHistory(key: string, days: number) {
  const s = await newSession(key, { startsAt: new Date(Date.now() + days * DAY).toISOString(), maxParticipants: 5 });
  await captureMail(s.id);
  const ada = await registered(s.id, { name: "Ada Lovelace", email: "ada@example.org", answers: { diet: "vegetarian" } });
  const bob = await registered(s.id, { name: "Bob Stone", email: "bob@example.org" });
  expect((await api("POST", `/v1/registrations/${bob.registration.id}/cancel`, { key })).status).toBe(200);
  await ledger(s.id).drain();
  return { id: s.id as string, ada: ada.registration.id, bob: bob.registration.id };
}

const rowOf = async (key: string, sessionId: string, id: string) => (await roster(key, sessionId)).rows.find((r) => r.id === id);
const projected = (table: "registrations" | "invitations", id: string) =>
  env.DB.prepare(`select name, email, status, erased_at from ${table} where id = ?`).bind(id).first<any>();

describe("retentionCutoff", () => {
  it("goes back whole calendar months, the 31st landing on a shorter month's last day", () => {
    expect(retentionCutoff(new Date("2027-08-31T10:00:00.000Z"), 18).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(retentionCutoff(new Date("2028-03-15T00:00:00.000Z"), 1).toISOString()).toBe("2028-02-15T00:00:00.000Z");
    expect(retentionCutoff(new Date("2028-01-10T12:30:00.000Z"), 13).toISOString()).toBe("2026-12-10T12:30:00.000Z");
  });
});

describe("the retention purge (Cron Trigger)", () => {
  it("erases registrations cancelled more than 18 months ago, in the ledger and in D1, and keeps the others", async () => {
    const { key } = await newOrg();
    const s = await sessionWithHistory(key, 60);
    const seats = (await readSession(key, s.id)).seats;

    await runPurge(monthsFromNow(17));
    expect(await rowOf(key, s.id, s.bob)).toMatchObject({ name: "Bob Stone", flags: [] });

    await runPurge(monthsFromNow(19));
    expect(await rowOf(key, s.id, s.bob)).toMatchObject({ name: "", email: "", status: "cancelled", flags: ["erased"] });
    expect(await projected("registrations", s.bob)).toMatchObject({ name: "", email: "", status: "cancelled" });
    expect((await projected("registrations", s.bob)).erased_at).not.toBeNull();
    // The session has not ended 18 months ago: its confirmed participant stays, and so do the counts.
    expect(await rowOf(key, s.id, s.ada)).toMatchObject({ name: "Ada Lovelace", status: "confirmed", flags: [] });
    expect((await readSession(key, s.id)).seats).toEqual(seats);
  });

  it("erases every record of a session that ended more than 18 months ago, counts unchanged", async () => {
    const { key } = await newOrg();
    const s = await sessionWithHistory(key, 2);
    const invitation = (await invited(key, s.id, { recipients: "grace@example.org", holdSeat: false })).invitations[0];
    await ledger(s.id).drain();
    const seats = (await readSession(key, s.id)).seats;

    await runPurge(monthsFromNow(19));

    const rows = (await roster(key, s.id)).rows;
    expect(rows.map((r) => [r.name, r.email, r.flags])).toEqual(rows.map(() => ["", "", ["erased"]]));
    expect(rows.find((r) => r.id === s.ada)).toMatchObject({ status: "confirmed" });
    expect(rows.find((r) => r.id === invitation.id)).toMatchObject({ status: "sent" });
    expect((await readSession(key, s.id)).seats).toEqual(seats);
    const text = await runInDurableObject(ledger(s.id), async (_i: SessionLedger, state) =>
      JSON.stringify(["registrations", "invitations"].map((t) => state.storage.sql.exec(`select * from ${t}`).toArray())),
    );
    expect(text).not.toMatch(/ada@|bob@|grace@|Lovelace|Stone|vegetarian/);
    expect(await projected("invitations", invitation.id)).toMatchObject({ name: null, email: "" });
  });

  it("erases declined invitations 18 months after the answer, and accepted ones with the registration they became", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { startsAt: new Date(Date.now() + 60 * DAY).toISOString() });
    await captureMail(s.id);
    const [declinedBy, acceptedBy] = (await invited(key, s.id, { recipients: "dan@example.org, eve@example.org" })).invitations;
    const link = linkClient();
    expect((await link.decline(await tokenOf(s.id, declinedBy.id))).status).toBe(200);
    const accepted = await link.accept(await tokenOf(s.id, acceptedBy.id), { name: "Eve Adams" });
    expect(accepted.status).toBe(201);
    const eve = accepted.body.registration.id;
    await api("POST", `/v1/registrations/${eve}/cancel`, { key });
    await ledger(s.id).drain();

    await runPurge(monthsFromNow(19));

    expect(await rowOf(key, s.id, declinedBy.id)).toMatchObject({ email: "", status: "declined", flags: ["erased"] });
    expect(await rowOf(key, s.id, eve)).toMatchObject({ email: "", status: "cancelled", flags: ["erased"] });
    const invitations = await api("GET", `/v1/sessions/${s.id}/invitations`, { key });
    expect(invitations.body.invitations.find((i: any) => i.id === acceptedBy.id)).toMatchObject({ email: "", status: "accepted" });
  });

  it("follows the org's retention setting", async () => {
    const { key } = await newOrg();
    await setRetention(key, 24);
    const s = await sessionWithHistory(key, 60);

    await runPurge(monthsFromNow(19));
    expect(await rowOf(key, s.id, s.bob)).toMatchObject({ name: "Bob Stone" });

    await runPurge(monthsFromNow(25));
    expect(await rowOf(key, s.id, s.bob)).toMatchObject({ name: "", flags: ["erased"] });
  });

  it("removes the mail log's rows older than the org's retention, and sign-in mail after 18 months", async () => {
    const { key } = await newOrg();
    await setRetention(key, 6);
    const s = await newSession(key);
    await captureMail(s.id);
    const now = Date.now();
    const old = await logMail("ada@example.org", s.id, new Date(now - 7 * 30 * DAY).toISOString());
    const recent = await logMail("ada@example.org", s.id, new Date(now - 30 * DAY).toISOString());
    const oldSignIn = await logMail("owner@camp.example", null, new Date(now - 19 * 31 * DAY).toISOString());
    const recentSignIn = await logMail("owner@camp.example", null, new Date(now - 7 * 30 * DAY).toISOString());

    await runPurge(new Date(now));

    const left = await mailLogIds();
    expect([old, recent, oldSignIn, recentSignIn].map((id) => left.has(id))).toEqual([false, true, false, true]);
  });

  it("removes the SMS log's rows (and outbox copies) older than the org's retention, keeps the recent ones and the STOP list", async () => {
    const { key } = await newOrg();
    await setRetention(key, 6);
    const s = await newSession(key);
    await captureMail(s.id);
    const now = Date.now();
    const phone = "+33612345671";
    const texts = [0, 1].map(() =>
      queuedText(smsMessage("registration_confirmed", { to: "ada@example.org", sessionId: s.id }), phone, { name: "Studio" }),
    );
    await drainTexts(texts, { env });
    const [old, recent] = texts.map((t) => t.mail.id);
    await env.DB.prepare("update sms_log set created_at = ? where message_id = ?")
      .bind(new Date(now - 7 * 30 * DAY).toISOString(), old)
      .run();
    await env.DB.prepare("insert into sms_opt_outs (phone_hash, at) values (?, ?) on conflict do nothing")
      .bind(await optOutKey(phone), new Date(now - 40 * 30 * DAY).toISOString())
      .run();

    const report = await runPurge(new Date(now));

    expect(report.smsLog).toBeGreaterThanOrEqual(1);
    const left = async (id: string) =>
      [
        await env.DB.prepare("select count(*) as n from sms_log where message_id = ?").bind(id).first("n"),
        await env.DB.prepare("select count(*) as n from dev_mail where message_id = ?").bind(id).first("n"),
      ] as const;
    expect(await left(old!)).toEqual([0, 0]);
    expect(await left(recent!)).toEqual([1, 1]);
    expect(await optedOut(env.DB, [phone])).toEqual(new Set([phone]));
  });

  it("finds nothing more on its next run", async () => {
    const { key } = await newOrg();
    await sessionWithHistory(key, 2);
    const at = monthsFromNow(19);
    const first = await runPurge(at);
    expect(first.registrations).toBeGreaterThanOrEqual(2);

    const second = await runPurge(at);

    expect(second).toEqual({ sessions: 0, registrations: 0, invitations: 0, mailLog: 0, smsLog: 0, failed: 0 });
  });

  it("finds a session that ended from its confirmed participants alone, and one with only a declined invitation", async () => {
    const { key } = await newOrg();
    const ended = await newSession(key, { startsAt: new Date(Date.now() + 2 * DAY).toISOString() });
    await captureMail(ended.id);
    const ada = await registered(ended.id, { name: "Ada Lovelace", email: "ada@example.org" });
    const declined = await newSession(key, { startsAt: new Date(Date.now() + 60 * DAY).toISOString() });
    await captureMail(declined.id);
    const dan = (await invited(key, declined.id, { recipients: "dan@example.org" })).invitations[0];
    expect((await linkClient().decline(await tokenOf(declined.id, dan.id))).status).toBe(200);
    await Promise.all([ledger(ended.id).drain(), ledger(declined.id).drain()]);

    await runPurge(monthsFromNow(19));

    expect(await rowOf(key, ended.id, ada.registration.id)).toMatchObject({ email: "", status: "confirmed", flags: ["erased"] });
    expect(await rowOf(key, declined.id, dan.id)).toMatchObject({ email: "", status: "declined", flags: ["erased"] });
  });

  it("goes on with the other sessions when one ledger fails, and counts it", async () => {
    const { key } = await newOrg();
    const broken = await sessionWithHistory(key, 60);
    const fine = await sessionWithHistory(key, 60);
    // A ledger whose storage lost a table: every change it tries throws.
    await runInDurableObject(ledger(broken.id), (_instance: SessionLedger, state) => {
      state.storage.sql.exec("drop table registrations");
    });
    const errors = console.error;
    console.error = () => {};
    try {
      const report = await runPurge(monthsFromNow(19));
      expect(report.failed).toBeGreaterThanOrEqual(1);
    } finally {
      console.error = errors;
    }
    expect(await rowOf(key, fine.id, fine.bob)).toMatchObject({ email: "", flags: ["erased"] });
    expect(await projected("registrations", broken.bob)).toMatchObject({ email: "bob@example.org", erased_at: null });
  });
});

describe("PATCH /v1/org retentionMonths", () => {
  it("takes 1 to 120 months, and null for the default", async () => {
    const { key } = await newOrg();
    expectProblem(await api("PATCH", "/v1/org", { key, body: { settings: { retentionMonths: 0 } } }), "validation_failed");
    expectProblem(await api("PATCH", "/v1/org", { key, body: { settings: { retentionMonths: 121 } } }), "validation_failed");
    expectProblem(await api("PATCH", "/v1/org", { key, body: { settings: { retentionMonths: 6.5 } } }), "validation_failed");
    const set = await api("PATCH", "/v1/org", { key, body: { settings: { retentionMonths: 6 } } });
    expect(set.body.settings.retentionMonths).toBe(6);
    const cleared = await api("PATCH", "/v1/org", { key, body: { settings: { retentionMonths: null } } });
    expect(cleared.body.settings).not.toHaveProperty("retentionMonths");
  });
});

describe("the hosted admin's retention setting", () => {
  it("saves the months through the same rules as PATCH /v1/org, refuses what is out of range, and clears when emptied", async () => {
    const { owner, key } = await signedInOwner();
    const form = await browse("GET", "/admin/settings", { cookie: owner.cookie });
    expect(form.text).toMatch(/<input[^>]*id="retentionMonths"[^>]*type="number"/);
    expect(form.text).toContain("leave empty for 18");

    expect((await submit(owner, "/admin/settings", { name: "Forest Camp", retentionMonths: "24" })).status).toBe(303);
    expect((await api("GET", "/v1/org", { key })).body.settings).toEqual({ retentionMonths: 24 });

    const refused = await submit(owner, "/admin/settings", { name: "Forest Camp", retentionMonths: "0" });
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/id="retentionMonths"[^>]*aria-invalid="true"/);
    expect((await api("GET", "/v1/org", { key })).body.settings).toEqual({ retentionMonths: 24 });

    await submit(owner, "/admin/settings", { name: "Forest Camp", retentionMonths: "" });
    expect((await api("GET", "/v1/org", { key })).body.settings).toEqual({});
  });
});
