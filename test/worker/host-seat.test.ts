// The host holds the host's seat as a person (issue 17 item 3): when a session counts its host as a
// participant and names a host, the host has a registration of their own, confirmed and never
// charged, counted once (the host's seat), on the roster as the host, and in their emails.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { renderMail } from "../../worker/email/render";
import { decideHostSeat, type HostSeatRow } from "../../worker/registrations/host-seat";
import { addParticipant, api, newOrg, newSession, register, roster, sessionState } from "./helpers";
import { captureMail, hostLocales, mailSoFar } from "./invitation-helpers";

describe("decideHostSeat (registrations/host-seat.ts)", () => {
  const scheduled = { hostCountsAsParticipant: true, status: "scheduled" as const };
  const ada = { email: "ada@example.org", emailKey: "ada@example.org", name: "ada", locale: "en" as const };
  const row = (over: Partial<HostSeatRow>): HostSeatRow => ({
    id: "reg_1",
    emailKey: "ada@example.org",
    source: "host",
    status: "confirmed",
    cancelledBy: null,
    ...over,
  });

  it("seats the host named, once", () => {
    expect(decideHostSeat({ session: scheduled, host: ada, assigned: true, registrations: [] })).toEqual({
      release: [],
      adopt: null,
      take: { email: ada.email, name: "ada", locale: "en" },
    });
    expect(decideHostSeat({ session: scheduled, host: ada, assigned: false, registrations: [row({})] })).toEqual({
      release: [],
      adopt: null,
      take: null,
    });
  });

  it("moves the seat to the next host, and releases it when the setting is off or nobody hosts", () => {
    const grace = { email: "grace@example.org", emailKey: "grace@example.org", name: "grace", locale: "fr" as const };
    expect(decideHostSeat({ session: scheduled, host: grace, assigned: true, registrations: [row({})] })).toEqual({
      release: ["reg_1"],
      adopt: null,
      take: { email: grace.email, name: "grace", locale: "fr" },
    });
    const off = { ...scheduled, hostCountsAsParticipant: false };
    expect(decideHostSeat({ session: off, host: ada, assigned: false, registrations: [row({})] }).release).toEqual(["reg_1"]);
    expect(decideHostSeat({ session: off, host: "unchanged", assigned: false, registrations: [row({})] }).release).toEqual(["reg_1"]);
    expect(decideHostSeat({ session: scheduled, host: null, assigned: true, registrations: [row({})] }).release).toEqual(["reg_1"]);
    expect(decideHostSeat({ session: scheduled, host: "unchanged", assigned: false, registrations: [row({})] })).toEqual({
      release: [],
      adopt: null,
      take: null,
    });
  });

  it("makes the host's own registration theirs, and leaves a seat its host gave up until they are named again", () => {
    const own = row({ id: "reg_own", source: "public" });
    expect(decideHostSeat({ session: scheduled, host: ada, assigned: true, registrations: [own] }).adopt).toBe("reg_own");
    const gaveUp = row({ status: "cancelled", cancelledBy: "participant" });
    expect(decideHostSeat({ session: scheduled, host: ada, assigned: false, registrations: [gaveUp] }).take).toBeNull();
    expect(decideHostSeat({ session: scheduled, host: ada, assigned: true, registrations: [gaveUp] }).take).not.toBeNull();
    const released = row({ status: "cancelled", cancelledBy: "provider" });
    expect(decideHostSeat({ session: scheduled, host: ada, assigned: false, registrations: [released] }).take).not.toBeNull();
  });

  it("changes nothing in a cancelled session", () => {
    const cancelled = { ...scheduled, status: "cancelled" as const };
    expect(decideHostSeat({ session: cancelled, host: null, assigned: true, registrations: [row({})] })).toEqual({
      release: [],
      adopt: null,
      take: null,
    });
  });
});

let members = 0;
/** A member with the host role, as one who accepted their invitation is. */
async function hostMember(orgId: string, email: string): Promise<string> {
  const id = `mem_hostseat${Date.now().toString(36)}${members++}`;
  await env.DB.prepare("INSERT INTO members (id, org_id, email, role, created_at) VALUES (?, ?, ?, 'host', ?)")
    .bind(id, orgId, email, new Date().toISOString())
    .run();
  return id;
}

const hostRows = async (key: string, sessionId: string) =>
  (await roster(key, sessionId)).rows.filter((r) => r.source === "host" && r.status !== "cancelled");

