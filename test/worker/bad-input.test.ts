// Every request body the API takes, fed what people and programs really send: missing fields,
// wrong types, empty and enormous strings, odd numbers, unknown zones, broken JSON, the wrong
// content type. Each is a 4xx problem with a stable code (never a 5xx), and writes nothing.
// Names are free text: every script, right-to-left included, is accepted.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { ErrorCode } from "../../worker/errors/codes";
import { FIELD_PROBLEMS } from "../../worker/errors/fields";
import worker from "../../worker/index";
import {
  type ApiResponse,
  api,
  BASE,
  d1Count,
  expectProblem,
  hoursFromNow,
  newOrg,
  newSession,
  person,
  ROOT_KEY,
  register,
  sessionBody,
  sessionState,
} from "./helpers";

const TEN_KB = "x".repeat(10 * 1024);
const PAST = hoursFromNow(-48);

type Case = {
  name: string;
  /** A JSON value to send, or `raw` text (with `contentType`) for what is not JSON. */
  body?: unknown;
  raw?: string;
  contentType?: string;
  code: ErrorCode;
};

/** What every JSON body route must refuse the same way, whatever its fields. */
const malformed: Case[] = [
  { name: "malformed JSON", raw: '{"name": "Ada",', code: "malformed_request" },
  { name: "JSON with a trailing comma", raw: '{"name": "Ada",}', code: "malformed_request" },
  { name: "an empty body", raw: "", code: "malformed_request" },
  { name: "JSON null", body: null, code: "validation_failed" },
  { name: "a JSON array", body: [], code: "validation_failed" },
  { name: "a JSON string", body: "Ada", code: "validation_failed" },
  { name: "a JSON number", body: 42, code: "validation_failed" },
  { name: "an empty object", body: {}, code: "validation_failed" },
  { name: "valid JSON sent as text/plain", raw: '{"name":"Ada"}', contentType: "text/plain", code: "unsupported_media_type" },
  { name: "valid JSON sent as a form", raw: "name=Ada", contentType: "application/x-www-form-urlencoded", code: "unsupported_media_type" },
  { name: "a 200 kB body", raw: JSON.stringify({ name: "x".repeat(200 * 1024) }), code: "payload_too_large" },
];

async function send(method: string, path: string, key: string | undefined, c: Case) {
  if (c.raw !== undefined) {
    return api(method, path, { key, raw: c.raw, headers: { "content-type": c.contentType ?? "application/json" } });
  }
  // JSON.stringify(undefined) is not a body; null and primitives are.
  return api(method, path, { key, raw: JSON.stringify(c.body), headers: { "content-type": c.contentType ?? "application/json" } });
}

