// Sessions through the API: creating, listing, reading, editing and cancelling, with the seat
// counts and registration state each answer carries.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  addParticipant,
  api,
  expectProblem,
  hoursFromNow,
  newOrg,
  newSession,
  person,
  ROOT_KEY,
  readSession,
  register,
  registered,
  sessionBody,
  sessionState,
} from "./helpers";

const UNKNOWN_SESSION = "ses_00000000000000000000";

describe("POST /v1/sessions", () => {
  it("creates a session with its defaults, its seats and its registration state", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/sessions", {
      key,
      body: sessionBody({ startsAt: "2031-07-05T09:00:00+02:00", durationMinutes: 90 }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^ses_[0-9a-z]{20}$/),
      title: "Forest camp — week 1",
      startsAt: "2031-07-05T07:00:00.000Z",
      endsAt: "2031-07-05T08:30:00.000Z",
      timeZone: "Europe/Paris",
      minParticipants: 2,
      maxParticipants: 10,
      hostCountsAsParticipant: false,
      registrationOpensAt: null,
      registrationClosesAt: "2031-07-05T07:00:00.000Z",
      registrationCode: null,
      waitlist: true,
      status: "scheduled",
      seats: { capacity: 10, confirmed: 0, held: 0, host: 0, available: 10, waitlisted: 0 },
      registrationState: "open",
      capacityChanges: [],
      cancelledAt: null,
    });
  });

  it("shows the new session in the org's list at once", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const list = await api("GET", "/v1/sessions", { key });
    expect(list.body.sessions.map((x: { id: string }) => x.id)).toEqual([s.id]);
  });

  it("gives the host a seat when the host counts as a participant", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { hostCountsAsParticipant: true, maxParticipants: 5 });
    expect(s.seats).toMatchObject({ capacity: 5, host: 1, available: 4 });
  });

  it("is not yet open when registration opens later", async () => {
    const { key } = await newOrg();
    const opensAt = hoursFromNow(2);
    const s = await newSession(key, { registrationOpensAt: opensAt });
    expect(s.registrationState).toBe("not_yet_open");
    expect(s.registrationOpensAt).toBe(opensAt);
  });

  it("is closed when registration closed already, though the session is ahead", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { registrationOpensAt: hoursFromNow(-48), registrationClosesAt: hoursFromNow(-1) });
    expect(s.registrationState).toBe("closed");
  });

  it("lets an org-wide widget token with the manage scope create a session", async () => {
    const { key } = await newOrg();
    const token = (await api("POST", "/v1/widget-tokens", { key, body: { scopes: ["manage"] } })).body.token;
    expect((await api("POST", "/v1/sessions", { key: token, body: sessionBody() })).status).toBe(201);
  });

  it("refuses a widget token scoped to one session with 403 and creates nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const token = (await api("POST", "/v1/widget-tokens", { key, body: { sessionId: s.id, scopes: ["manage"] } })).body.token;
    expectProblem(await api("POST", "/v1/sessions", { key: token, body: sessionBody() }), "forbidden");
    expect((await api("GET", "/v1/sessions", { key })).body.sessions).toHaveLength(1);
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
    ["an unknown API key", "rk_notakeyatall", "unauthenticated"],
  ] as const)("refuses %s", async (_label, key, code) => {
    const before = (await env.DB.prepare("SELECT count(*) AS n FROM sessions").first<{ n: number }>())!.n;
    expectProblem(await api("POST", "/v1/sessions", { key, body: sessionBody() }), code);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM sessions").first<{ n: number }>())!.n).toBe(before);
  });
});