describe("the host's seat as a person", () => {
  it("is the host's registration from the session's creation: confirmed, counted once, on the roster as the host", async () => {
    const { key, orgId } = await newOrg();
    const hostId = await hostMember(orgId, "mentor-a@example.org");
    const s = await newSession(key, { hostMemberId: hostId, hostCountsAsParticipant: true, maxParticipants: 3, minParticipants: 1 });
    expect(s.seats).toMatchObject({ capacity: 3, confirmed: 0, host: 1, available: 2 });
    const rows = await hostRows(key, s.id);
    expect(rows).toEqual([
      expect.objectContaining({ email: "mentor-a@example.org", name: "mentor-a", status: "confirmed", source: "host", flags: ["host"] }),
    ]);
    // Two more fill the session: the host is not counted twice.
    expect((await register(s.id, { name: "One", email: "one@example.org" })).status).toBe(201);
    expect((await register(s.id, { name: "Two", email: "two@example.org" })).status).toBe(201);
    const full = (await roster(key, s.id)).session.seats;
    expect(full).toMatchObject({ capacity: 3, confirmed: 2, host: 1, available: 0 });
    const third = await register(s.id, { name: "Three", email: "three@example.org" });
    expect(third.body.registration.status).toBe("waitlisted");
  });

  it("moves to the next host when the session is handed over, without promoting anyone; released when the setting is off", async () => {
    const { key, orgId } = await newOrg();
    const first = await hostMember(orgId, "mentor-b@example.org");
    const next = await hostMember(orgId, "mentor-c@example.org");
    const s = await newSession(key, { hostMemberId: first, hostCountsAsParticipant: true, maxParticipants: 2, minParticipants: 1 });
    await register(s.id, { name: "One", email: "one@example.org" });
    const waiting = await register(s.id, { name: "Two", email: "two@example.org" });
    expect(waiting.body.registration.status).toBe("waitlisted");
    const captured = await captureMail(s.id);
    const seen = new Set((await mailSoFar(s.id, captured)).map((m) => m.id));
    const since = async () => (await mailSoFar(s.id, captured)).filter((m) => !seen.has(m.id));

    const handed = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostMemberId: next } });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(handed.body.seats).toMatchObject({ confirmed: 1, host: 1, available: 0, waitlisted: 1 });
    expect((await hostRows(key, s.id)).map((r) => r.email)).toEqual(["mentor-c@example.org"]);
    const all = (await roster(key, s.id)).rows;
    expect(all.find((r) => r.email === "mentor-b@example.org")).toMatchObject({ status: "cancelled" });
    expect(all.find((r) => r.email === "two@example.org")).toMatchObject({ status: "waitlisted" });
    let mail = await since();
    expect(mail.map((m) => `${m.template} ${m.to}`).sort()).toEqual([
      "registration_cancelled mentor-b@example.org",
      "registration_confirmed mentor-c@example.org",
    ]);

    // The same again changes nothing and sends nothing.
    const again = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostMemberId: next, title: "Same host" } });
    expect(again.status).toBe(200);
    expect(await hostRows(key, s.id)).toHaveLength(1);
    mail = await since();
    expect(mail).toHaveLength(2);

    // The setting off: the host's seat is released, and the freed seat goes to the waitlist.
    const off = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostCountsAsParticipant: false } });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(await hostRows(key, s.id)).toHaveLength(0);
    expect(off.body.seats).toMatchObject({ confirmed: 2, host: 0, waitlisted: 0 });
    mail = await since();
    expect(mail.map((m) => `${m.template} ${m.to}`)).toContain("registration_cancelled mentor-c@example.org");
    expect(mail.map((m) => `${m.template} ${m.to}`)).toContain("promoted two@example.org");
  });

  it("refuses the host a seat in a full session, naming the fix, and changes nothing", async () => {
    const { key, orgId } = await newOrg();
    const hostId = await hostMember(orgId, "mentor-d@example.org");
    const s = await newSession(key, { hostMemberId: hostId, maxParticipants: 2, minParticipants: 1 });
    await addParticipant(key, s.id, { name: "One", email: "one@example.org" });
    await addParticipant(key, s.id, { name: "Two", email: "two@example.org" });
    const before = await sessionState(key, s.id);
    const refused = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostCountsAsParticipant: true } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("capacity_below_taken");
    expect(refused.body.detail).toMatch(/raise the capacity to 3 or free a seat/);
    expect(await sessionState(key, s.id)).toEqual(before);

    // Raising the capacity in the same edit makes room: the host takes the seat.
    const fits = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostCountsAsParticipant: true, maxParticipants: 3 } });
    expect(fits.status, JSON.stringify(fits.body)).toBe(200);
    expect(fits.body.seats).toMatchObject({ capacity: 3, confirmed: 2, host: 1, available: 0 });
    expect((await hostRows(key, s.id)).map((r) => r.email)).toEqual(["mentor-d@example.org"]);
  });

  it("makes a host already registered the host, freeing the seat they took", async () => {
    const { key, orgId } = await newOrg();
    const hostId = await hostMember(orgId, "mentor-e@example.org");
    const s = await newSession(key, { hostCountsAsParticipant: true, maxParticipants: 3, minParticipants: 1 });
    await register(s.id, { name: "Mentor", email: "mentor-e@example.org" });
    expect((await roster(key, s.id)).session.seats).toMatchObject({ confirmed: 1, host: 1, available: 1 });
    const named = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostMemberId: hostId } });
    expect(named.status).toBe(200);
    expect(named.body.seats).toMatchObject({ confirmed: 0, host: 1, available: 2 });
    const rows = (await roster(key, s.id)).rows.filter((r) => r.email === "mentor-e@example.org");
    expect(rows).toEqual([expect.objectContaining({ source: "host", status: "confirmed" })]);
  });
});