function expectRefused(res: ApiResponse, c: Case) {
  expect(res.status, `${c.name}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
  expectProblem(res, c.code);
  if (c.code === "validation_failed") {
    expect(Array.isArray(res.body.errors)).toBe(true);
    expect(res.body.errors.length).toBeGreaterThan(0);
    // Each refused field says which, and why as a stable code a client can translate.
    for (const e of res.body.errors) {
      expect(typeof e.path, c.name).toBe("string");
      expect(FIELD_PROBLEMS, `${c.name}: ${JSON.stringify(e)}`).toContain(e.code);
      expect(typeof e.message, c.name).toBe("string");
    }
  }
}

const names = {
  "Latin with diacritics": "Zoë Ångström-Núñez",
  Arabic: "مريم الحسيني",
  Hebrew: "שרה כהן",
  "Arabic with an explicit right-to-left mark": "\u200Fعلي بن أحمد",
  "mixed direction": "Ada لوفلايس Lovelace",
  Chinese: "李小龍",
  Japanese: "山田 太郎",
  Devanagari: "अनुष्का शर्मा",
  "combining marks": "Zoe\u0308 Ha\u030Aland",
  emoji: "Sam 🙂🏳️‍🌈",
  "an apostrophe and a hyphen": "Siobhán O'Connor-Ní Bhriain",
  "exactly 200 characters": "é".repeat(200),
};

describe("POST /v1/orgs with bad input", () => {
  const cases: Case[] = [
    ...malformed,
    { name: "no name", body: { ownerEmail: "a@b.example" }, code: "validation_failed" },
    { name: "a numeric name", body: { name: 42 }, code: "validation_failed" },
    { name: "an empty name", body: { name: "" }, code: "validation_failed" },
    { name: "a name of spaces", body: { name: "   " }, code: "validation_failed" },
    { name: "a 10 kB name", body: { name: TEN_KB }, code: "validation_failed" },
    { name: "an owner email that is not one", body: { name: "Camp", ownerEmail: "not-an-email" }, code: "validation_failed" },
    { name: "an owner email of 10 kB", body: { name: "Camp", ownerEmail: `${TEN_KB}@example.org` }, code: "validation_failed" },
    { name: "an unknown field", body: { name: "Camp", plan: "gold" }, code: "validation_failed" },
  ];

  it.each(cases)("refuses $name and creates no org", async (c) => {
    const before = await d1Count("orgs");
    expectRefused(await send("POST", "/v1/orgs", ROOT_KEY, c), c);
    expect(await d1Count("orgs")).toBe(before);
  });

  it.each(Object.entries(names))("accepts an org name in %s", async (_label, name) => {
    const res = await api("POST", "/v1/orgs", { key: ROOT_KEY, body: { name } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.org.name).toBe(name);
  });
});

describe("POST /v1/api-keys with bad input", () => {
  let key: string;
  beforeAll(async () => ({ key } = await newOrg()));

  const cases: Case[] = [
    ...malformed,
    { name: "no label", body: {}, code: "validation_failed" },
    { name: "a numeric label", body: { label: 7 }, code: "validation_failed" },
    { name: "an empty label", body: { label: "" }, code: "validation_failed" },
    { name: "a 10 kB label", body: { label: TEN_KB }, code: "validation_failed" },
    { name: "an unknown field", body: { label: "CI", scopes: ["all"] }, code: "validation_failed" },
  ];

  it.each(cases)("refuses $name and creates no key", async (c) => {
    const before = await d1Count("api_keys");
    expectRefused(await send("POST", "/v1/api-keys", key, c), c);
    expect(await d1Count("api_keys")).toBe(before);
  });

  it.each(Object.entries(names).filter(([, name]) => name.length <= 100))("accepts a label in %s", async (_label, label) => {
    const res = await api("POST", "/v1/api-keys", { key, body: { label } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.key.label).toBe(label);
  });
});

describe("POST /v1/widget-tokens with bad input", () => {
  let key: string;
  beforeAll(async () => ({ key } = await newOrg()));

  const cases: Case[] = [
    ...malformed.filter((c) => c.name !== "an empty object"), // {} is a valid request: an org-wide token
    { name: "a session id that is not one", body: { sessionId: "session-1" }, code: "validation_failed" },
    { name: "a numeric session id", body: { sessionId: 12 }, code: "validation_failed" },
    { name: "a 10 kB session id", body: { sessionId: TEN_KB }, code: "validation_failed" },
    { name: "a ttl as a string", body: { ttlSeconds: "3600" }, code: "validation_failed" },
    { name: "a negative ttl", body: { ttlSeconds: -60 }, code: "validation_failed" },
    { name: "a zero ttl", body: { ttlSeconds: 0 }, code: "validation_failed" },
    { name: "a ttl under a minute", body: { ttlSeconds: 59 }, code: "validation_failed" },
    { name: "a ttl over a day", body: { ttlSeconds: 86_401 }, code: "validation_failed" },
    { name: "a huge ttl", body: { ttlSeconds: 1e300 }, code: "validation_failed" },
    { name: "a fractional ttl", body: { ttlSeconds: 90.5 }, code: "validation_failed" },
    { name: "an unknown field", body: { scope: "all" }, code: "validation_failed" },
  ];

  it.each(cases)("refuses $name", async (c) => {
    expectRefused(await send("POST", "/v1/widget-tokens", key, c), c);
  });
});

describe("POST /v1/sessions with bad input", () => {
  let key: string;
  beforeAll(async () => ({ key } = await newOrg()));

  const without = (field: string) => {
    const body: Record<string, unknown> = sessionBody();
    delete body[field];
    return body;
  };

  const cases: Case[] = [
    ...malformed,
    ...["title", "description", "startsAt", "timeZone", "durationMinutes", "minParticipants", "maxParticipants"].map(
      (field): Case => ({ name: `no ${field}`, body: without(field), code: "validation_failed" }),
    ),
    { name: "a numeric title", body: sessionBody({ title: 5 }), code: "validation_failed" },
    { name: "an empty title", body: sessionBody({ title: "" }), code: "validation_failed" },
    { name: "a 10 kB title", body: sessionBody({ title: TEN_KB }), code: "validation_failed" },
    { name: "a title with a lone surrogate", body: sessionBody({ title: "Camp \uDC00" }), code: "validation_failed" },
    { name: "a title with a NUL character", body: sessionBody({ title: "Camp\u0000" }), code: "validation_failed" },
    { name: "a 10 kB description", body: sessionBody({ description: TEN_KB }), code: "validation_failed" },
    // Seed 001 and the contract: a description is mandatory ("give details and context").
    { name: "an empty description", body: sessionBody({ description: "" }), code: "validation_failed" },
    { name: "a description of spaces", body: sessionBody({ description: "  \n " }), code: "validation_failed" },
    { name: "a capacity as a string", body: sessionBody({ maxParticipants: "10" }), code: "validation_failed" },
    { name: "a negative capacity", body: sessionBody({ maxParticipants: -1 }), code: "validation_failed" },
    { name: "a zero capacity", body: sessionBody({ maxParticipants: 0 }), code: "validation_failed" },
    { name: "a huge capacity", body: sessionBody({ maxParticipants: 1e12 }), code: "validation_failed" },
    // As JSON text: 1e400 is Infinity in JavaScript, and JSON.stringify would send it as null.
    {
      name: "a capacity beyond the largest number",
      raw: JSON.stringify(sessionBody({ maxParticipants: "CAPACITY" })).replace('"CAPACITY"', "1e400"),
      code: "validation_failed",
    },
    { name: "a fractional capacity", body: sessionBody({ maxParticipants: 10.5 }), code: "validation_failed" },
    { name: "a negative minimum", body: sessionBody({ minParticipants: -3 }), code: "validation_failed" },
    { name: "a minimum above the maximum", body: sessionBody({ minParticipants: 11, maxParticipants: 10 }), code: "validation_failed" },
    { name: "a zero duration", body: sessionBody({ durationMinutes: 0 }), code: "validation_failed" },
    { name: "a negative duration", body: sessionBody({ durationMinutes: -30 }), code: "validation_failed" },
    { name: "a duration of a century", body: sessionBody({ durationMinutes: 60 * 24 * 365 * 100 }), code: "validation_failed" },
    { name: "an unknown time zone", body: sessionBody({ timeZone: "Mars/Olympus_Mons" }), code: "validation_failed" },
    { name: "a misspelt time zone", body: sessionBody({ timeZone: "Europe/Pariss" }), code: "validation_failed" },
    { name: "an offset instead of a time zone", body: sessionBody({ timeZone: "+02:00" }), code: "validation_failed" },
    { name: "an empty time zone", body: sessionBody({ timeZone: "" }), code: "validation_failed" },
    { name: "a 10 kB time zone", body: sessionBody({ timeZone: TEN_KB }), code: "validation_failed" },
    { name: "an instant without an offset", body: sessionBody({ startsAt: "2027-07-05T09:00:00" }), code: "validation_failed" },
    { name: "a date without a time", body: sessionBody({ startsAt: "2027-07-05" }), code: "validation_failed" },
    { name: "a day that does not exist", body: sessionBody({ startsAt: "2027-02-30T09:00:00Z" }), code: "validation_failed" },
    { name: "an hour that does not exist", body: sessionBody({ startsAt: "2027-07-05T25:00:00Z" }), code: "validation_failed" },
    { name: "an epoch number as the start", body: sessionBody({ startsAt: 1814778000000 }), code: "validation_failed" },
    { name: "a start in words", body: sessionBody({ startsAt: "next Tuesday" }), code: "validation_failed" },
    { name: "host flag as a string", body: sessionBody({ hostCountsAsParticipant: "yes" }), code: "validation_failed" },
    { name: "waitlist flag as a number", body: sessionBody({ waitlist: 1 }), code: "validation_failed" },
    {
      name: "a host taking the only seat",
      body: sessionBody({ hostCountsAsParticipant: true, maxParticipants: 1, minParticipants: 1 }),
      code: "validation_failed",
    },
    {
      name: "registration opening after it closes",
      body: sessionBody({ registrationOpensAt: hoursFromNow(48), registrationClosesAt: hoursFromNow(24) }),
      code: "validation_failed",
    },
    {
      name: "registration opening when it closes",
      body: sessionBody({ registrationOpensAt: hoursFromNow(24), registrationClosesAt: hoursFromNow(24) }),
      code: "validation_failed",
    },
    {
      name: "registration opening after the start",
      body: sessionBody({ startsAt: hoursFromNow(24), registrationOpensAt: hoursFromNow(48) }),
      code: "validation_failed",
    },
    {
      name: "registration closing after the session ends",
      body: sessionBody({ startsAt: hoursFromNow(24), durationMinutes: 60, registrationClosesAt: hoursFromNow(26) }),
      code: "validation_failed",
    },
    {
      name: "an offsetless registration opening",
      body: sessionBody({ registrationOpensAt: "2027-01-01T09:00:00" }),
      code: "validation_failed",
    },
    { name: "an empty registration code", body: sessionBody({ registrationCode: "" }), code: "validation_failed" },
    { name: "a 10 kB registration code", body: sessionBody({ registrationCode: TEN_KB }), code: "validation_failed" },
    { name: "an unknown field", body: sessionBody({ price: 100 }), code: "validation_failed" },
    { name: "a status set by the client", body: sessionBody({ status: "cancelled" }), code: "validation_failed" },
  ];

  it.each(cases)("refuses $name and creates no session", async (c) => {
    const before = await d1Count("sessions");
    expectRefused(await send("POST", "/v1/sessions", key, c), c);
    expect(await d1Count("sessions")).toBe(before);
    expect((await api("GET", "/v1/sessions?limit=100", { key })).body.sessions).toHaveLength(0);
  });

  it("names each field a person must change, with its path", async () => {
    const res = await api("POST", "/v1/sessions", {
      key,
      body: sessionBody({ maxParticipants: -1, timeZone: "Nowhere/Land", startsAt: "soon" }),
    });
    expectProblem(res, "validation_failed");
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["maxParticipants", "timeZone", "startsAt"]));
  });

  it.each(Object.entries(names))("accepts a title in %s", async (_label, title) => {
    const res = await api("POST", "/v1/sessions", { key: (await newOrg()).key, body: sessionBody({ title }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.title).toBe(title);
  });

  it.each(["UTC", "Etc/GMT+5", "America/Argentina/Buenos_Aires", "Asia/Kathmandu", "Pacific/Chatham"])(
    "accepts the time zone %s",
    async (timeZone) => {
      const res = await api("POST", "/v1/sessions", { key: (await newOrg()).key, body: sessionBody({ timeZone }) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.timeZone).toBe(timeZone);
    },
  );

  it("accepts a description over several lines, with tabs", async () => {
    const description = "Bring:\n\t- boots\r\n\t- a hat\n\nSee you there.";
    const res = await api("POST", "/v1/sessions", { key: (await newOrg()).key, body: sessionBody({ description }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.description).toBe(description);
  });

  it("accepts a session that already started, with registration closed", async () => {
    const res = await api("POST", "/v1/sessions", { key: (await newOrg()).key, body: sessionBody({ startsAt: PAST }) });
    expect(res.status).toBe(201);
    expect(res.body.registrationState).toBe("closed");
  });
});

describe("PATCH /v1/sessions/:id with bad input", () => {
  let key: string;
  let id: string;
  beforeAll(async () => {
    ({ key } = await newOrg());
    id = (await newSession(key, { registrationOpensAt: hoursFromNow(1) })).id;
  });

  const cases: Case[] = [
    ...malformed,
    { name: "a numeric title", body: { title: 5 }, code: "validation_failed" },
    { name: "a 10 kB title", body: { title: TEN_KB }, code: "validation_failed" },
    { name: "an empty description", body: { description: "" }, code: "validation_failed" },
    { name: "a negative capacity", body: { maxParticipants: -5 }, code: "validation_failed" },
    { name: "a huge capacity", body: { maxParticipants: 1e12 }, code: "validation_failed" },
    { name: "a capacity as a string", body: { maxParticipants: "20" }, code: "validation_failed" },
    { name: "an unknown time zone", body: { timeZone: "Atlantis/Capital" }, code: "validation_failed" },
    { name: "an instant without an offset", body: { startsAt: "2027-07-05T09:00:00" }, code: "validation_failed" },
    { name: "a minimum above the stored maximum", body: { minParticipants: 11 }, code: "validation_failed" },
    { name: "a maximum below the stored minimum", body: { maxParticipants: 1 }, code: "validation_failed" },
    {
      name: "registration opening after the stored start",
      body: { registrationOpensAt: hoursFromNow(24 * 60) },
      code: "validation_failed",
    },
    { name: "a start before the stored registration opening", body: { startsAt: hoursFromNow(0.5) }, code: "validation_failed" },
    { name: "a null title", body: { title: null }, code: "validation_failed" },
    { name: "a null capacity", body: { maxParticipants: null }, code: "validation_failed" },
    { name: "an unknown field", body: { colour: "green" }, code: "validation_failed" },
  ];

  it.each(cases)("refuses $name and changes nothing", async (c) => {
    const before = await sessionState(key, id);
    expectRefused(await send("PATCH", `/v1/sessions/${id}`, key, c), c);
    expect(await sessionState(key, id)).toEqual(before);
  });
});

describe("POST /v1/public/sessions/:id/registrations with bad input", () => {
  let key: string;
  let id: string;
  beforeAll(async () => {
    ({ key } = await newOrg());
    id = (await newSession(key, { maxParticipants: 100, minParticipants: 1 })).id;
  });

  const cases: Case[] = [
    ...malformed,
    { name: "no name", body: { email: "ada@example.org" }, code: "validation_failed" },
    { name: "no email", body: { name: "Ada" }, code: "validation_failed" },
    { name: "a numeric name", body: { name: 1815, email: "ada@example.org" }, code: "validation_failed" },
    { name: "an empty name", body: { name: "", email: "ada@example.org" }, code: "validation_failed" },
    { name: "a name of spaces", body: { name: " \t ", email: "ada@example.org" }, code: "validation_failed" },
    { name: "a 10 kB name", body: { name: TEN_KB, email: "ada@example.org" }, code: "validation_failed" },
    { name: "an email without an at", body: { name: "Ada", email: "ada.example.org" }, code: "validation_failed" },
    { name: "an email with two ats", body: { name: "Ada", email: "ada@@example.org" }, code: "validation_failed" },
    { name: "an email without a domain", body: { name: "Ada", email: "ada@" }, code: "validation_failed" },
    { name: "a numeric email", body: { name: "Ada", email: 42 }, code: "validation_failed" },
    { name: "an empty email", body: { name: "Ada", email: "" }, code: "validation_failed" },
    { name: "a 10 kB email", body: { name: "Ada", email: `${TEN_KB}@example.org` }, code: "validation_failed" },
    { name: "a numeric code", body: { ...person(1), code: 1234 }, code: "validation_failed" },
    { name: "a 10 kB code", body: { ...person(1), code: TEN_KB }, code: "validation_failed" },
    { name: "an unknown locale", body: { ...person(1), locale: "tlh" }, code: "validation_failed" },
    { name: "answers as a list", body: { ...person(1), answers: ["vegetarian"] }, code: "validation_failed" },
    { name: "a numeric answer", body: { ...person(1), answers: { age: 9 } }, code: "validation_failed" },
    { name: "a 10 kB answer", body: { ...person(1), answers: { note: TEN_KB } }, code: "validation_failed" },
    {
      name: "21 answers",
      body: { ...person(1), answers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`q${i}`, "a"])) },
      code: "validation_failed",
    },
    { name: "a status chosen by the client", body: { ...person(1), status: "confirmed" }, code: "validation_failed" },
  ];

  it.each(cases)("refuses $name and registers no one", async (c) => {
    const before = await sessionState(key, id);
    expectRefused(await send("POST", `/v1/public/sessions/${id}/registrations`, undefined, c), c);
    expect(await sessionState(key, id)).toEqual(before);
  });

  it.each(Object.entries(names))("accepts a name in %s, stored as written", async (label, name) => {
    const email = `${label.replace(/\W+/g, ".")}@example.org`;
    const res = await register(id, { name, email });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.name).toBe(name);
    const row = (await sessionState(key, id)).rows.find((r) => r.id === res.body.registration.id);
    expect(row.name).toBe(name);
  });

  it.each(["application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"])(
    "accepts a JSON body sent as %s",
    async (contentType) => {
      const res = await api("POST", `/v1/public/sessions/${id}/registrations`, {
        raw: JSON.stringify({ name: "Typed", email: `${contentType.replace(/\W+/g, ".")}@example.org` }),
        headers: { "content-type": contentType },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    },
  );

  it("refuses a 200 kB body streamed without a length with 413 and registers no one", async () => {
    const before = await sessionState(key, id);
    const bytes = new TextEncoder().encode(JSON.stringify({ name: "x".repeat(200 * 1024), email: "stream@example.org" }));
    const body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
        controller.close();
      },
    });
    const ctx = createExecutionContext();
    const request = new Request(`${BASE}/v1/public/sessions/${id}/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(request.headers.get("content-length")).toBeNull();
    const res = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, env, ctx);
    await waitOnExecutionContext(ctx);
    expectProblem({ status: res.status, headers: res.headers, body: await res.json() }, "payload_too_large");
    expect(await sessionState(key, id)).toEqual(before);
  });

  it("accepts an address with an internationalised domain and upper case", async () => {
    const res = await register(id, { name: "Jürgen", email: "Juergen.Mueller@Bücher.example" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it("trims the spaces around a name and an address", async () => {
    const res = await register(id, { name: "  Grace Hopper  ", email: "  grace@example.org " });
    expect(res.status).toBe(201);
    expect(res.body.registration).toMatchObject({ name: "Grace Hopper", email: "grace@example.org" });
  });

  it.each([
    ["a lone surrogate, which could not be stored as sent", "Ada \uD800 Lovelace"],
    ["a NUL character", "Ada\u0000Lovelace"],
    ["a bell character", "Ada\u0007"],
    ["an escape sequence", "Ada \u001b[31mred"],
  ])("refuses a name with %s with 422 and registers no one", async (_label, name) => {
    const before = await sessionState(key, id);
    expectProblem(await register(id, { name, email: "odd@example.org" }), "validation_failed");
    expect(await sessionState(key, id)).toEqual(before);
  });
});

describe("POST /v1/sessions/:id/registrations with bad input", () => {
  let key: string;
  let id: string;
  beforeAll(async () => {
    ({ key } = await newOrg());
    id = (await newSession(key, { maxParticipants: 100, minParticipants: 1 })).id;
  });

  const cases: Case[] = [
    ...malformed,
    { name: "no name", body: { email: "ada@example.org" }, code: "validation_failed" },
    { name: "no email", body: { name: "Ada" }, code: "validation_failed" },
    { name: "a 10 kB name", body: { name: TEN_KB, email: "ada@example.org" }, code: "validation_failed" },
    { name: "an invalid email", body: { name: "Ada", email: "ada at example dot org" }, code: "validation_failed" },
    { name: "allowOverCapacity as a string", body: { ...person(1), allowOverCapacity: "true" }, code: "validation_failed" },
    { name: "allowOverCapacity as a number", body: { ...person(1), allowOverCapacity: 1 }, code: "validation_failed" },
    { name: "a code, which only the public form takes", body: { ...person(1), code: "SECRET" }, code: "validation_failed" },
  ];

  it.each(cases)("refuses $name and adds no one", async (c) => {
    const before = await sessionState(key, id);
    expectRefused(await send("POST", `/v1/sessions/${id}/registrations`, key, c), c);
    expect(await sessionState(key, id)).toEqual(before);
  });

  it.each(Object.entries(names))("accepts a participant named in %s", async (label, name) => {
    const res = await api("POST", `/v1/sessions/${id}/registrations`, {
      key,
      body: { name, email: `${label.replace(/\W+/g, "-")}@example.org` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.name).toBe(name);
  });
});

describe("paths and queries with bad input", () => {
  let key: string;
  beforeAll(async () => ({ key } = await newOrg()));

  it.each([
    ["a session id of 10 kB", () => `/v1/sessions/${TEN_KB}`],
    ["a public session id of 10 kB", () => `/v1/public/sessions/${TEN_KB}`],
    ["a registration id of 10 kB", () => `/v1/registrations/${TEN_KB}/cancel`],
    ["a manage token of 10 kB", () => `/v1/manage/${TEN_KB}/cancel`],
  ])("answers %s with a 4xx problem", async (_label, path) => {
    const method = path().endsWith("/cancel") ? "POST" : "GET";
    const res = await api(method, path(), { key });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it.each([
    ["limit=0", "validation_failed"],
    ["limit=101", "validation_failed"],
    ["limit=-1", "validation_failed"],
    ["limit=abc", "validation_failed"],
    ["limit=1e9", "validation_failed"],
    ["when=someday", "validation_failed"],
    ["cursor=not-a-cursor", "validation_failed"],
    [`cursor=${btoa("null")}`, "validation_failed"],
    [`cursor=${"x".repeat(600)}`, "validation_failed"],
  ] as const)("refuses GET /v1/sessions?%s with %s", async (query, code) => {
    expectProblem(await api("GET", `/v1/sessions?${query}`, { key }), code);
  });

  // A link pasted with a percent-escape cut short (an email client wrapping the URL, say) is
  // not UTF-8 once decoded: it is a link to nothing, answered like any other unknown link.
  it.each([
    ["GET", "/v1/invites/{token}", undefined],
    ["POST", "/v1/invites/{token}/accept", { name: "Ada" }],
    ["POST", "/v1/invites/{token}/decline", {}],
    ["POST", "/v1/invites/{token}/reopen", {}],
    ["POST", "/v1/invites/{token}/code", { email: "ada@example.org" }],
    ["GET", "/v1/manage/{token}", undefined],
    ["POST", "/v1/manage/{token}/cancel", undefined],
  ] as const)("answers %s %s with a broken percent-escape as it answers an unknown link", async (method, path, body) => {
    const unknown = await api(method, path.replace("{token}", "nothing-here"), { body });
    const broken = await api(method, path.replace("{token}", "%E0%A4%A"), { body });
    expect(unknown.status).toBeLessThan(500);
    expect(broken.status, JSON.stringify(broken.body)).toBe(unknown.status);
    expect(broken.body.code).toBe(unknown.body.code);
  });

  it("answers an unknown route with a not_found problem", async () => {
    expectProblem(await api("GET", "/v1/nothing-here", { key }), "not_found");
  });
});
