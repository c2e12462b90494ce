// The routes anyone can call are limited per client and per target: registration, invitation
// links, one-time codes and sign-in links answer 429 `rate_limited` with Retry-After past the
// limits in wrangler.toml, and only for the client or target that went past them.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/app";
import { SIGN_IN_LINKS_PER_DAY } from "../../worker/auth/sign-in-cap";
import { manualClock } from "../../worker/time/clock";
import { adminOrg, browse, freshWindow, queuedMail, uniqueEmail } from "./admin-helpers";
import { api, BASE, expectProblem, newOrg, newSession, person, register } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const hextets = (n: number) => [...crypto.getRandomValues(new Uint16Array(n))].map((h) => h.toString(16)).join(":");

/**
 * A client of its own for each caller (the limiter's buckets outlive a test file): an IPv6 /64
 * of its own, since every address of one /64 is one client.
 */
const client = () => `2001:db8:${hextets(2)}:${hextets(4)}`;
/** Another address in the same /64 as `ip`. */
const neighbour = (ip: string) => `${ip.split(":").slice(0, 4).join(":")}:${hextets(4)}`;
const from = (ip: string) => ({ "cf-connecting-ip": ip });

/** A token shaped like an invitation link of that session; the ledger knows no such invitation. */
const guessedToken = (sessionId: string) => `${sessionId}.${"A".repeat(32)}${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;

describe("POST /v1/public/sessions/{id}/registrations", () => {
  it("takes 60 a minute from one client, then answers 429 with Retry-After; other clients go on", async () => {
    const { key } = await newOrg();
    const sessions = [await newSession(key, { maxParticipants: 100 }), await newSession(key, { maxParticipants: 100 })];
    const ip = client();
    await freshWindow(60, 10_000);
    for (let i = 0; i < 60; i++) {
      // Across sessions: the limit is the client's, not the session's.
      const res = await register(sessions[i % 2]!.id, person(i), from(ip));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const refused = await register(sessions[0]!.id, person(60), from(ip));
    expectProblem(refused, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
    expect((await register(sessions[0]!.id, person(61), from(client()))).status).toBe(201);
    expect((await api("GET", `/v1/sessions/${sessions[0]!.id}`, { key })).body.seats.confirmed).toBe(31);
  });

  it("counts every address of one IPv6 /64 as one client", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 100 });
    const ip = client();
    await freshWindow(60, 10_000);
    // One connection, a fresh address for every request: still one client.
    for (let i = 0; i < 60; i++) expect((await register(s.id, person(i), from(neighbour(ip)))).status).toBe(201);
    expectProblem(await register(s.id, person(60), from(neighbour(ip))), "rate_limited");
    expect((await register(s.id, person(61), from(client()))).status).toBe(201);
  });

  it("takes 2,000 every 10 seconds for one session, whoever asks, then answers 429 with Retry-After", async () => {
    const { key } = await newOrg();
    const busy = await newSession(key);
    const quiet = await newSession(key);
    await freshWindow(10, 7_000);
    // Refused bodies count too: the limit runs before anything else.
    const burst = await Promise.all(Array.from({ length: 2_000 }, () => register(busy.id, {})));
    expect(burst.every((r) => r.status === 422)).toBe(true);
    const refused = await register(busy.id, person(1));
    expectProblem(refused, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("10");
    expect((await register(quiet.id, person(1))).status).toBe(201);
  });
});

describe("the invitation link API (/v1/invites/{token})", () => {
  it("takes 30 calls a minute from one client, then answers 429 with Retry-After", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const ip = client();
    await freshWindow(60, 5_000);
    for (let i = 0; i < 30; i++) expect((await api("GET", `/v1/invites/${guessedToken(s.id)}`, { headers: from(ip) })).status).toBe(404);
    const refused = await api("GET", `/v1/invites/${guessedToken(s.id)}`, { headers: from(ip) });
    expectProblem(refused, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
  });

  it("takes 1,200 calls a minute for one session, from however many clients, then answers 429", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const other = await newSession(key);
    const clients = Array.from({ length: 40 }, client);
    await freshWindow(60, 15_000);
    const burst = await Promise.all(
      Array.from({ length: 1_200 }, (_, i) => api("GET", `/v1/invites/${guessedToken(s.id)}`, { headers: from(clients[i % 40]!) })),
    );
    expect(burst.filter((r) => r.status !== 404)).toEqual([]);
    const refused = await api("GET", `/v1/invites/${guessedToken(s.id)}`, { headers: from(client()) });
    expectProblem(refused, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
    expect((await api("GET", `/v1/invites/${guessedToken(other.id)}`, { headers: from(client()) })).status).toBe(404);
  });
});

describe("the confirmation page (/c/{token})", () => {
  it("takes 30 confirmations a minute from one client, then answers 429 with Retry-After as a page", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const ip = client();
    await freshWindow(60, 5_000);
    for (let i = 0; i < 30; i++) expect((await api("POST", `/c/${guessedToken(s.id)}`, { headers: from(ip) })).status).toBe(404);
    const refused = await api("POST", `/c/${guessedToken(s.id)}`, { headers: from(ip) });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.headers.get("content-type")).toMatch(/^text\/html/);
    expect((await api("POST", `/c/${guessedToken(s.id)}`, { headers: from(client()) })).status).toBe(404);
  });
});

describe("POST /v1/invites/{token}/code (one-time codes)", () => {
  it("takes 5 a minute from one client, then answers 429 with Retry-After", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const ip = client();
    await freshWindow(60, 15_000);
    for (let i = 0; i < 5; i++)
      expect((await api("POST", `/v1/invites/${guessedToken(s.id)}/code`, { headers: from(ip) })).status).toBe(404);
    const refused = await api("POST", `/v1/invites/${guessedToken(s.id)}/code`, { headers: from(ip) });
    expectProblem(refused, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
    expect((await api("POST", `/v1/invites/${guessedToken(s.id)}/code`, { headers: from(client()) })).status).toBe(404);
  });

  it("takes 120 a minute for one session, then answers 429", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const clients = Array.from({ length: 30 }, client);
    await freshWindow(60, 10_000);
    const burst = await Promise.all(
      Array.from({ length: 120 }, (_, i) => api("POST", `/v1/invites/${guessedToken(s.id)}/code`, { headers: from(clients[i % 30]!) })),
    );
    expect(burst.filter((r) => r.status !== 404)).toEqual([]);
    const refused = await api("POST", `/v1/invites/${guessedToken(s.id)}/code`, { headers: from(client()) });
    expectProblem(refused, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
  });
});

describe("POST /admin/sign-in (sign-in links)", () => {
  it("sends 3 links a minute to one address, then answers 429 with Retry-After, member or not", async () => {
    queuedMail();
    const address = uniqueEmail("someone");
    await freshWindow(60, 5_000);
    for (let i = 0; i < 3; i++)
      expect((await browse("POST", "/admin/sign-in", { form: { email: address }, headers: from(client()) })).status).toBe(200);
    const refused = await browse("POST", "/admin/sign-in", { form: { email: address.toUpperCase() }, headers: from(client()) });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.text).toContain("Too many attempts. Try again in 60 seconds.");
    expect((await browse("POST", "/admin/sign-in", { form: { email: uniqueEmail("other") }, headers: from(client()) })).status).toBe(200);
  });

  it("takes 10 requests a minute from one client, whatever the addresses", async () => {
    queuedMail();
    const ip = client();
    await freshWindow(60, 15_000);
    for (let i = 0; i < 10; i++)
      expect((await browse("POST", "/admin/sign-in", { form: { email: uniqueEmail("spray") }, headers: from(ip) })).status).toBe(200);
    const refused = await browse("POST", "/admin/sign-in", { form: { email: uniqueEmail("spray") }, headers: from(ip) });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
  });
});

describe("POST /admin/sign-in (sign-in links, day after day)", () => {
  it(`sends an address at most ${SIGN_IN_LINKS_PER_DAY} links a UTC day, member or not, then 429 until the next day`, async () => {
    const mail = queuedMail();
    // The minute's limits pass: these requests stand for ones spread over the day, from many clients.
    vi.spyOn(env.SIGNIN_ADDRESS_LIMITER, "limit").mockResolvedValue({ success: true });
    const clock = manualClock("2031-03-01T08:00:00Z");
    const app = createApp({ clock });
    const ask = async (email: string) => {
      const ctx = createExecutionContext();
      const res = await app.request(
        `${BASE}/admin/sign-in`,
        {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", ...from(client()) },
          body: new URLSearchParams({ email }).toString(),
        },
        env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return { status: res.status, text: await res.text(), retryAfter: res.headers.get("retry-after") };
    };
    const { ownerEmail } = await adminOrg();
    const stranger = uniqueEmail("stranger");
    const toOwner = () => mail.filter((m) => m.template === "sign_in" && m.to === ownerEmail).length;

    for (let i = 0; i < SIGN_IN_LINKS_PER_DAY; i++) {
      expect((await ask(ownerEmail)).status).toBe(200);
      expect((await ask(stranger)).status).toBe(200);
      clock.advance(60 * 60_000);
    }
    expect(toOwner()).toBe(SIGN_IN_LINKS_PER_DAY);

    // 18:00 UTC: six hours to the next day, whoever asks, in the same words.
    const member = await ask(ownerEmail.toUpperCase());
    const unknown = await ask(stranger);
    expect(member.status).toBe(429);
    expect(member.retryAfter).toBe(String(6 * 60 * 60));
    expect(member.text).toContain("as many sign-in links as it can get today");
    expect(unknown).toEqual(member);
    expect(toOwner()).toBe(SIGN_IN_LINKS_PER_DAY);

    // Another address is not held back by this one's day.
    expect((await ask(uniqueEmail("other"))).status).toBe(200);

    clock.set("2031-03-02T00:00:00Z");
    expect((await ask(ownerEmail)).status).toBe(200);
    expect(toOwner()).toBe(SIGN_IN_LINKS_PER_DAY + 1);
    // Only hashes of the addresses are kept, and only today's.
    const rows = (await env.DB.prepare("SELECT * FROM sign_in_requests").all()).results;
    expect(JSON.stringify(rows)).not.toContain(ownerEmail.split("@")[0]);
    expect(rows.map((r) => r.day)).toEqual(["2031-03-02"]);
  });
});