describe("the host's seat in the org's language", () => {
  /** An org whose default language is French, and two members who may host. */
  async function frenchOrg() {
    const { key, orgId } = await newOrg();
    const set = await api("PATCH", "/v1/org", { key, body: { settings: { defaultLocale: "fr" } } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    return { key, orgId };
  }

  it("gives the host named at creation a registration in French", async () => {
    const { key, orgId } = await frenchOrg();
    const hostId = await hostMember(orgId, "mentor-fr1@example.org");
    const s = await newSession(key, { hostMemberId: hostId, hostCountsAsParticipant: true, maxParticipants: 3, minParticipants: 1 });
    expect(await hostLocales(s.id)).toEqual([{ email: "mentor-fr1@example.org", locale: "fr" }]);
  });

  it("writes to the next host in French when the session is handed over", async () => {
    const { key, orgId } = await frenchOrg();
    const first = await hostMember(orgId, "mentor-fr2@example.org");
    const next = await hostMember(orgId, "mentor-fr3@example.org");
    const s = await newSession(key, { hostMemberId: first, hostCountsAsParticipant: true, maxParticipants: 3, minParticipants: 1 });
    const captured = await captureMail(s.id);
    const handed = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostMemberId: next } });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(await hostLocales(s.id)).toEqual([{ email: "mentor-fr3@example.org", locale: "fr" }]);
    const mail = (await mailSoFar(s.id, captured)).filter((m) => m.to === "mentor-fr3@example.org");
    expect(mail.map((m) => `${m.template} ${m.locale}`)).toEqual(["registration_confirmed fr"]);
    const rendered = renderMail(mail[0]);
    expect(rendered.subject).toBe(`Vous animez : ${s.title}`);
    expect(rendered.text).toContain("vous animez toujours la séance");
  });

  it("writes to the host in French when the setting is turned on later", async () => {
    const { key, orgId } = await frenchOrg();
    const hostId = await hostMember(orgId, "mentor-fr4@example.org");
    const s = await newSession(key, { hostMemberId: hostId, maxParticipants: 3, minParticipants: 1 });
    const captured = await captureMail(s.id);
    const counted = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostCountsAsParticipant: true } });
    expect(counted.status, JSON.stringify(counted.body)).toBe(200);
    expect(await hostLocales(s.id)).toEqual([{ email: "mentor-fr4@example.org", locale: "fr" }]);
    const mail = (await mailSoFar(s.id, captured)).filter((m) => m.to === "mentor-fr4@example.org");
    expect(mail.map((m) => `${m.template} ${m.locale}`)).toEqual(["registration_confirmed fr"]);
    expect(renderMail(mail[0]).subject).toBe(`Vous animez : ${s.title}`);
  });

  it("keeps English for an org that chose no language", async () => {
    const { key, orgId } = await newOrg();
    const hostId = await hostMember(orgId, "mentor-en1@example.org");
    const s = await newSession(key, { hostMemberId: hostId, hostCountsAsParticipant: true, maxParticipants: 3, minParticipants: 1 });
    expect(await hostLocales(s.id)).toEqual([{ email: "mentor-en1@example.org", locale: "en" }]);
  });
});

describe("the email confirming a host's own seat", () => {
  it("says they host the session and that cancelling the seat leaves them hosting; a participant's says neither", async () => {
    const { key, orgId } = await newOrg("Mentoring club");
    const first = await hostMember(orgId, "mentor-mail1@example.org");
    const next = await hostMember(orgId, "mentor-mail2@example.org");
    const s = await newSession(key, { hostMemberId: first, hostCountsAsParticipant: true, maxParticipants: 3, minParticipants: 1 });
    const captured = await captureMail(s.id);
    expect((await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostMemberId: next } })).status).toBe(200);
    await register(s.id, { name: "Ada", email: "ada.hostmail@example.org" });
    const mail = await mailSoFar(s.id, captured);
    const to = (address: string) => renderMail(mail.find((m) => m.to === address && m.template === "registration_confirmed"));
    const host = to("mentor-mail2@example.org");
    expect(host.subject).toBe(`You're hosting: ${s.title}`);
    expect(host.text).toContain(`You host ${s.title} and it counts you among its participants: one of its seats is yours.`);
    expect(host.text).toContain("you still host the session");
    const participant = to("ada.hostmail@example.org");
    expect(participant.subject).toBe(`You're registered: ${s.title}`);
    expect(participant.text).not.toContain("host");
  });
});
