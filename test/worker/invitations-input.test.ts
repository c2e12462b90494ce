// POST /v1/sessions/:id/invitations with what people really paste: too many, too few, invalid,
// international, duplicated, already invited or registered, HTML, and bodies that contradict
// themselves. Every refusal leaves the session exactly as it was.
import { describe, expect, it } from "vitest";
import { renderMail } from "../../worker/email/render";
import { api, expectProblem, newOrg, newSession, register, sessionState } from "./helpers";
import { captureMail, invite, invited, listInvitations, mailSoFar } from "./invitation-helpers";

const addresses = (n: number, prefix = "person") => Array.from({ length: n }, (_, i) => `${prefix}${i}@example.org`);

/** Sends a request that must be refused with `code`, and checks that it created nothing. */
async function expectRefusedUntouched(
  key: string,
  sessionId: string,
  body: Record<string, unknown>,
  code: Parameters<typeof expectProblem>[1],
) {
  const before = await sessionState(key, sessionId);
  const res = await invite(key, sessionId, body);
  expectProblem(res, code);
  expect(await sessionState(key, sessionId)).toEqual(before);
  return res;
}

describe("POST /v1/sessions/:id/invitations — how many", () => {
  it("refuses 201 addresses with too_many_recipients and creates nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 500 });
    const res = await expectRefusedUntouched(key, s.id, { recipients: addresses(201).join(", ") }, "too_many_recipients");
    expect(res.body).toMatchObject({ max: 200, count: 201 });
    expect(await listInvitations(key, s.id)).toEqual([]);
    await expectRefusedUntouched(key, s.id, { recipients: addresses(201) }, "too_many_recipients");
  });

  it("counts after removing duplicates: 200 people pasted with one twice is allowed", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 500 });
    const list = [...addresses(200), "PERSON7@example.org"];
    const created = await invited(key, s.id, { recipients: list, send: "later" });
    expect(created.invitations).toHaveLength(200);
    expect(created.skipped).toEqual([{ email: "PERSON7@example.org", position: 201, reason: "duplicate" }]);
  });

  it("refuses an empty paste, one made only of separators, and an empty array", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    for (const recipients of ["", "   ", " ,, ;\n\t\r\n ; ", [], ["", "  "]]) {
      const res = await expectRefusedUntouched(key, s.id, { recipients }, "validation_failed");
      expect(res.body.errors, JSON.stringify(recipients)).toEqual([expect.objectContaining({ path: "recipients" })]);
    }
    await expectRefusedUntouched(key, s.id, {}, "validation_failed");
  });
});

describe("POST /v1/sessions/:id/invitations — which addresses", () => {
  it("refuses an address longer than 254 characters, naming its position", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const long = `${"a".repeat(64)}@${"d".repeat(63)}.${"d".repeat(63)}.${"d".repeat(58)}.org`;
    expect(long.length).toBe(255);
    const res = await expectRefusedUntouched(key, s.id, { recipients: `ada@example.org, ${long}\ngrace@example.org` }, "invalid_emails");
    expect(res.body.errors).toEqual([{ entry: long, position: 2, problem: "too_long" }]);
  });

  it("accepts internationalised addresses, in Unicode and in punycode, and keeps them as written", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const recipients = ["josé@exämple.de", "user@xn--exmple-cua.de", "user@उदाहरण.भारत"];
    const created = await invited(key, s.id, { recipients });
    expect(created.invitations.map((i) => i.email)).toEqual(recipients);
    expect(created.skipped).toEqual([]);
  });

  it('refuses "a@b@c" and every other invalid entry in one answer', async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await expectRefusedUntouched(
      key,
      s.id,
      { recipients: "ok@example.org; a@b@c; Ada <ada@example>; plain" },
      "invalid_emails",
    );
    expect(res.body.errors).toEqual([
      { entry: "a@b@c", position: 2, problem: "several_at" },
      { entry: "Ada <ada@example>", position: 3, problem: "bad_domain" },
      { entry: "plain", position: 4, problem: "no_at" },
    ]);
  });

  it("treats case variants of one address as duplicates, reported in skipped", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const created = await invited(key, s.id, { recipients: "Ada@Example.org, ada@example.org" });
    expect(created.invitations.map((i) => i.email)).toEqual(["Ada@Example.org"]);
    expect(created.skipped).toEqual([{ email: "ada@example.org", position: 2, reason: "duplicate" }]);
    expect(created.seats.held).toBe(1);
  });

  it("treats +tag variants as different people: the rule folds letter case only, since mail providers disagree on sub-addresses", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const created = await invited(key, s.id, { recipients: "ada@example.org ada+camp@example.org ADA+Camp@example.org" });
    expect(created.invitations.map((i) => i.email)).toEqual(["ada@example.org", "ada+camp@example.org"]);
    expect(created.skipped).toEqual([{ email: "ADA+Camp@example.org", position: 3, reason: "duplicate" }]);
  });

  it("skips people already invited or already registered, with their reasons, and invites the rest", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await invited(key, s.id, { recipients: "invited@example.org" });
    await invited(key, s.id, { recipients: "drafted@example.org", send: "later" });
    expect((await register(s.id, { name: "Reg", email: "registered@example.org" })).status).toBe(201);
    const created = await invited(key, s.id, {
      recipients: "Invited@Example.org, new@example.org, REGISTERED@example.org, drafted@example.org, new@example.org",
    });
    expect(created.invitations.map((i) => i.email)).toEqual(["new@example.org"]);
    expect(created.skipped).toEqual([
      { email: "Invited@Example.org", position: 1, reason: "already_invited" },
      { email: "REGISTERED@example.org", position: 3, reason: "already_registered" },
      { email: "drafted@example.org", position: 4, reason: "already_invited" },
      { email: "new@example.org", position: 5, reason: "duplicate" },
    ]);
    expect(created.seats).toMatchObject({ confirmed: 1, held: 3 });
  });

  it("answers 201 with nothing created when everyone was skipped", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await invited(key, s.id, { recipients: "ada@example.org" });
    const again = await invited(key, s.id, { recipients: "ada@example.org" });
    expect(again.invitations).toEqual([]);
    expect(again.skipped).toEqual([{ email: "ada@example.org", position: 1, reason: "already_invited" }]);
    expect(again.seats.held).toBe(1);
  });
});

