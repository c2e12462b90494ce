// The OpenAPI document as a reference a client can rely on: every operation named, summarised,
// tagged and with its errors; the public ones saying they take no credential; the rate-limited
// ones saying how long to wait. A route added without these fails here. And the page that renders
// the document, /v1/docs, served from this origin only.
import { describe, expect, it } from "vitest";
import { version } from "../../package.json";
import { isLimitedRoute } from "../../worker/auth/throttle";
import { api } from "./helpers";

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { headers?: Record<string, { schema?: { type?: string } }> }>;
};

async function operations() {
  const doc = (await api("GET", "/v1/openapi.json")).body;
  const ops = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, method, path, op })),
  );
  return { doc, ops };
}

/** The paths anyone may call: a visitor's, a link's holder's, a provider's webhook. */
const PUBLIC_PATH = /^\/(public|invites|manage|webhooks)\//;

describe("GET /v1/openapi.json, as a reference", () => {
  it("names every operation with a unique camelCase operationId", async () => {
    const { ops } = await operations();
    for (const { route, op } of ops) expect(op.operationId ?? "(none)", route).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    const ids = ops.map((o) => o.op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("gives every operation a summary, tags that the document describes, and at least one 4xx", async () => {
    const { doc, ops } = await operations();
    const described = new Map((doc.tags as { name: string; description?: string }[] | undefined)?.map((t) => [t.name, t.description]));
    for (const { route, op } of ops) {
      expect(op.summary?.trim(), route).toBeTruthy();
      expect(op.tags?.length, route).toBeGreaterThan(0);
      for (const tag of op.tags ?? []) expect(described.get(tag), `${route}: tag ${tag}`).toBeTruthy();
      expect(
        Object.keys(op.responses).some((status) => /^4\d\d$/.test(status)),
        route,
      ).toBe(true);
    }
  });

  it("declares security on every operation: none on the public ones, the bearer scheme on the rest", async () => {
    const { doc, ops } = await operations();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    for (const { route, path, op } of ops) {
      expect(op.security, route).toBeDefined();
      if (PUBLIC_PATH.test(path)) expect(op.security, route).toEqual([]);
      else
        expect(
          op.security?.map((s) => Object.keys(s)),
          route,
        ).toEqual([["bearer"]]);
    }
  });

  it("documents 429 with Retry-After on every route the rate limits reach", async () => {
    const { ops } = await operations();
    const limited = ops.filter(({ method, path }) => isLimitedRoute(method.toUpperCase(), `/v1${path.replace(/\{[^}]+\}/g, "x")}`));
    expect(limited.length).toBeGreaterThan(5);
    for (const { route, op } of limited) {
      expect(op.responses["429"], route).toBeDefined();
      expect(op.responses["429"]?.headers?.["Retry-After"]?.schema?.type, route).toBe("integer");
    }
    // And wherever a 429 is documented, so is the header that says when to come back.
    for (const { route, op } of ops.filter((o) => o.op.responses["429"])) {
      expect(op.responses["429"]?.headers?.["Retry-After"], route).toBeDefined();
    }
  });

  it("carries the package's version and its licence", async () => {
    const { doc } = await operations();
    expect(doc.info.version).toBe(version);
    expect(doc.info.license).toMatchObject({ name: "MIT", url: "https://spdx.org/licenses/MIT.html" });
  });
});

describe("GET /v1/docs", () => {
  it("renders /v1/openapi.json with a script from this origin only", async () => {
    const res = await api("GET", "/v1/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = res.body as string;
    expect(html).toContain('data-url="/v1/openapi.json"');
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(src, "a script of this origin").toMatch(/^\/[^/]/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp, "no other host, no inline script").not.toMatch(/https?:|\*|'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
