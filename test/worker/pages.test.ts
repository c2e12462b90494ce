import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, BASE, newOrg, newSession, person, register } from "./helpers";
import { tokenOf } from "./invitation-helpers";

const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`${BASE}${path}`, { headers });

describe("hosted pages", () => {
  it("serves a session's public page with the join element (its title the page's heading), naming the org, escaping both", async () => {
    const { key } = await newOrg("Birch & <b>Pine</b> Camp");
    const s = await newSession(key, { title: "<script>alert(1)</script> Camp" });
    const res = await get(`/s/${s.id}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<p class="org">Birch &amp; &lt;b&gt;Pine&lt;/b&gt; Camp</p>');
    expect(body).toContain("<title>&lt;script&gt;alert(1)&lt;/script&gt; Camp · Birch &amp; &lt;b&gt;Pine&lt;/b&gt; Camp</title>");
    // The page has no h1 of its own: the card's title is the page's heading.
    expect(body).toContain(`<rollcall-join session="${s.id}" locale="en" heading-level="1">`);
    expect(body).not.toContain("<h1");
    expect(body).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Camp");
    expect(body).not.toContain("<script>alert(1)</script>");
    expect(body).toContain('<script type="module" src="/widget/rollcall.js">');
  });

  it("answers 404 for an unknown session and a mangled invitation token", async () => {
    expect((await get("/s/ses_00000000000000000000")).status).toBe(404);
    expect((await get("/s/nope")).status).toBe(404);
    expect((await get("/r/not-a-token")).status).toBe(404);
  });

  it("lands an invitation link on the join element in invitation mode, naming the org, in French when asked", async () => {
    const { key } = await newOrg("Camp des Érables");
    const s = await newSession(key);
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } })).body
      .invitations[0];
    const token = await tokenOf(s.id, inv.id);
    const res = await get(`/r/${token}`, { "accept-language": "fr-FR,fr;q=0.9" });
    const body = await res.text();
    expect(body).toContain(`invite="${token}" locale="fr" heading-level="1">`);
    expect(body).toContain('<html lang="fr">');
    expect(body).toContain('<p class="org">Camp des Érables</p>');
    expect(body).toContain("<title>Invitation · Camp des Érables</title>");
  });

  it("lands an invitation sent in French in French where the browser asks for none of ours, and in English where it asks for English", async () => {
    const { key } = await newOrg("Camp des Érables");
    const s = await newSession(key);
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "zoe@example.org", locale: "fr" } })).body
      .invitations[0];
    const token = await tokenOf(s.id, inv.id);
    const german = await (await get(`/r/${token}`, { "accept-language": "de-DE,de;q=0.9" })).text();
    expect(german).toContain('<html lang="fr">');
    expect(german).toContain(`locale="fr"`);
    const english = await (await get(`/r/${token}`, { "accept-language": "en-GB" })).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain("<title>Invitation · Camp des Érables</title>");
  });

  it("says on the manage page what would be cancelled, and cancels only when asked", async () => {
    const { key } = await newOrg("Maple Grove Summer Camp");
    const s = await newSession(key, { title: "Forest <Explorers>", startsAt: "2031-07-07T13:00:00.000Z", timeZone: "America/Toronto" });
    const { manageToken } = (await register(s.id, { name: "Léa Martin", email: "lea.page@example.org" })).body;
    const res = await get(`/m/${manageToken}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("<h1>Cancel your registration?</h1>");
    expect(page).toContain("Forest &lt;Explorers&gt;");
    expect(page).toMatch(/Monday, July 7, 2031, 9:00\s*AM\s*–\s*12:00\s*PM \(America\/Toronto, GMT-4\)/);
    expect(page).toContain("Maple Grove Summer Camp");
    expect(page).toContain("Léa Martin");
    expect(page).toContain("Seat confirmed");
    expect(page).toContain(">Yes, cancel my registration</button>");
    // Opening the link (as a mail scanner does) changes nothing.
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.seats.confirmed).toBe(1);
  });

  it("says on the manage page where the session takes place, as its emails do, and its meeting link to a confirmed seat only", async () => {
    const { key } = await newOrg();
    const place = { location: "Lakeside <cabin>, 12 Shore Rd", onlineUrl: "https://meet.example/forest?x=1&y=2" };
    const s = await newSession(key, { ...place, maxParticipants: 1, minParticipants: 1 });
    const seat = (await register(s.id, { name: "Ada", email: "ada.where@example.org" })).body.manageToken;
    const page = await (await get(`/m/${seat}`)).text();
    expect(page).toContain("<dt>Where</dt><dd>Lakeside &lt;cabin&gt;, 12 Shore Rd</dd>");
    expect(page).toContain('<dt>Meeting link</dt><dd><a href="https://meet.example/forest?x=1&amp;y=2"');
    const waiting = (await register(s.id, { name: "Zoé", email: "zoe.where@example.org", locale: "fr" })).body.manageToken;
    const french = await (await get(`/m/${waiting}`)).text();
    expect(french).toContain("<dt>Où</dt><dd>Lakeside &lt;cabin&gt;, 12 Shore Rd</dd>");
    expect(french).toContain("<dt>Lien de la réunion</dt><dd>Envoyé par e-mail une fois votre place confirmée</dd>");
    expect(french).not.toContain("meet.example");
    // Cancelled, the seat no longer shows the link.
    const cancelled = await (await SELF.fetch(`${BASE}/m/${seat}`, { method: "POST" })).text();
    expect(cancelled).toContain("<dt>Where</dt>");
    expect(cancelled).not.toContain("meet.example");
    expect(cancelled).not.toContain("Meeting link");
  });

  it("says the registration is cancelled after the click, with no second Cancel button, and again on the next visit", async () => {
    const { key } = await newOrg("Maple Grove Summer Camp");
    const s = await newSession(key, { title: "Forest Explorers" });
    const { manageToken } = (await register(s.id, { name: "Léa Martin", email: "lea.done@example.org" })).body;
    const after = await (await SELF.fetch(`${BASE}/m/${manageToken}`, { method: "POST" })).text();
    expect(after).toContain("<h1>Registration cancelled</h1>");
    expect(after).toContain("Your registration is cancelled. An email confirming it is on its way.");
    expect(after).toContain("Forest Explorers");
    expect(after).toContain("Léa Martin");
    expect(after).not.toContain("<button");
    expect(after).not.toContain("<form");
    const again = await (await get(`/m/${manageToken}`)).text();
    expect(again).toContain("This registration is cancelled.");
    expect(again).not.toContain("<button");
  });

  it("asks someone on the waitlist whether to leave it, in French when asked", async () => {
    const { key } = await newOrg();
    // A morning session: one that runs past midnight reads "… à 22:26 – mercredi …" instead.
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, startsAt: "2031-06-02T08:00:00Z" });
    await register(s.id, person(1));
    const { manageToken } = (await register(s.id, { name: "Zoé", email: "zoe.page@example.org" })).body;
    const page = await (await get(`/m/${manageToken}`, { "accept-language": "fr" })).text();
    expect(page).toContain("<h1>Quitter la liste d’attente ?</h1>");
    expect(page).toContain("Sur la liste d’attente (position 1)");
    expect(page).toContain(">Oui, quitter la liste d’attente</button>");
    expect(page).toMatch(/(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{1,2} \p{L}+ \d{4}, \d{2}:\d{2}/u);
  });

  it("speaks the language the person registered in where their browser names none of ours, and theirs where it does", async () => {
    const { key } = await newOrg("Camp des Érables");
    const s = await newSession(key, { title: "Atelier forêt" });
    const { manageToken } = (await register(s.id, { name: "Zoé", email: "zoe.lang@example.org", locale: "fr" })).body;
    const german = await (await get(`/m/${manageToken}`, { "accept-language": "de-DE,de;q=0.9" })).text();
    expect(german).toContain('<html lang="fr">');
    expect(german).toContain("<h1>Annuler votre inscription ?</h1>");
    expect(await (await get(`/m/${manageToken}`)).text()).toContain("<h1>Annuler votre inscription ?</h1>");
    // Their browser asks for English: the page is in English.
    expect(await (await get(`/m/${manageToken}`, { "accept-language": "en-GB" })).text()).toContain("<h1>Cancel your registration?</h1>");
    const cancelled = await (await SELF.fetch(`${BASE}/m/${manageToken}`, { method: "POST", headers: { "accept-language": "de" } })).text();
    expect(cancelled).toContain('<html lang="fr">');
    expect(cancelled).toContain("Atelier forêt");
    expect(cancelled).not.toContain("Registration cancelled");
  });

  it("answers a manage link that is not one of ours with 404, for reading and for cancelling", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const forged = `${s.id}.${"A".repeat(32)}`;
    expect((await get(`/m/${forged}`)).status).toBe(404);
    expect((await SELF.fetch(`${BASE}/m/${forged}`, { method: "POST" })).status).toBe(404);
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