describe("GET /v1/sessions", () => {
  it("lists the org's sessions in start order, a page at a time", async () => {
    const { key } = await newOrg();
    const other = await newOrg("Other Camp");
    await newSession(other.key);
    const third = await newSession(key, { startsAt: hoursFromNow(24 * 90) });
    const first = await newSession(key, { startsAt: hoursFromNow(24 * 10) });
    const second = await newSession(key, { startsAt: hoursFromNow(24 * 20) });

    const page1 = await api("GET", "/v1/sessions?limit=2", { key });
    expect(page1.status).toBe(200);
    expect(page1.body.sessions.map((s: { id: string }) => s.id)).toEqual([first.id, second.id]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));

    const page2 = await api("GET", `/v1/sessions?limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`, { key });
    expect(page2.body.sessions.map((s: { id: string }) => s.id)).toEqual([third.id]);
    expect(page2.body.nextCursor).toBeNull();
  });

  it("separates upcoming sessions from past ones, the most recent past first", async () => {
    const { key } = await newOrg();
    const upcoming = await newSession(key);
    const lastWeek = await newSession(key, { startsAt: hoursFromNow(-24 * 7) });
    const yesterday = await newSession(key, { startsAt: hoursFromNow(-24) });
    const ids = async (when: string) =>
      (await api("GET", `/v1/sessions?when=${when}`, { key })).body.sessions.map((s: { id: string }) => s.id);
    expect(await ids("upcoming")).toEqual([upcoming.id]);
    expect(await ids("past")).toEqual([yesterday.id, lastWeek.id]);
    expect(await ids("all")).toEqual([lastWeek.id, yesterday.id, upcoming.id]);
  });

  it("keeps a session under way among the upcoming ones until it has ended", async () => {
    const { key } = await newOrg();
    const underWay = await newSession(key, { startsAt: hoursFromNow(-1), durationMinutes: 180 });
    const ended = await newSession(key, { startsAt: hoursFromNow(-4), durationMinutes: 180 });
    const ids = async (when: string) =>
      (await api("GET", `/v1/sessions?when=${when}`, { key })).body.sessions.map((s: { id: string }) => s.id);
    expect(await ids("upcoming")).toEqual([underWay.id]);
    expect(await ids("past")).toEqual([ended.id]);
  });

  it("reports each session's registration state as of now, not as of its last change", async () => {
    const { key } = await newOrg();
    const opensAt = new Date(Date.now() + 1500).toISOString();
    const s = await newSession(key, { registrationOpensAt: opensAt });
    const state = async () =>
      (await api("GET", "/v1/sessions", { key })).body.sessions.find((x: { id: string }) => x.id === s.id).registrationState;
    expect(await state()).toBe("not_yet_open");
    await scheduler.wait(Date.parse(opensAt) - Date.now() + 100);
    expect((await readSession(key, s.id)).registrationState).toBe("open");
    expect(await state()).toBe("open");
  });

  it("shows a widget token for one session only that session", async () => {
    const { key } = await newOrg();
    const mine = await newSession(key);
    await newSession(key);
    const token = (await api("POST", "/v1/widget-tokens", { key, body: { sessionId: mine.id } })).body.token;
    const list = await api("GET", "/v1/sessions", { key: token });
    expect(list.body.sessions.map((s: { id: string }) => s.id)).toEqual([mine.id]);
  });

  it("gives a widget token for one session that session on the first page, however many come before it", async () => {
    const { key } = await newOrg();
    await newSession(key, { startsAt: hoursFromNow(24) });
    await newSession(key, { startsAt: hoursFromNow(48) });
    const mine = await newSession(key, { startsAt: hoursFromNow(72) });
    const token = (await api("POST", "/v1/widget-tokens", { key, body: { sessionId: mine.id } })).body.token;
    const list = await api("GET", "/v1/sessions?limit=1", { key: token });
    expect(list.body).toMatchObject({ sessions: [{ id: mine.id }], nextCursor: null });
  });

  it("refuses a cursor it did not give out with 422", async () => {
    const { key } = await newOrg();
    expectProblem(await api("GET", "/v1/sessions?cursor=bm9wZQ", { key }), "validation_failed");
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
  ] as const)("refuses %s", async (_label, key, code) => {
    expectProblem(await api("GET", "/v1/sessions", { key }), code);
  });
});

describe("GET /v1/sessions/:id", () => {
  it("reads a session with its live seat counts", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 3, minParticipants: 1 });
    await registered(s.id, person(1));
    const read = await api("GET", `/v1/sessions/${s.id}`, { key });
    expect(read.status).toBe(200);
    expect(read.body.seats).toMatchObject({ capacity: 3, confirmed: 1, available: 2 });
  });

  it.each([
    ["a malformed id", "not-a-session"],
    ["an unknown id", UNKNOWN_SESSION],
  ])("answers %s with 404", async (_label, id) => {
    const { key } = await newOrg();
    expectProblem(await api("GET", `/v1/sessions/${id}`, { key }), "session_not_found");
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
  ] as const)("refuses %s", async (_label, key, code) => {
    const { key: owner } = await newOrg();
    const s = await newSession(owner);
    expectProblem(await api("GET", `/v1/sessions/${s.id}`, { key }), code);
  });
});

