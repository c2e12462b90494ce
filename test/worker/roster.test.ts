// The roster a provider reads and exports: grouped rows in JSON, and a CSV that a spreadsheet
// opens with accents intact, names with commas, quotes and line breaks in one cell each, and
// nothing that a spreadsheet would run as a formula.

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { rosterFilename } from "../../worker/roster/filename";
import type { QueuedSms } from "../../worker/sms/message";
import { optOutKey } from "../../worker/sms/opt-outs";
import { runQueue } from "./email-helpers";
import { addParticipant, api, BASE, expectProblem, newOrg, newSession, person, ROOT_KEY, registered } from "./helpers";
import { captureMail, invited, ledgerStub, mailSoFar } from "./invitation-helpers";

const HEADER = [
  "group",
  "name",
  "email",
  "status",
  "waitlist_position",
  "source",
  "delivery",
  "invited_email",
  "flags",
  "created_at",
  "cancelled_at",
  "discount_code",
  "amount_due",
  "amount_paid",
  "currency",
  "payment_status",
  "refunded_amount",
  "price",
];

/** The CSV export as raw bytes (a text decoder would swallow the byte-order mark). */
async function csvBytes(key: string, sessionId: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}/v1/sessions/${sessionId}/roster.csv`, { headers: { authorization: `Bearer ${key}` } }) as Request<
      unknown,
      IncomingRequestCfProperties
    >,
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function csvRows(key: string, sessionId: string): Promise<string[][]> {
  const { bytes } = await csvBytes(key, sessionId);
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes).replace(/^\uFEFF/, "");
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe("GET /v1/sessions/:id/roster", () => {
  it("groups people as confirmed, waitlist (in order) and cancelled, with the session", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    const leaving = await registered(s.id, person(1));
    await registered(s.id, person(2));
    for (let i = 3; i <= 5; i++) await registered(s.id, person(i));
    await addParticipant(key, s.id, { ...person(6), allowOverCapacity: true });
    await api("POST", `/v1/manage/${leaving.manageToken}/cancel`); // person 3 moves up

    const res = await api("GET", `/v1/sessions/${s.id}/roster`, { key });
    expect(res.status).toBe(200);
    expect(res.body.session).toMatchObject({ id: s.id, seats: { capacity: 3, confirmed: 3, waitlisted: 2 } });
    expect(res.body.rows.map((r: any) => [r.group, r.email, r.status, r.waitlistPosition, r.source])).toEqual([
      ["confirmed", "person2@example.org", "confirmed", null, "public"],
      ["confirmed", "person6@example.org", "confirmed", null, "provider"],
      ["confirmed", "person3@example.org", "confirmed", null, "public"],
      ["waitlist", "person4@example.org", "waitlisted", 1, "public"],
      ["waitlist", "person5@example.org", "waitlisted", 2, "public"],
      ["closed", "person1@example.org", "cancelled", null, "public"],
    ]);
    for (const row of res.body.rows) expect(row).toMatchObject({ kind: "registration", flags: [], id: expect.stringMatching(/^reg_/) });
  });

  it("gives each row its contact in the directory, and none once the person is erased", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const grace = (await api("POST", "/v1/contacts", { key, body: { email: "grace@example.org", firstName: "Grace" } })).body;
    await registered(s.id, { name: "Ada Lovelace", email: "ada@example.org" });
    await invited(key, s.id, { contactIds: [grace.id], send: "later" });
    await registered(s.id, { name: "Bob Stone", email: "bob@example.org" });
    // The ledger writes its rows to D1 (where they are linked to contacts) a moment after each commit.
    expect(await ledgerStub(s.id).drain()).toEqual({ pending: 0 });
    const contacts = (await api("GET", "/v1/contacts?limit=10", { key })).body.contacts as any[];
    const idOf = (email: string) => contacts.find((c) => c.email === email)!.id;
    await api("POST", "/v1/privacy/erase", { key, body: { email: "bob@example.org" } });
    expect(await ledgerStub(s.id).drain()).toEqual({ pending: 0 });

    const rows = (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.rows as any[];
    expect(rows.map((r) => [r.kind, r.email, r.contactId])).toEqual([
      ["registration", "ada@example.org", idOf("ada@example.org")],
      ["registration", "", null],
      ["invitation", "grace@example.org", grace.id],
    ]);
    // Another org's roster of the same address links to its own contact, never to this one.
    const other = await newOrg("Other Camp");
    const theirs = await newSession(other.key);
    await registered(theirs.id, { name: "Ada Lovelace", email: "ada@example.org" });
    expect(await ledgerStub(theirs.id).drain()).toEqual({ pending: 0 });
    const [row] = (await api("GET", `/v1/sessions/${theirs.id}/roster`, { key: other.key })).body.rows as any[];
    expect(row.contactId).toMatch(/^con_/);
    expect(row.contactId).not.toBe(idOf("ada@example.org"));
  });

  it("notes how each invitation of a person who chose SMS went: by SMS, or by email and why (no phone, invalid phone, STOP)", async () => {
    const { key } = await newOrg("Studio");
    const s = await newSession(key, { maxParticipants: 10 });
    const people = [
      { email: "sam@example.org", phone: "+33612345690" },
      { email: "noa@example.org", phone: "+33612345691" },
      { email: "ina@example.org", phone: "+33612345692" },
      { email: "sto@example.org", phone: "+33612345693" },
    ];
    for (const p of people) await api("POST", "/v1/contacts", { key, body: { ...p, channel: "sms" } });
    await api("POST", "/v1/contacts", { key, body: { email: "eve@example.org" } });
    // Numbers lost or mangled outside the API's checks (an old import), and a STOP.
    await env.DB.prepare("update contacts set phone = null where email = 'noa@example.org'").run();
    await env.DB.prepare("update contacts set phone = '+3361234' where email = 'ina@example.org'").run();
    await env.DB.prepare("insert into sms_opt_outs (phone_hash, at) values (?, ?) on conflict do nothing")
      .bind(await optOutKey("+33612345693"), new Date().toISOString())
      .run();
    const captured = await captureMail(s.id);
    await invited(key, s.id, { recipients: [...people.map((p) => p.email), "eve@example.org"].join(", "), send: "now" });
    await ledgerStub(s.id).drain();
    const mail = (await mailSoFar(s.id, captured)).filter((m) => m.template === "invitation");
    expect(mail).toHaveLength(5);
    const texts: QueuedSms[] = [];
    const smsQueue = {
      sendBatch: async (messages: Iterable<MessageSendRequest<QueuedSms>>) => void texts.push(...[...messages].map((m) => m.body)),
    };
    await runQueue("rollcall-mail", [{ message: { messages: mail } }], {
      ...env,
      SMS_QUEUE: smsQueue as unknown as Queue,
      URGENT_SMS_QUEUE: smsQueue as unknown as Queue,
    } as Env);
    expect(texts.map((t) => t.to)).toEqual(["+33612345690"]);

    const rows = (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.rows as any[];
    expect(Object.fromEntries(rows.map((r) => [r.email, [r.channel, r.smsFallback]]))).toEqual({
      "sam@example.org": ["sms", null],
      "noa@example.org": ["email", "no_phone"],
      "ina@example.org": ["email", "invalid_phone"],
      "sto@example.org": ["email", "opted_out"],
      "eve@example.org": [null, null],
    });

    // Sam chooses email: the next message about the invitation (a resend) leaves no note.
    const sam = rows.find((r) => r.email === "sam@example.org");
    const contacts = (await api("GET", "/v1/contacts?limit=10", { key })).body.contacts as any[];
    await api("PATCH", `/v1/contacts/${contacts.find((c) => c.email === "sam@example.org").id}`, { key, body: { channel: "email" } });
    await runQueue(
      "rollcall-mail",
      [{ message: { messages: [{ ...mail.find((m) => m.id && m.to === "sam@example.org"), id: "msg_resend_sam" }] } }],
      {
        ...env,
        SMS_QUEUE: smsQueue as unknown as Queue,
        URGENT_SMS_QUEUE: smsQueue as unknown as Queue,
      } as Env,
    );
    const after = (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.rows as any[];
    expect(after.find((r) => r.id === sam.id)).toMatchObject({ channel: null, smsFallback: null });
  });

  it("answers an empty session with no rows", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    expect((await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.rows).toEqual([]);
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
  ] as const)("refuses %s", async (_label, key, code) => {
    const { key: owner } = await newOrg();
    const s = await newSession(owner);
    expectProblem(await api("GET", `/v1/sessions/${s.id}/roster`, { key }), code);
  });

  it("answers an unknown session with 404", async () => {
    const { key } = await newOrg();
    expectProblem(await api("GET", "/v1/sessions/ses_00000000000000000000/roster", { key }), "session_not_found");
  });
});

describe("GET /v1/sessions/:id/roster.csv", () => {
  it("is a UTF-8 CSV download with a byte-order mark, a header row and CRLF line ends", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await registered(s.id, { name: "Zoë Ångström", email: "zoe@example.org" });
    const { res, bytes } = await csvBytes(key, s.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${rosterFilename(s)}"`);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    const lines = text.slice(1).split("\r\n");
    expect(lines[0]).toBe(HEADER.join(","));
    expect(lines[1]).toMatch(/^confirmed,Zoë Ångström,zoe@example\.org,confirmed,,public,,,,\d{4}-/);
    expect(lines.at(-1)).toBe(""); // the last record ends with CRLF too
    expect(text).not.toMatch(/[^\r]\n/);
  });

  it("quotes commas, quotes and line breaks the RFC 4180 way, one cell each", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const names = ["Lovelace, Ada", 'Ada "the Countess" King', "Ada\nLovelace", "Ada\r\nKing", 'All, of "it"\nat once'];
    for (const [i, name] of names.entries()) await registered(s.id, { name, email: `q${i}@example.org` });
    const rows = await csvRows(key, s.id);
    expect(rows[0]).toEqual(HEADER);
    expect(rows.slice(1).map((r) => r[1])).toEqual(names);
    expect(rows.slice(1).every((r) => r.length === HEADER.length)).toBe(true);
    const { bytes } = await csvBytes(key, s.id);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('"Lovelace, Ada"');
    expect(text).toContain('"Ada ""the Countess"" King"');
    expect(text).toContain('"Ada\nLovelace"');
  });

  it.each([['=HYPERLINK("http://evil.example","click")'], ["+33 6 12 34 56 78"], ["-2+3"], ["@SUM(A1:A9)"]])(
    "defuses the formula-looking name %s with a leading apostrophe",
    async (name) => {
      const { key } = await newOrg();
      const s = await newSession(key);
      await registered(s.id, { name, email: "formula@example.org" });
      const rows = await csvRows(key, s.id);
      expect(rows[1]![1]).toBe(`'${name}`);
    },
  );

  it("is named after the session: its title and its date in its own zone", async () => {
    const { key } = await newOrg();
    // 23:30 in Montreal is already the next day in UTC: the file says the day the session is on.
    const s = await newSession(key, {
      title: "Forêt & lac — semaine 1: « Les Castors »!",
      startsAt: "2031-07-05T23:30:00-04:00",
      timeZone: "America/Toronto",
    });
    const { res } = await csvBytes(key, s.id);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="foret-lac-semaine-1-les-castors-2031-07-05.csv"');
    expect(rosterFilename({ id: s.id, title: "🎉🎉", startsAt: s.startsAt, timeZone: s.timeZone })).toBe(`${s.id}-2031-07-05.csv`);
    expect(rosterFilename({ id: s.id, title: "a".repeat(200), startsAt: s.startsAt, timeZone: "UTC" })).toBe(
      `${"a".repeat(60)}-2031-07-06.csv`,
    );
  });

  it("keeps names in every script intact", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const names = ["مريم الحسيني", "שרה כהן", "李小龍", "Sam 🙂"];
    for (const [i, name] of names.entries()) await registered(s.id, { name, email: `u${i}@example.org` });
    expect((await csvRows(key, s.id)).slice(1).map((r) => r[1])).toEqual(names);
  });

  it("lists the same rows as the JSON roster, in the same order", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1 });
    const first = await registered(s.id, person(1));
    for (let i = 2; i <= 4; i++) await registered(s.id, person(i));
    await api("POST", `/v1/registrations/${first.registration.id}/cancel`, { key });
    const json = (await api("GET", `/v1/sessions/${s.id}/roster`, { key })).body.rows;
    const csv = (await csvRows(key, s.id)).slice(1);
    expect(csv.map((r) => [r[0], r[2], r[3], r[4]])).toEqual(
      json.map((r: any) => [r.group, r.email, r.status, r.waitlistPosition === null ? "" : String(r.waitlistPosition)]),
    );
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
  ] as const)("refuses %s with a problem, not a CSV", async (_label, key, code) => {
    const { key: owner } = await newOrg();
    const s = await newSession(owner);
    expectProblem(await api("GET", `/v1/sessions/${s.id}/roster.csv`, { key }), code);
  });
});
