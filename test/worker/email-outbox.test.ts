// With no RESEND_API_KEY the queue's mail lands in the local outbox: /dev/mail for people,
// /dev/mail.json for tests. Also the invite modal's preview.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { devMailRoutes, linksOf } from "../../worker/email/dev-routes";
import { eventually } from "./email-helpers";
import { api, BASE, DEV_BASE, newOrg, newSession, register } from "./helpers";
import { listInvitations } from "./invitation-helpers";

async function outbox(to: string, count = 1) {
  const read = async () => (await api("GET", `/dev/mail.json?to=${encodeURIComponent(to)}`, { base: DEV_BASE })).body.messages as any[];
  const messages = await eventually(read, (m) => m.length >= count);
  expect(messages.length).toBeGreaterThanOrEqual(count);
  return messages;
}

describe("the dev outbox", () => {
  it("receives a confirmation through the real queue, with its cancel link and calendar file", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { title: "Pottery <b>night</b>" });
    const res = await register(s.id, { name: "Ada", email: "ada.outbox@example.org" });
    expect(res.status).toBe(201);

    const [mail] = await outbox("ada.outbox@example.org");
    expect(mail).toMatchObject({
      template: "registration_confirmed",
      to: "ada.outbox@example.org",
      subject: "You're registered: Pottery <b>night</b>",
    });
    expect(mail.links).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${BASE}/m/${s.id}\\.`))]));
    expect(mail.html).toContain("Pottery &lt;b&gt;night&lt;/b&gt;");
    expect(mail.attachments).toEqual([
      {
        filename: "session.ics",
        contentType: expect.stringContaining("text/calendar"),
        url: `${DEV_BASE}/dev/mail/${mail.id}/attachments/0`,
      },
    ]);

    const ics = await api("GET", `/dev/mail/${mail.id}/attachments/0`, { base: DEV_BASE });
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toContain("text/calendar");
    expect(ics.body).toContain(`DTSTART;TZID=Europe/Paris:`);
  });

  it("tells a participant the provider removed, once, with a calendar file that cancels their event", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { title: "Pottery night", maxParticipants: 1, minParticipants: 1 });
    const ada = (await register(s.id, { name: "Ada", email: "ada.removed@example.org" })).body.registration;
    await register(s.id, { name: "Eve", email: "eve.removed@example.org" });
    const [confirmation] = await outbox("ada.removed@example.org");
    const booked = (await api("GET", `/dev/mail/${confirmation.id}/attachments/0`, { base: DEV_BASE })).body as string;

    expect((await api("POST", `/v1/registrations/${ada.id}/cancel`, { key })).status).toBe(200);
    expect((await api("POST", `/v1/registrations/${ada.id}/cancel`, { key })).status).toBe(200);
    const removed = (await outbox("ada.removed@example.org", 2)).filter((m) => m.template === "registration_cancelled");
    expect(removed).toHaveLength(1);
    expect(removed[0].subject).toBe("Registration cancelled: Pottery night");
    expect(removed[0].text).toContain("Forest Camp has cancelled your registration for Pottery night.");
    const ics = await api("GET", `/dev/mail/${removed[0].id}/attachments/0`, { base: DEV_BASE });
    expect(ics.headers.get("content-type")).toContain("method=CANCEL");
    const uid = (text: string) => /\r\nUID:([^\r]+)/.exec(text)?.[1];
    const sequence = (text: string) => Number(/\r\nSEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
    expect(ics.body).toContain("METHOD:CANCEL");
    expect(ics.body).toContain("STATUS:CANCELLED");
    expect(uid(ics.body)).toBe(uid(booked));
    expect(sequence(ics.body)).toBeGreaterThan(sequence(booked));

    // Eve was promoted into the freed seat, so Zoe waits. Someone only on the waitlist had no event
    // in their calendar: their email carries none.
    const waiting = (await register(s.id, { name: "Zoe", email: "zoe.removed@example.org" })).body.registration;
    expect(waiting.status).toBe("waitlisted");
    await api("POST", `/v1/registrations/${waiting.id}/cancel`, { key });
    const [zoe] = (await outbox("zoe.removed@example.org", 2)).filter((m) => m.template === "registration_cancelled");
    expect(zoe.attachments).toEqual([]);
  });

  it("receives invitations, and their delivery becomes sent", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await api("POST", `/v1/sessions/${s.id}/invitations`, {
      key,
      body: { recipients: "inv1.outbox@example.org; inv2.outbox@example.org", send: "now", message: "See you <there>!" },
    });
    expect(res.status).toBe(201);
    const [mail] = await outbox("inv1.outbox@example.org");
    expect(mail.template).toBe("invitation");
    expect(mail.html).toContain("See you &lt;there&gt;!");
    expect(mail.links.some((l: string) => l.startsWith(`${BASE}/r/`))).toBe(true);
    const delivered = await eventually(
      () => listInvitations(key, s.id),
      (list) => list.every((i) => i.delivery === "sent"),
    );
    expect(delivered.map((i) => i.delivery)).toEqual(["sent", "sent"]);
  });

  it("tells the recipient of an invitation that requires their address that only it can accept", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const body = { recipients: "match.outbox@example.org", requireEmailMatch: true };
    expect((await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body })).status).toBe(201);
    const [mail] = await outbox("match.outbox@example.org");
    expect(mail.html).toContain("Only this email address can accept the invitation");
    expect(mail.html).not.toContain("whoever holds it");
    const preview = await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { key, body });
    expect(preview.body.text).toContain("Only this email address can accept the invitation");
  });

  it("lists only one person's mail when asked, on the page as in its JSON", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await register(s.id, { name: "Noa", email: "noa.filter@example.org" });
    await register(s.id, { name: "Ravi", email: "ravi.filter@example.org" });
    const [noa] = await outbox("noa.filter@example.org");
    const [ravi] = await outbox("ravi.filter@example.org");

    const only = await api("GET", "/dev/mail?to=NOA.filter@example.org", { base: DEV_BASE });
    expect(only.status).toBe(200);
    expect(only.body).toContain("<h1>Dev mail to NOA.filter@example.org</h1>");
    expect(only.body).toContain(`href="/dev/mail/${noa.id}"`);
    expect(only.body).not.toContain(`href="/dev/mail/${ravi.id}"`);
    expect(only.body).toMatch(/<label for="to">[^<]+<\/label>/);
    expect(only.body).toContain('<a href="/dev/mail">Show all mail</a>');
    expect(only.body).toContain('href="/dev/mail.json?to=NOA.filter%40example.org"');

    const none = await api("GET", "/dev/mail?to=nobody.filter@example.org", { base: DEV_BASE });
    expect(none.body).toContain("No mail to nobody.filter@example.org yet.");
    const all = await api("GET", "/dev/mail", { base: DEV_BASE });
    expect(all.body).toContain(`href="/dev/mail/${ravi.id}"`);
  });

  it("lists messages newest first on a page a person can read, escaped", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { title: `Camp "<script>alert(1)</script>"` });
    await register(s.id, { name: "Eve", email: "eve.outbox@example.org" });
    const [mail] = await outbox("eve.outbox@example.org");

    const list = await api("GET", "/dev/mail", { base: DEV_BASE });
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toContain("text/html");
    expect(list.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(list.body).not.toContain("<script>alert(1)</script>");
    expect(list.body).toContain(`href="/dev/mail/${mail.id}"`);
    // At phone width each row is a card: every cell names its column.
    const cells = list.body.match(/<td[^>]*>/g) ?? [];
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(cell).toMatch(/data-label="[^"]+"/);

    const one = await api("GET", `/dev/mail/${mail.id}`, { base: DEV_BASE });
    expect(one.status).toBe(200);
    expect(one.body).toMatch(
      /<iframe title="The email as HTML" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="&lt;!doctype html&gt;/,
    );
    expect(one.body).not.toContain("<script>alert(1)</script>");
    // The email's HTML sits only inside the escaped srcdoc attribute.
    expect(one.body.match(/<html/g)).toHaveLength(1);

    const newest = (await api("GET", "/dev/mail.json?limit=1", { base: DEV_BASE })).body.messages;
    expect(newest).toHaveLength(1);
  });

  it("filters the JSON list by template, and leaves the bodies out when asked (a script that only counts)", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await register(s.id, { name: "Flo", email: "flo.outbox@example.org" });
    const [mail] = await outbox("flo.outbox@example.org");
    const listed = (await api("GET", `/dev/mail.json?template=${mail.template}&bodies=none&limit=500`, { base: DEV_BASE })).body
      .messages as any[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((m) => m.template === mail.template)).toBe(true);
    expect(listed.find((m) => m.id === mail.id)).toEqual({
      id: mail.id,
      messageId: mail.messageId,
      channel: mail.channel,
      template: mail.template,
      to: mail.to,
      subject: mail.subject,
      createdAt: mail.createdAt,
    });
    expect((await api("GET", "/dev/mail.json?template=no_such_template", { base: DEV_BASE })).body.messages).toEqual([]);
  });

  it("finds links in both the HTML and the text", () => {
    expect(
      linksOf({
        html: '<a href="https://a.test/x?y=1&amp;z=2">x</a><a href="javascript:alert(1)">no</a>',
        text: "Open https://b.test/path.",
      }),
    ).toEqual(["https://a.test/x?y=1&z=2", "https://b.test/path."]);
  });

  it("does not exist in production", async () => {
    const routes = devMailRoutes();
    for (const path of ["/dev/mail", "/dev/mail.json"]) {
      const res = await routes.request(path, {}, { ...env, ROLLCALL_ENV: "production" });
      expect(res.status).toBe(404);
    }
  });
});

describe("POST /v1/sessions/:id/invitations/preview", () => {
  it("renders the invitation with the organiser's texts, escaped, in the session's zone", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { title: "Forest camp", startsAt: "2026-09-01T07:00:00Z", timeZone: "Europe/Paris" });
    const res = await api("POST", `/v1/sessions/${s.id}/invitations/preview`, {
      key,
      body: {
        subject: "Come <along>",
        buttonText: "Join!",
        message: "Bring <boots>",
        discountCode: "FRIENDS",
        locale: "fr",
        holdSeat: true,
        expiresAt: "2026-08-15T10:00:00Z",
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.subject).toBe("Come <along>");
    expect(res.body.html).toContain("Bring &lt;boots&gt;");
    expect(res.body.html).toContain(">Join!</a>");
    expect(res.body.text).toContain("mardi 1er septembre 2026");
    expect(res.body.text).toContain("(Europe/Paris, GMT+2)");
    expect(res.body.text).toContain("Code de réduction : FRIENDS");
    expect(res.body.text).toContain("Une place vous est réservée jusqu’au samedi 15 août 2026");
  });

  it("uses the defaults when nothing is given", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { title: "Forest camp" });
    const res = await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { key, body: {} });
    expect(res.status).toBe(200);
    expect(res.body.subject).toBe("You're invited: Forest camp");
    expect(res.body.text).toContain("Accept or decline: ");
  });

  it("takes the invite modal's whole body, sending options included, and greets its one named recipient", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { title: "Forest camp", startsAt: "2031-09-01T07:00:00Z", timeZone: "Europe/Paris" });
    // The modal selects its discount code from the org's catalogue.
    expect((await api("POST", "/v1/discount-codes", { key, body: { code: "FRIENDS", percentOff: 10 } })).status).toBe(201);
    // What <rollcall-invite> sends to create the invitations, as is: one schema for both routes.
    const body = {
      recipients: ["Ada Lovelace <ada@example.org>"],
      holdSeat: true,
      discountCode: "FRIENDS",
      send: "now",
      sendAt: "2031-08-01T08:00:00Z",
      expiresInDays: 7,
      subject: "Come along",
      locale: "en",
      requireEmailMatch: false,
      allowOverCapacity: false,
    };
    const res = await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { key, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.subject).toBe("Come along");
    expect(res.body.text).toContain("Hello Ada Lovelace");
    // Seven days after the scheduled send, not after now.
    expect(res.body.text).toContain("A seat is reserved for you until Friday, August 8, 2031");
    expect((await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body })).status).toBe(201);
  });

  it("refuses what creating invitations refuses, with the same errors", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    for (const body of [
      { send: "later", sendAt: "2031-08-01T08:00:00Z" },
      { expiresInDays: 3, expiresAt: "2031-08-01T08:00:00Z" },
      { sendNow: true },
    ]) {
      const preview = await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { key, body });
      const create = await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { ...body, recipients: "ada@example.org" } });
      expect(preview.status).toBe(422);
      expect(preview.body.errors).toEqual(create.body.errors);
    }
  });

  it("takes a widget token with the invite scope and refuses strangers", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const token = (await api("POST", "/v1/widget-tokens", { key, body: { sessionId: s.id, scopes: ["invite"] } })).body.token;
    expect((await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { key: token, body: {} })).status).toBe(200);
    const reader = (await api("POST", "/v1/widget-tokens", { key, body: { sessionId: s.id } })).body.token;
    expect((await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { key: reader, body: {} })).status).toBe(403);
    expect((await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { body: {} })).status).toBe(401);
    const other = await newOrg("Other");
    expect((await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { key: other.key, body: {} })).status).toBe(404);
    expect((await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { key, body: { locale: "de" } })).status).toBe(422);
  });

  it("is in the OpenAPI document, with the webhook", async () => {
    const doc = (await api("GET", "/v1/openapi.json")).body;
    expect(doc.paths["/sessions/{id}/invitations/preview"]?.post).toBeDefined();
    expect(doc.paths["/webhooks/resend"]?.post).toBeDefined();
  });
});