describe("PATCH /v1/sessions/:id", () => {
  it("edits fields and records a capacity change with who made it", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const keyId = (await api("GET", "/v1/api-keys", { key })).body.keys[0].id;
    const res = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { title: "Forest camp — week 2", maxParticipants: 12 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: "Forest camp — week 2", maxParticipants: 12, seats: { capacity: 12, available: 12 } });
    expect(res.body.capacityChanges).toEqual([{ at: expect.any(String), actor: `key:${keyId}`, from: 10, to: 12, reason: "edited" }]);
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(s.updatedAt));
    expect((await readSession(key, s.id)).title).toBe("Forest camp — week 2");
  });

  it("moves exactly as many people off the waitlist as the new seats allow", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    const regs = [];
    for (let i = 1; i <= 5; i++) regs.push(await registered(s.id, person(i)));
    expect(regs.map((r) => r.registration.status)).toEqual(["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]);
    const res = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { maxParticipants: 4 } });
    expect(res.body.seats).toMatchObject({ capacity: 4, confirmed: 4, waitlisted: 1, available: 0 });
    const { rows } = await sessionState(key, s.id);
    expect(rows.filter((r) => r.status === "confirmed").map((r) => r.id)).toEqual(regs.slice(0, 4).map((r) => r.registration.id));
    expect(rows.filter((r) => r.status === "waitlisted")).toMatchObject([{ id: regs[4]!.registration.id, waitlistPosition: 1 }]);
  });

  it("refuses a capacity below the seats taken with 409 capacity_below_taken and changes nothing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 5, minParticipants: 1 });
    for (let i = 1; i <= 3; i++) await registered(s.id, person(i));
    const before = await sessionState(key, s.id);
    const res = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { maxParticipants: 2, title: "Smaller" } });
    expectProblem(res, "capacity_below_taken");
    expect(res.body).toMatchObject({ capacity: 2, taken: 3 });
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it("accepts a capacity equal to the seats taken", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 5, minParticipants: 1 });
    for (let i = 1; i <= 3; i++) await registered(s.id, person(i));
    const res = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { maxParticipants: 3 } });
    expect(res.status).toBe(200);
    expect(res.body.seats).toMatchObject({ capacity: 3, available: 0 });
    expect(res.body.registrationState).toBe("full");
  });

  it("counts the host's seat: a full session cannot start counting the host", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    await registered(s.id, person(1));
    await registered(s.id, person(2));
    const before = await sessionState(key, s.id);
    expectProblem(await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostCountsAsParticipant: true } }), "capacity_below_taken");
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it("gives the host's seat to the first on the waitlist when the host stops counting", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 3, minParticipants: 1, hostCountsAsParticipant: true });
    for (let i = 1; i <= 4; i++) await registered(s.id, person(i));
    const res = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostCountsAsParticipant: false } });
    expect(res.body.seats).toMatchObject({ capacity: 3, host: 0, confirmed: 3, waitlisted: 1, available: 0 });
    const { rows } = await sessionState(key, s.id);
    expect(rows.filter((r) => r.status === "confirmed").map((r) => r.email)).toEqual([
      "person1@example.org",
      "person2@example.org",
      "person3@example.org",
    ]);
  });

  it("clears the registration code with null", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { registrationCode: "OWL" });
    const res = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { registrationCode: null } });
    expect(res.body.registrationCode).toBeNull();
    expect((await register(s.id, person(1))).status).toBe(201);
  });

  it("refuses an empty change with 422", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    expectProblem(await api("PATCH", `/v1/sessions/${s.id}`, { key, body: {} }), "validation_failed");
  });

  it("refuses to edit a cancelled session with 409 session_cancelled", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await api("POST", `/v1/sessions/${s.id}/cancel`, { key });
    const before = await sessionState(key, s.id);
    expectProblem(await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { title: "Back on" } }), "session_cancelled");
    expect(await sessionState(key, s.id)).toEqual(before);
  });

  it.each([
    ["a malformed id", "ses_nope"],
    ["an unknown id", UNKNOWN_SESSION],
  ])("answers %s with 404", async (_label, id) => {
    const { key } = await newOrg();
    expectProblem(await api("PATCH", `/v1/sessions/${id}`, { key, body: { title: "x" } }), "session_not_found");
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
  ] as const)("refuses %s and changes nothing", async (_label, key, code) => {
    const { key: owner } = await newOrg();
    const s = await newSession(owner);
    const before = await sessionState(owner, s.id);
    expectProblem(await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { title: "x" } }), code);
    expect(await sessionState(owner, s.id)).toEqual(before);
  });
});

