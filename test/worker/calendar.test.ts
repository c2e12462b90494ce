// Calendars that stay right: every calendar file a session's participants receive, parsed back with
// ical.js, in several zones. One UID per session; a SEQUENCE that grows with every file the session
// sends (confirmation → update → cancellation, and an update decided right after someone else's
// cancellation); METHOD, LOCATION, URL, ORGANIZER and DTSTART in the session's own zone.
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import type { MailMessage } from "../../worker/email/message";
import { renderMail } from "../../worker/email/render";
import type { SenderSettings } from "../../worker/email/sender";
import { api, expectProblem, hoursFromNow, newOrg, newSession, register } from "./helpers";
import { captureMail, ledgerStub, mailSoFar } from "./invitation-helpers";

const ORG: SenderSettings = { orgName: "Maple Grove Summer Camp", ownerEmail: "owner@maple.example" };
const STAMP = new Date("2026-05-01T12:00:00Z");

function calendarOf(message: MailMessage, settings: SenderSettings | undefined = ORG, from?: string) {
  const attachment = renderMail(message, STAMP, settings, from).attachments?.[0];
  if (!attachment) return null;
  const text = new TextDecoder().decode(Uint8Array.from(atob(attachment.content), (c) => c.charCodeAt(0)));
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
  const vevent = calendar.getFirstSubcomponent("vevent")!;
  return {
    text,
    contentType: attachment.contentType,
    method: String(calendar.getFirstPropertyValue("method")),
    vevent,
    event: new ICAL.Event(vevent),
    sequence: Number(vevent.getFirstPropertyValue("sequence")),
    uid: String(vevent.getFirstPropertyValue("uid")),
    location: vevent.getFirstPropertyValue("location") as string | null,
    url: vevent.getFirstPropertyValue("url") as string | null,
    organizer: String(vevent.getFirstPropertyValue("organizer")),
    organizerName: vevent.getFirstProperty("organizer")?.getParameter("cn"),
  };
}

async function mailOf(sessionId: string, captured: any[], to: string): Promise<MailMessage[]> {
  await ledgerStub(sessionId).drain();
  return (await mailSoFar(sessionId, captured)).filter((m) => m.to === to);
}

const ZONES = [
  ["Europe/Paris", "2027-03-10T08:00:00.000Z", "2027-03-10T09:00:00"],
  ["America/New_York", "2027-11-08T14:30:00.000Z", "2027-11-08T09:30:00"],
  ["Pacific/Auckland", "2027-04-05T21:00:00.000Z", "2027-04-06T09:00:00"],
  ["Asia/Kolkata", "2027-01-10T04:30:00.000Z", "2027-01-10T10:00:00"],
] as const;

describe("location and onlineUrl on a session", () => {
  it("are kept and shown: both to the provider, the place to everyone, never the meeting link", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { location: "Lakeside cabin, 12 Pine Road", onlineUrl: "https://meet.example/forest" });
    expect(s).toMatchObject({ location: "Lakeside cabin, 12 Pine Road", onlineUrl: "https://meet.example/forest" });
    const pub = await api("GET", `/v1/public/sessions/${s.id}`);
    expect(pub.body).toMatchObject({ location: "Lakeside cabin, 12 Pine Road", online: true });
    expect(JSON.stringify(pub.body)).not.toContain("meet.example");
    const roster = await api("GET", `/v1/sessions/${s.id}/roster`, { key });
    expect(roster.body.session).toMatchObject({ location: "Lakeside cabin, 12 Pine Road", onlineUrl: "https://meet.example/forest" });
    const plain = await newSession(key);
    expect(plain).toMatchObject({ location: null, onlineUrl: null });
    expect((await api("GET", `/v1/public/sessions/${plain.id}`)).body).toMatchObject({ location: null, online: false });
  });

  it.each([
    ["http", "http://meet.example/forest"],
    ["javascript", "javascript:alert(1)"],
    ["data", "data:text/html,<script>alert(1)</script>"],
  ])("refuses a %s: meeting link with online_url_not_https, on create and on edit", async (_scheme, url) => {
    const { key } = await newOrg();
    const created = await api("POST", "/v1/sessions", {
      key,
      body: {
        title: "T",
        description: "A morning together.",
        startsAt: hoursFromNow(48),
        timeZone: "UTC",
        durationMinutes: 60,
        minParticipants: 0,
        maxParticipants: 5,
        onlineUrl: url,
      },
    });
    expectProblem(created, "online_url_not_https");
    expect(created.body.errors).toEqual([{ path: "onlineUrl", code: "not_https", message: "must be an https:// URL" }]);
    const s = await newSession(key);
    expectProblem(await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { onlineUrl: url } }), "online_url_not_https");
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.onlineUrl).toBeNull();
  });

  it("refuses what is not a URL, a link with a password in it, and a place on two lines, as invalid fields", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    expectProblem(await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { onlineUrl: "meet the group" } }), "validation_failed");
    expectProblem(
      await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { onlineUrl: "https://a:b@meet.example/x" } }),
      "online_url_not_https",
    );
    expectProblem(await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { location: "Cabin\nRoad" } }), "validation_failed");
    expectProblem(await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { location: "x".repeat(301) } }), "validation_failed");
  });
});

