// What the worker's own responses tell the browser beyond their body: the participant pages
// (/s, /r, /m, /c) carry a Content-Security-Policy that lets only this origin's scripts, calls and
// forms run; the API's bodies are never sniffed into something else.
import { describe, expect, it } from "vitest";
import { api, DEV_BASE, newOrg, newSession, person, registered } from "./helpers";
import { tokenOf } from "./invitation-helpers";

/** The CSP's directives, by name. */
function directives(csp: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );
}

describe("the participant pages (/s, /r, /m, /c)", () => {
  it("each carry a CSP: scripts, calls and forms of this origin only, no plugins, no frames around them", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } })).body
      .invitations[0];
    const invite = await tokenOf(s.id, inv.id);
    const { manageToken } = await registered(s.id, person(1));
    const pages: [string, string, number][] = [
      ["GET", `/s/${s.id}`, 200],
      ["GET", "/s/ses_00000000000000000000", 404],
      ["GET", `/r/${invite}`, 200],
      ["GET", "/r/not-a-token", 404],
      ["GET", `/m/${manageToken}`, 200],
      ["POST", `/m/${manageToken}`, 200],
      ["POST", "/m/not-a-token", 404],
      ["GET", "/c/not-a-token", 404],
      ["POST", "/c/not-a-token", 404],
    ];
    for (const [method, path, status] of pages) {
      const res = await api(method, path);
      expect(res.status, `${method} ${path}`).toBe(status);
      const csp = directives(res.headers.get("content-security-policy"));
      expect(csp, `${method} ${path}`).toMatchObject({
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      });
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control"), `${method} ${path}`).toBe("no-store");
      expect(res.headers.get("x-frame-options"), `${method} ${path}`).toBe("DENY");
    }
  });
});

describe("an address the app does not serve", () => {
  it("shows a browser a page in its language, with the pages' headers, and answers an API client the JSON problem", async () => {
    const html = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
    const french = await api("GET", "/s-typo/ses_0h4k8m2q9rvt3x7c1a5d", { headers: { ...html, "accept-language": "fr-FR,fr;q=0.9" } });
    expect(french.status).toBe(404);
    expect(french.headers.get("content-type")).toMatch(/^text\/html/);
    expect(french.body).toContain('<html lang="fr"');
    expect(french.body).toContain("Il n’y a pas de page à cette adresse.");
    expect(directives(french.headers.get("content-security-policy"))["frame-ancestors"]).toEqual(["'none'"]);
    const english = await api("GET", "/nope", { headers: html });
    expect(english.body).toContain("There is no page at this address.");
    // A short heading says what the page is about, in the tab and to a screen reader first.
    expect(french.body).toContain("<title>Page introuvable</title>");
    expect(french.body).toContain("<h1>Page introuvable</h1>");
    expect(english.body).toContain("<title>Page not found</title>");
    const link = await api("GET", "/r/not-a-token", { headers: { ...html, "accept-language": "fr" } });
    expect(link.status).toBe(404);
    expect(link.body).toContain("<h1>Lien non valide</h1>");
    expect(link.body).toContain("Ce lien n’est pas valide.");
    for (const [path, headers] of [
      ["/nope", {}],
      ["/v1/nope", html],
    ] as const) {
      const res = await api("GET", path, { headers });
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/problem\+json/);
      expect(res.body, path).toMatchObject({ code: "not_found" });
    }
  });
});

describe("the other routes", () => {
  it("keep their own policy: the hosted admin's, the dev outbox's; the API has none", async () => {
    const admin = await api("GET", "/admin/sign-in");
    expect(directives(admin.headers.get("content-security-policy"))["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives(admin.headers.get("content-security-policy"))["script-src"]).toBeUndefined();
    const outbox = await api("GET", "/dev/mail", { base: DEV_BASE });
    expect(directives(outbox.headers.get("content-security-policy"))["default-src"]).toEqual(["'none'"]);
    expect((await api("GET", "/v1/openapi.json")).headers.get("content-security-policy")).toBeNull();
  });
});

describe("the API (/v1)", () => {
  it("sends X-Content-Type-Options: nosniff with every answer, JSON, CSV, problem or document", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const answers = [
      await api("GET", `/v1/public/sessions/${s.id}`),
      await api("GET", `/v1/sessions/${s.id}/roster.csv`, { key }),
      await api("GET", "/v1/sessions"),
      await api("GET", "/v1/no-such-route"),
      await api("POST", "/v1/sessions", { key, raw: "{", headers: { "content-type": "application/json" } }),
      await api("GET", "/v1/openapi.json"),
      await api("OPTIONS", "/v1/sessions", { headers: { origin: "https://camp.example", "access-control-request-method": "POST" } }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 401, 404, 400, 200, 204]);
    for (const res of answers) expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("is kept by no cache (rosters, tokens, personal data), and is not framed as a page would be", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    for (const res of [
      await api("GET", `/v1/public/sessions/${s.id}`),
      await api("GET", `/v1/sessions/${s.id}/roster`, { key }),
      await api("GET", "/v1/no-such-route"),
    ]) {
      expect(res.headers.get("cache-control")).toBe("no-store");
      // The hosted pages' headers stay on the hosted pages.
      expect(res.headers.get("x-frame-options")).toBeNull();
      expect(res.headers.get("content-security-policy")).toBeNull();
    }
    expect((await api("GET", "/healthz")).headers.get("x-frame-options")).toBeNull();
  });
});
