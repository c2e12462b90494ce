// The settings that decide where invitations point, who may embed the admin elements and when
// people's data is erased (the invitation link template, the reply-to address, the allowed embed
// origins, the retention period) are an owner's to change, through the hosted admin or with a key
// that answers to an owner; every change of the org's settings is recorded, and owners read the
// record in the settings page.
import { describe, expect, it } from "vitest";
import { browse, keyMadeBy, ownerAndColleague, submit } from "./admin-helpers";
import { api, expectProblem } from "./helpers";

const TEMPLATE = "https://camp.example/join?rollcall_invite={token}";
const EVIL_TEMPLATE = "https://evil.example/phish?t={token}";

const settingsOf = async (key: string) => (await api("GET", "/v1/org", { key })).body.settings;

describe("PATCH /v1/org", () => {
  it("refuses a key that answers to an admin the link template, reply-to, embed origins and retention, and takes its other changes", async () => {
    const { key, colleague } = await ownerAndColleague();
    const admins = await keyMadeBy(colleague, "Admin's script");
    for (const settings of [
      { invitationLinkTemplate: EVIL_TEMPLATE },
      { replyTo: "me@evil.example" },
      { embedOrigins: ["https://evil.example"] },
      // Shortening retention deletes people's data at the next purge.
      { retentionMonths: 1 },
    ]) {
      expectProblem(await api("PATCH", "/v1/org", { key: admins, body: { settings } }), "forbidden");
    }
    expect(await settingsOf(key)).toEqual({});
    expect((await api("PATCH", "/v1/org", { key: admins, body: { settings: { senderName: "Camp team" } } })).status).toBe(200);
    expect(await settingsOf(key)).toEqual({ senderName: "Camp team" });
  });

  it("lets the org's own key and a key that answers to an owner change them", async () => {
    const { key, owner } = await ownerAndColleague();
    expect((await api("PATCH", "/v1/org", { key, body: { settings: { replyTo: "hello@camp.example" } } })).status).toBe(200);
    const owners = await keyMadeBy(owner, "Owner's script");
    expect((await api("PATCH", "/v1/org", { key: owners, body: { settings: { invitationLinkTemplate: TEMPLATE } } })).status).toBe(200);
    expect(await settingsOf(key)).toEqual({ replyTo: "hello@camp.example", invitationLinkTemplate: TEMPLATE });
  });
});

describe("POST /admin/settings", () => {
  it("shows an admin the owner's settings without letting them change them", async () => {
    const { key, colleague } = await ownerAndColleague();
    await api("PATCH", "/v1/org", { key, body: { settings: { replyTo: "hello@camp.example", embedOrigins: ["https://camp.example"] } } });
    const page = await browse("GET", "/admin/settings", { cookie: colleague.cookie });
    for (const field of ["replyTo", "embedOrigins", "invitationLinkTemplate", "retentionMonths"])
      expect(page.text).toMatch(new RegExp(`id="${field}"[^>]* disabled`));
    expect(page.text).toContain("Only an owner can change this.");

    // The disabled fields are not sent: the rest is saved, they stay as they were.
    const saved = await submit(colleague, "/admin/settings", { name: "Forest Camp", senderName: "Camp team", defaultLocale: "" });
    expect(saved.status).toBe(303);
    expect(await settingsOf(key)).toEqual({
      senderName: "Camp team",
      replyTo: "hello@camp.example",
      embedOrigins: ["https://camp.example"],
    });

    // A form made to send them anyway is refused whole.
    const crafted = await submit(colleague, "/admin/settings", {
      name: "Renamed",
      senderName: "Camp team",
      replyTo: "me@evil.example",
      invitationLinkTemplate: EVIL_TEMPLATE,
    });
    expect(crafted.status).toBe(403);
    expect(crafted.text).toContain("Only an owner can change the reply-to address");
    expect((await api("GET", "/v1/org", { key })).body).toMatchObject({
      name: "Forest Camp",
      settings: { senderName: "Camp team", replyTo: "hello@camp.example", embedOrigins: ["https://camp.example"] },
    });
  });

  it("records who changed what and when, for owners to read", async () => {
    const { key, owner, colleague } = await ownerAndColleague();
    await api("PATCH", "/v1/org", { key, body: { settings: { replyTo: "hello@camp.example" } } });
    await submit(owner, "/admin/settings", {
      name: "Forest Camp",
      replyTo: "office@camp.example",
      invitationLinkTemplate: TEMPLATE,
      embedOrigins: "https://camp.example",
    });
    await submit(colleague, "/admin/settings", { name: "Forest Camp", senderName: "Camp <team>" });

    const page = await browse("GET", "/admin/settings", { cookie: owner.cookie });
    const history = page.text.slice(page.text.indexOf("<h2>Changes</h2>"));
    expect(history).not.toBe(page.text);
    const rows = [...history.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) =>
      m[1]!
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    );
    // Newest first: the colleague's sender name, the owner's three changes, the first key's reply-to.
    expect(rows.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`\\(UTC\\) ${colleague.email} Sender name: \\(none\\) → Camp &lt;team&gt;$`)),
      expect.stringMatching(
        new RegExp(
          `\\(UTC\\) ${owner.email} Reply-to address: hello@camp.example → office@camp.example ` +
            "Allowed embed origins: \\(none\\) → https://camp.example " +
            `Invitation link template: \\(none\\) → ${TEMPLATE.replace(/[?{}.]/g, "\\$&")}$`,
        ),
      ),
      expect.stringMatching(/\(UTC\) API key “First key” \(rk_[\w-]+…\) Reply-to address: \(none\) → hello@camp\.example$/),
    ]);
    const theirs = await browse("GET", "/admin/settings", { cookie: colleague.cookie });
    expect(theirs.text).not.toContain("<h2>Changes</h2>");
  });

  it("writes the record in the owner's language: field names, yes and no, the language's name", async () => {
    const { key, owner } = await ownerAndColleague();
    await api("PATCH", "/v1/org", { key, body: { settings: { hostsCanInvite: true, hostLabel: "animateur", defaultLocale: "fr" } } });
    const page = await browse("GET", "/admin/settings", { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    const history = page.text.slice(page.text.indexOf("<h2>Modifications</h2>"));
    expect(history).not.toBe(page.text);
    const text = history.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    expect(text).toContain("Langue par défaut : (aucun) → Français");
    expect(text).toMatch(/Les hôtes peuvent inviter[^:]* : \(aucun\) → Oui/);
    expect(text).not.toMatch(/→ true|Hosts may|What your organisation calls/);
  });
});