describe("a participant's calendar, from booking to cancellation", () => {
  it.each(ZONES)(
    "in %s: PUBLISH → REQUEST (moved) → CANCEL, one UID, SEQUENCE growing, the zone's own DTSTART",
    async (timeZone, startsAt, local) => {
      const { key } = await newOrg("Maple Grove Summer Camp");
      const s = await newSession(key, {
        startsAt: "2027-01-01T10:00:00.000Z",
        timeZone,
        durationMinutes: 90,
        location: "Old hall",
        onlineUrl: "https://meet.example/old",
      });
      const captured = await captureMail(s.id);
      const ada = await register(s.id, { name: "Ada", email: "ada@example.org" });
      expect(ada.status).toBe(201);
      const moved = await api("PATCH", `/v1/sessions/${s.id}`, {
        key,
        body: { startsAt, location: "Lakeside cabin, 12 Pine Road", onlineUrl: "https://meet.example/new" },
      });
      expect(moved.status).toBe(200);
      expect((await api("POST", `/v1/manage/${ada.body.manageToken}/cancel`)).status).toBe(200);

      const mail = await mailOf(s.id, captured, "ada@example.org");
      expect(mail.map((m) => m.template)).toEqual(["registration_confirmed", "session_updated", "registration_cancelled"]);
      const [booked, updated, cancelled] = mail.map((m) => calendarOf(m)!);
      expect([booked!.method, updated!.method, cancelled!.method]).toEqual(["PUBLISH", "REQUEST", "CANCEL"]);
      expect(updated!.contentType).toBe("text/calendar; charset=utf-8; method=REQUEST");
      expect(new Set([booked!.uid, updated!.uid, cancelled!.uid]).size).toBe(1);
      expect(booked!.sequence).toBeLessThan(updated!.sequence);
      expect(updated!.sequence).toBeLessThan(cancelled!.sequence);

      expect(booked!.event.startDate.zone?.tzid).toBe(timeZone);
      expect(booked!.event.startDate.toJSDate().toISOString()).toBe("2027-01-01T10:00:00.000Z");
      expect(booked!.location).toBe("Old hall");
      expect(booked!.url).toBe("https://meet.example/old");

      expect(updated!.text).toContain(`DTSTART;TZID=${timeZone}:`);
      expect(updated!.event.startDate.zone?.tzid).toBe(timeZone);
      expect(updated!.event.startDate.toString()).toBe(local);
      expect(updated!.event.startDate.toJSDate().toISOString()).toBe(startsAt);
      expect(updated!.event.endDate.toJSDate().getTime() - updated!.event.startDate.toJSDate().getTime()).toBe(90 * 60_000);
      expect(updated!.location).toBe("Lakeside cabin, 12 Pine Road");
      expect(updated!.url).toBe("https://meet.example/new");
      expect(String(updated!.vevent.getFirstPropertyValue("attendee")).toLowerCase()).toBe("mailto:ada@example.org");

      expect(cancelled!.vevent.getFirstPropertyValue("status")).toBe("CANCELLED");
      expect(cancelled!.event.startDate.zone?.tzid).toBe(timeZone);
      for (const file of [booked, updated, cancelled]) {
        expect(file!.organizer).toBe("mailto:owner@maple.example");
        expect(file!.organizerName).toBe("Maple Grove Summer Camp");
      }
    },
  );

  it("an update decided right after another participant's removal still outranks it (a counter, not the clock)", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { location: "Old hall" });
    const captured = await captureMail(s.id);
    await register(s.id, { name: "Ada", email: "ada@example.org" });
    const bob = await register(s.id, { name: "Bob", email: "bob@example.org" });
    // Same second, back to back: the removal's CANCEL, then the move's REQUEST.
    expect((await api("POST", `/v1/registrations/${bob.body.registration.id}/cancel`, { key })).status).toBe(200);
    expect((await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { location: "New hall" } })).status).toBe(200);
    const [removal] = (await mailOf(s.id, captured, "bob@example.org")).filter((m) => m.template === "registration_cancelled");
    const [update] = (await mailOf(s.id, captured, "ada@example.org")).filter((m) => m.template === "session_updated");
    const sequences = [calendarOf(removal!)!, calendarOf(update!)!].map((c) => c.sequence);
    expect(sequences[1]).toBeGreaterThan(sequences[0]!);
    expect((await mailOf(s.id, captured, "bob@example.org")).map((m) => m.template)).not.toContain("session_updated");
  });

  it("withdraws the event of every confirmed participant when the session is cancelled, above every earlier file", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 0, timeZone: "Pacific/Auckland" });
    const captured = await captureMail(s.id);
    await register(s.id, { name: "Ada", email: "ada@example.org" });
    await register(s.id, { name: "Wai", email: "wai@example.org" }); // waitlisted: no event to withdraw
    expect((await api("POST", `/v1/sessions/${s.id}/cancel`, { key })).status).toBe(200);
    const ada = await mailOf(s.id, captured, "ada@example.org");
    const [booked, cancelled] = ada.map((m) => calendarOf(m)!);
    expect(ada.map((m) => m.template)).toEqual(["registration_confirmed", "session_cancelled"]);
    expect(cancelled!.method).toBe("CANCEL");
    expect(cancelled!.uid).toBe(booked!.uid);
    expect(cancelled!.sequence).toBeGreaterThan(booked!.sequence);
    expect(cancelled!.event.startDate.zone?.tzid).toBe("Pacific/Auckland");
    const wai = await mailOf(s.id, captured, "wai@example.org");
    expect(wai.map((m) => m.template)).toEqual(["waitlisted", "session_cancelled"]);
    expect(calendarOf(wai[1]!)).toBeNull();
  });

  it("names the sender's address as ORGANIZER when the org has no address to answer at", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    await register(s.id, { name: "Ada", email: "ada@example.org" });
    const [booked] = await mailOf(s.id, captured, "ada@example.org");
    const file = calendarOf(booked!, { orgName: "Forest Camp", ownerEmail: null }, "Rollcall <mail@rollcall.test>")!;
    expect(file.organizer).toBe("mailto:mail@rollcall.test");
    expect(file.organizerName).toBe("Forest Camp");
  });
});