describe("POST /v1/sessions/:id/invitations — what people write", () => {
  const name = `<b onmouseover="alert(1)">Ada</b> <script>alert("name")</script>`;
  const message = `Welcome!\n<script>alert("message")</script><img src=x onerror=alert(2)> & see you`;
  const subject = `<i>Camp</i> & <script>alert("subject")</script>`;

  it("stores HTML in names, messages and subjects verbatim and returns it as JSON", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await invite(key, s.id, { recipients: `"${name.replaceAll('"', "'")}" <ada@example.org>`, message, subject });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const expected = { name: name.replaceAll('"', "'"), message, subject };
    expect(res.body.invitations[0]).toMatchObject(expected);
    expect((await listInvitations(key, s.id))[0]).toMatchObject(expected);
  });

  it("escapes the organiser's message, the name and the subject in the invitation email's HTML", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    await invited(key, s.id, { recipients: `"${name.replaceAll('"', "'")}" <ada@example.org>`, message, subject });
    const mail = (await mailSoFar(s.id, captured)).find((m) => m.template === "invitation");
    expect(mail).toMatchObject({ to: "ada@example.org", data: { message, name: name.replaceAll('"', "'"), subject } });
    const { html } = renderMail(mail);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b /i);
    expect(html).not.toMatch(/<i>/i);
    expect(html).toContain("&lt;script&gt;alert(&quot;message&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;");
    expect(html).toContain("&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;");
  });
});

describe("POST /v1/sessions/:id/invitations — the session and the body must agree", () => {
  it("refuses to invite into a cancelled session with session_cancelled and creates nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    expect((await api("POST", `/v1/sessions/${s.id}/cancel`, { key })).status).toBe(200);
    await expectRefusedUntouched(key, s.id, { recipients: "ada@example.org" }, "session_cancelled");
    await expectRefusedUntouched(key, s.id, { recipients: "ada@example.org", holdSeat: false, send: "later" }, "session_cancelled");
    expect(await listInvitations(key, s.id)).toEqual([]);
  });

  it("refuses expiresAt and expiresInDays together", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await expectRefusedUntouched(
      key,
      s.id,
      { recipients: "ada@example.org", expiresAt: new Date(Date.now() + 86_400_000).toISOString(), expiresInDays: 3 },
      "validation_failed",
    );
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "expiresInDays" })]);
  });

  it("refuses an expiresAt already past, which would mail a dead link", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await expectRefusedUntouched(
      key,
      s.id,
      { recipients: "ada@example.org", expiresAt: new Date(Date.now() - 3_600_000).toISOString() },
      "validation_failed",
    );
    expect(res.body.errors).toEqual([{ path: "expiresAt", code: "not_in_future", message: "must be in the future" }]);
  });

  it("refuses an expiresAt before sendAt, which would expire an invitation never sent", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const day = 86_400_000;
    const body = {
      recipients: "ada@example.org",
      sendAt: new Date(Date.now() + 5 * day).toISOString(),
      expiresAt: new Date(Date.now() + day).toISOString(),
    };
    const res = await expectRefusedUntouched(key, s.id, body, "validation_failed");
    expect(res.body.errors).toEqual([{ path: "expiresAt", code: "ends_before_start", message: "must be after sendAt" }]);
    const expiresAt = new Date(Date.now() + 6 * day).toISOString();
    const fine = await invited(key, s.id, { ...body, expiresAt });
    expect(fine.invitations[0]).toMatchObject({ status: "scheduled", expiresAt });
  });

  it('refuses sendAt with send "later"', async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await expectRefusedUntouched(
      key,
      s.id,
      { recipients: "ada@example.org", send: "later", sendAt: new Date(Date.now() + 86_400_000).toISOString() },
      "validation_failed",
    );
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "sendAt" })]);
  });

  it("refuses a body with an unknown field (a typo must not be ignored silently)", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await expectRefusedUntouched(key, s.id, { recipients: "ada@example.org", holdSeats: false }, "validation_failed");
    await expectRefusedUntouched(key, s.id, { recipients: "ada@example.org", expiresIn: 3 }, "validation_failed");
  });

  it("refuses a sendAt or expiresAt without a time zone offset", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await expectRefusedUntouched(key, s.id, { recipients: "ada@example.org", sendAt: "2030-01-01 10:00" }, "validation_failed");
    await expectRefusedUntouched(key, s.id, { recipients: "ada@example.org", expiresAt: "tomorrow" }, "validation_failed");
  });
});