describe("POST /v1/sessions/:id/cancel", () => {
  it("cancels the session and its registrations, keeps its people on the roster, and closes every way in", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 2, minParticipants: 1 });
    await registered(s.id, person(1));
    const res = await api("POST", `/v1/sessions/${s.id}/cancel`, { key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "cancelled",
      registrationState: "cancelled",
      cancelledAt: expect.any(String),
      seats: { confirmed: 0 },
    });

    expectProblem(await register(s.id, person(2)), "session_cancelled");
    expectProblem(await addParticipant(key, s.id, person(3)), "session_cancelled");
    expect((await api("GET", `/v1/public/sessions/${s.id}`)).body).toMatchObject({ status: "cancelled", registrationState: "cancelled" });
    const projected = await env.DB.prepare("SELECT status FROM sessions WHERE id = ?").bind(s.id).first<{ status: string }>();
    expect(projected!.status).toBe("cancelled");
    expect((await sessionState(key, s.id)).rows).toEqual([expect.objectContaining({ kind: "registration", status: "cancelled" })]);
  });

  it("answers a second cancel with the same cancellation", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const first = await api("POST", `/v1/sessions/${s.id}/cancel`, { key });
    const again = await api("POST", `/v1/sessions/${s.id}/cancel`, { key });
    expect(again.status).toBe(200);
    expect(again.body.cancelledAt).toBe(first.body.cancelledAt);
  });

  it.each([
    ["a malformed id", "ses_nope"],
    ["an unknown id", UNKNOWN_SESSION],
  ])("answers %s with 404", async (_label, id) => {
    const { key } = await newOrg();
    expectProblem(await api("POST", `/v1/sessions/${id}/cancel`, { key }), "session_not_found");
  });

  it.each([
    ["no key", undefined, "unauthenticated"],
    ["the root key", ROOT_KEY, "forbidden"],
  ] as const)("refuses %s and cancels nothing", async (_label, key, code) => {
    const { key: owner } = await newOrg();
    const s = await newSession(owner);
    expectProblem(await api("POST", `/v1/sessions/${s.id}/cancel`, { key }), code);
    expect((await readSession(owner, s.id)).status).toBe("scheduled");
  });
});

describe("time zones", () => {
  it("stores the zone as the time zone database spells it, whatever the case it was typed in", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { timeZone: "europe/paris" });
    expect(s.timeZone).toBe("Europe/Paris");
  });
});

describe("a session's title", () => {
  const breaks = [
    ["a CR LF", "Forest camp\r\nBcc: everyone@example.org"],
    ["a line feed", "Forest camp\nweek 1"],
    ["a carriage return", "Forest camp\rweek 1"],
    ["a Unicode line separator", "Forest camp\u2028week 1"],
    ["a Unicode paragraph separator", "Forest camp\u2029week 1"],
    ["a next-line character", "Forest camp\u0085week 1"],
  ];

  it.each(breaks)("refuses %s in a new session's title with 422 naming the title, and creates nothing", async (_label, title) => {
    const { orgId, key } = await newOrg();
    const res = await api("POST", "/v1/sessions", { key, body: sessionBody({ title }) });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual([{ path: "title", code: "not_one_line", message: "must be a single line, without line breaks" }]);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE org_id = ?").bind(orgId).first<{ n: number }>();
    expect(count?.n).toBe(0);
  });

  it.each(breaks)("refuses %s in an edited title with 422 naming the title, and changes nothing", async (_label, title) => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { title } });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual([{ path: "title", code: "not_one_line", message: "must be a single line, without line breaks" }]);
    expect((await readSession(key, s.id)).title).toBe(s.title);
  });

  it("keeps line breaks in the description", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { description: "Bring boots.\nAnd a hat." });
    expect(s.description).toBe("Bring boots.\nAnd a hat.");
  });
});