describe("telling confirmed participants that the session moved", () => {
  it("emails each confirmed participant once, in their language, what changed (old → new), naming the org and the session", async () => {
    const { key } = await newOrg("Maple Grove Summer Camp");
    const s = await newSession(key, {
      title: "Forest camp — week 1",
      startsAt: "2027-06-01T07:00:00.000Z",
      timeZone: "Europe/Paris",
      maxParticipants: 2,
      minParticipants: 0,
      location: "Old hall",
    });
    const captured = await captureMail(s.id);
    await register(s.id, { name: "Ada", email: "ada@example.org" });
    await register(s.id, { name: "Léa", email: "lea@example.org", locale: "fr" });
    await register(s.id, { name: "Wai", email: "wai@example.org" }); // waitlisted
    const patch = { startsAt: "2027-06-02T08:00:00.000Z", location: "Lakeside cabin", onlineUrl: "https://meet.example/camp" };
    expect((await api("PATCH", `/v1/sessions/${s.id}`, { key, body: patch })).status).toBe(200);
    // The same edit again changes nothing, so nobody is told twice; a new title moves nothing.
    expect((await api("PATCH", `/v1/sessions/${s.id}`, { key, body: patch })).status).toBe(200);
    expect((await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { title: "Forest camp — week 1" } })).status).toBe(200);

    const updates = async (to: string) => (await mailOf(s.id, captured, to)).filter((m) => m.template === "session_updated");
    expect(await updates("wai@example.org")).toEqual([]);
    const [en] = await updates("ada@example.org");
    const fr = await updates("lea@example.org");
    expect(fr).toHaveLength(1);
    expect(await updates("ada@example.org")).toHaveLength(1);

    const mailEn = renderMail(en!, STAMP, ORG);
    expect(mailEn.subject).toBe("Changed: Forest camp — week 1");
    expect(mailEn.text).toContain("Maple Grove Summer Camp has changed Forest camp — week 1.");
    expect(mailEn.text).toMatch(/When: Tuesday, June 1, 2027.* → Wednesday, June 2, 2027/);
    expect(mailEn.text).toContain("Where: Old hall → Lakeside cabin");
    expect(mailEn.text).toContain("Meeting link: (none) → https://meet.example/camp");
    expect(mailEn.html).toContain('href="https://meet.example/camp"');
    const mailFr = renderMail(fr[0]!, STAMP, ORG);
    expect(mailFr.subject).toBe("Séance modifiée : Forest camp — week 1");
    expect(mailFr.text).toContain("Maple Grove Summer Camp a modifié Forest camp — week 1.");
    expect(mailFr.text).toMatch(/Où\s:\sOld hall → Lakeside cabin/);
    expect(mailFr.text).toMatch(/mardi 1er juin 2027.* → mercredi 2 juin 2027/);
  });

  it("gives the meeting link to a confirmed seat's email only, never to an invitation or the waitlist", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 0, onlineUrl: "https://meet.example/secret" });
    const captured = await captureMail(s.id);
    await register(s.id, { name: "Ada", email: "ada@example.org" });
    await register(s.id, { name: "Wai", email: "wai@example.org" });
    const [confirmed] = await mailOf(s.id, captured, "ada@example.org");
    expect(renderMail(confirmed!, STAMP, ORG).text).toContain("https://meet.example/secret");
    const [waiting] = await mailOf(s.id, captured, "wai@example.org");
    expect(JSON.stringify(waiting)).not.toContain("meet.example");
  });
});
