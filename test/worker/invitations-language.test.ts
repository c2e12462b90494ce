// The language of an invitation: a person the org's directory knows speaks their own (pasted by
// address or chosen as a contact, whatever the request or the sender's screen asks); anyone else
// gets the language the request asks, else the org's default language, else English. The preview
// speaks as the email to someone without a language of their own would.
import { describe, expect, it } from "vitest";
import { browse, signedInOwner } from "./admin-helpers";
import { api, newOrg, newSession } from "./helpers";
import { captureMail, invited, mailSoFar } from "./invitation-helpers";

async function frenchOrg() {
  const org = await newOrg("Colonie des Pins");
  expect((await api("PATCH", "/v1/org", { key: org.key, body: { settings: { defaultLocale: "fr" } } })).status).toBe(200);
  return org;
}

/** The language of each invitation email the session's ledger decided, by address. */
async function languages(sessionId: string, captured: unknown[]) {
  const mail = (await mailSoFar(sessionId, captured)).filter((m) => m.template === "invitation");
  return Object.fromEntries(mail.map((m) => [m.to, m.locale]));
}

describe("an invitation's language", () => {
  it("is the contact's own for an address the directory knows (any case), else the one asked", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    await api("POST", "/v1/contacts", { key, body: { email: "Zoe@example.org", firstName: "Zoé", locale: "fr" } });
    await api("POST", "/v1/contacts", { key, body: { email: "sam@example.org", firstName: "Sam" } });
    await invited(key, s.id, { recipients: "zoe@EXAMPLE.org, sam@example.org, new@example.org", locale: "en" });
    expect(await languages(s.id, captured)).toEqual({ "zoe@EXAMPLE.org": "fr", "sam@example.org": "en", "new@example.org": "en" });
  });

  it("is the contact's own for a contact chosen from the directory", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    const zoe = (await api("POST", "/v1/contacts", { key, body: { email: "zoe@example.org", locale: "fr" } })).body;
    await invited(key, s.id, { contactIds: [zoe.id] });
    expect(await languages(s.id, captured)).toEqual({ "zoe@example.org": "fr" });
  });

  it("is the org's default language when none is asked and the person has none", async () => {
    const { key } = await frenchOrg();
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    await api("POST", "/v1/contacts", { key, body: { email: "ann@example.org", locale: "en" } });
    await invited(key, s.id, { recipients: "ann@example.org, new@example.org" });
    expect(await languages(s.id, captured)).toEqual({ "ann@example.org": "en", "new@example.org": "fr" });
    // Asked for, English is what people without a language of their own get.
    await invited(key, s.id, { recipients: "other@example.org", locale: "en" });
    expect((await languages(s.id, captured))["other@example.org"]).toBe("en");
  });

  it("previews in the language asked, else the org's", async () => {
    const { key } = await frenchOrg();
    const s = await newSession(key, { title: "Atelier" });
    const preview = async (body: object) => (await api("POST", `/v1/sessions/${s.id}/invitations/preview`, { key, body })).body.subject;
    expect(await preview({})).toContain("Invitation\u00a0: Atelier");
    expect(await preview({ locale: "en" })).toContain("You're invited: Atelier");
  });

  it("from the admin's directory, is the person's own or the org's, not the language of the admin's screen", async () => {
    const { key, owner } = await signedInOwner("Colonie des Pins");
    expect((await api("PATCH", "/v1/org", { key, body: { settings: { defaultLocale: "fr" } } })).status).toBe(200);
    const s = await newSession(key);
    const captured = await captureMail(s.id);
    const ann = (await api("POST", "/v1/contacts", { key, body: { email: "ann@example.org", locale: "en" } })).body;
    const bea = (await api("POST", "/v1/contacts", { key, body: { email: "bea@example.org" } })).body;
    // The admin in English (the browser asks for it), saving the invitations to send later.
    for (const contact of [ann, bea]) {
      const res = await browse("POST", "/admin/contacts/bulk", {
        cookie: owner.cookie,
        form: { _csrf: owner.csrf, bulk: "session", sessionId: s.id, send: "later", contactIds: contact.id },
        headers: { "accept-language": "en" },
      });
      expect(res.status, res.text.slice(0, 300)).toBe(200);
    }
    const drafts = (await api("GET", `/v1/sessions/${s.id}/invitations`, { key })).body.invitations;
    const sent = await api("POST", `/v1/sessions/${s.id}/invitations/send`, {
      key,
      body: { ids: drafts.map((i: { id: string }) => i.id) },
    });
    expect(sent.status).toBe(200);
    expect(await languages(s.id, captured)).toEqual({ "ann@example.org": "en", "bea@example.org": "fr" });
  });
});
