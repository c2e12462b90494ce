// The worker as the platform runs it, through its real entrypoint (SELF.fetch): health, the
// OpenAPI document (whose every path must reach a route), and a burst of joins. The other files
// call the fetch handler directly (see helpers.ts for why), so this one keeps its request count
// low: each SELF.fetch in a file costs more than the one before.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, newOrg, newSession, readSession } from "./helpers";

async function get(path: string) {
  const res = await SELF.fetch(`${BASE}${path}`);
  return { res, body: (await res.json()) as any };
}

const CONTRACT_ROUTES = [
  "post /orgs",
  "post /api-keys",
  "get /api-keys",
  "post /api-keys/{id}/revoke",
  "post /widget-tokens",
  "post /sessions",
  "get /sessions",
  "get /sessions/{id}",
  "patch /sessions/{id}",
  "post /sessions/{id}/cancel",
  "post /sessions/{id}/registrations",
  "post /registrations/{id}/cancel",
  "get /public/sessions/{id}",
  "post /public/sessions/{id}/registrations",
  "post /manage/{token}/cancel",
  "get /sessions/{id}/roster",
  "get /sessions/{id}/roster.csv",
];

describe("GET /healthz", () => {
  it("answers 200 with ok", async () => {
    const { res, body } = await get("/healthz");
    expect(res.status).toBe(200);
    expect(body).toEqual({ ok: true });
  });
});

describe("GET /v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document of every route of the contract, with its problems", async () => {
    const { res, body: doc } = await get("/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(doc.openapi).toBe("3.1.0");
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ route: `${method} ${path}`, op })),
    );
    expect(operations.map((o) => o.route)).toEqual(expect.arrayContaining(CONTRACT_ROUTES));
    expect(doc.components.schemas.Problem).toBeDefined();
    for (const { route, op } of operations.filter((o) => CONTRACT_ROUTES.includes(o.route))) {
      const problemStatuses = Object.entries(op.responses as Record<string, any>).filter(
        ([, r]) => r.content?.["application/problem+json"],
      );
      expect(problemStatuses.length, route).toBeGreaterThan(0);
      expect(
        problemStatuses.map(([status]) => status),
        route,
      ).toContain("422");
    }
  });

  it("names a server under which every documented path reaches a route", async () => {
    const { body: doc } = await get("/v1/openapi.json");
    const server = new URL(doc.servers?.[0]?.url ?? "/", `${BASE}/v1/openapi.json`);
    for (const [path, ops] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(ops)) {
        const url = `${server.href.replace(/\/$/, "")}${path.replace(/\{[^}]+\}/g, "x")}`;
        const res = await SELF.fetch(url, {
          method: method.toUpperCase(),
          headers: { "content-type": "application/json" },
          body: method === "get" ? undefined : "{}",
        });
        const problem = (await res.json().catch(() => null)) as { detail?: string } | null;
        expect(problem?.detail, `${method} ${url}`).not.toBe("No such route.");
      }
    }
  });
});

describe("the real entrypoint under a burst", () => {
  it("gives 200 simultaneous joins for 50 seats exactly 50 seats", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 50, minParticipants: 1, waitlist: false });
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const res = await SELF.fetch(`${BASE}/v1/public/sessions/${s.id}/registrations`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: `Walk-in ${i}`, email: `walkin${i}@example.org` }),
        });
        return { status: res.status, code: res.status === 201 ? null : ((await res.json()) as { code: string }).code };
      }),
    );
    console.log(`200 joins through SELF.fetch in ${Date.now() - started} ms`);
    expect(statuses.filter((s) => s.status === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s.code === "capacity_full")).toHaveLength(150);
    expect((await readSession(key, s.id)).seats).toMatchObject({ capacity: 50, confirmed: 50, available: 0 });
  });
});

describe("an unknown path", () => {
  it("answers a not_found problem", async () => {
    const res = await SELF.fetch(`${BASE}/v1/no/such/route`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { code: string }).code).toBe("not_found");
  });
});
