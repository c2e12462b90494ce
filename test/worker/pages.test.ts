import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, BASE, newOrg, newSession, person, register } from "./helpers";
import { tokenOf } from "./invitation-helpers";

const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`${BASE}${path}`, { headers });

describe("hosted pages", () => {
  it("serves a session's public page with the join element, escaping the title", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { title: "<script>alert(1)</script> Camp" });
    const res = await get(`/s/${s.id}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain(`<rollcall-join session="${s.id}"`);
    expect(body).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Camp");
    expect(body).not.toContain("<script>alert(1)</script>");
    expect(body).toContain('<script type="module" src="/widget/rollcall.js">');
  });

  it("answers 404 for an unknown session and a mangled invitation token", async () => {
    expect((await get("/s/ses_00000000000000000000")).status).toBe(404);
    expect((await get("/s/nope")).status).toBe(404);
    expect((await get("/r/not-a-token")).status).toBe(404);
  });

  it("lands an invitation link on the join element in invitation mode, in French when asked", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } })).body
      .invitations[0];
    const token = await tokenOf(s.id, inv.id);
    const res = await get(`/r/${token}`, { "accept-language": "fr-FR,fr;q=0.9" });
    const body = await res.text();
    expect(body).toContain(`invite="${token}"`);
    expect(body).toContain('<html lang="fr">');
  });

  it("lets a participant cancel from the link in their confirmation, without JavaScript", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const { manageToken } = (await register(s.id, person(1))).body;
    expect((await get(`/m/${manageToken}`)).status).toBe(200);
    const res = await SELF.fetch(`${BASE}/m/${manageToken}`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Your registration is cancelled");
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.seats.confirmed).toBe(0);
  });
});
