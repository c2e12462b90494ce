// One language negotiation for the hosted admin and the hosted pages: the best supported language
// in Accept-Language by quality, not merely the first one named.

import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { browse } from "./admin-helpers";
import { BASE, newOrg, newSession } from "./helpers";

const GERMAN_THEN_FRENCH = "de, fr;q=0.9";

describe("Accept-Language: de, fr;q=0.9", () => {
  it("gives the admin sign-in page in French", async () => {
    const page = await browse("GET", "/admin/sign-in", { headers: { "accept-language": GERMAN_THEN_FRENCH } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain("<h1>Connexion</h1>");
  });

  it("gives a session's public page in French, its join element too", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await SELF.fetch(`${BASE}/s/${s.id}`, { headers: { "accept-language": GERMAN_THEN_FRENCH } });
    const body = await res.text();
    expect(body).toContain('<html lang="fr">');
    expect(body).toContain(`<rollcall-join session="${s.id}" locale="fr" heading-level="1">`);
  });

  it("prefers English over French when English has the higher quality, whatever the order", async () => {
    const page = await browse("GET", "/admin/sign-in", { headers: { "accept-language": "fr;q=0.5, de, en-GB;q=0.8" } });
    expect(page.text).toContain('<html lang="en">');
  });

  it("speaks English when neither language is asked for", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const res = await SELF.fetch(`${BASE}/s/${s.id}`, { headers: { "accept-language": "de, es;q=0.9" } });
    expect(await res.text()).toContain('<html lang="en">');
  });
});
