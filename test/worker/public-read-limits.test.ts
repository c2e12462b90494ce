// The public reads (a session's public view, its live channel, the hosted pages) and the
// participant's cancel link are limited per client: past the limits in wrangler.toml they answer
// 429 with Retry-After, and only for the client that went past them. Made-up session ids and
// tokens count like real ones: they are what a scanner sends.
import { describe, expect, it } from "vitest";
import { newSessionId } from "../../worker/ids/ids";
import { freshWindow } from "./admin-helpers";
import { api, expectProblem, newOrg, newSession, person, registered } from "./helpers";

/** A client address of its own for each caller (the limiter's buckets outlive a test file). */
const client = () => `198.51.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
const from = (ip: string) => ({ "cf-connecting-ip": ip });
const guessedToken = (sessionId: string) => `${sessionId}.${"A".repeat(24)}${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;

describe("public reads: GET /v1/public/sessions/{id}, its live channel, /s, /r and /m", () => {
  it("takes 300 a minute from one client, then answers 429 with Retry-After; other clients go on", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const ip = client();
    await freshWindow(60, 20_000);
    for (let i = 0; i < 100; i++) {
      // Real and made-up sessions alike, the API and the pages alike: one count per client.
      const paths = [`/v1/public/sessions/${s.id}`, `/v1/public/sessions/${newSessionId()}`, `/s/${s.id}`];
      const res = await api("GET", paths[i % 3]!, { headers: from(ip) });
      expect(res.status, `${paths[i % 3]}: ${res.status}`).toBe(i % 3 === 1 ? 404 : 200);
    }
    for (let i = 0; i < 200; i++) expect((await api("GET", `/r/${guessedToken(s.id)}`, { headers: from(ip) })).status).toBe(200);

    const refused = await api("GET", `/v1/public/sessions/${s.id}`, { headers: from(ip) });
    expectProblem(refused, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
    const live = await api("GET", `/v1/public/sessions/${s.id}/live`, { headers: { ...from(ip), upgrade: "websocket" } });
    expectProblem(live, "rate_limited");
    for (const page of [`/s/${s.id}`, `/m/${guessedToken(s.id)}`]) {
      const res = await api("GET", page, { headers: { ...from(ip), "accept-language": "fr" } });
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("60");
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.body).toContain("Trop de tentatives. Réessayez dans 60 secondes.");
    }
    expect((await api("GET", `/v1/public/sessions/${s.id}`, { headers: from(client()) })).status).toBe(200);
  });
});

describe("the participant's cancel link: POST /v1/manage/{token}/cancel and POST /m/{token}", () => {
  it("takes 30 a minute from one client, guesses included, then answers 429 with Retry-After", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const { manageToken } = await registered(s.id, person(1));
    const ip = client();
    await freshWindow(60, 10_000);
    for (let i = 0; i < 15; i++) {
      expectProblem(await api("POST", `/v1/manage/${guessedToken(s.id)}/cancel`, { headers: from(ip) }), "not_found");
      expect((await api("POST", `/m/${guessedToken(newSessionId())}`, { headers: from(ip) })).status).toBe(404);
    }
    const refused = await api("POST", `/v1/manage/${manageToken}/cancel`, { headers: from(ip) });
    expectProblem(refused, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
    const page = await api("POST", `/m/${manageToken}`, { headers: from(ip) });
    expect(page.status).toBe(429);
    expect(page.body).toContain("Too many attempts. Try again in 60 seconds.");

    const own = await api("POST", `/v1/manage/${manageToken}/cancel`, { headers: from(client()) });
    expect(own.status).toBe(200);
    expect(own.body.status).toBe("cancelled");
  });
});
