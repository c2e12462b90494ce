import { describe, expect, it } from "vitest";
import { api, expectProblem, newOrg, newSession } from "./helpers";
import { captureMail, ledgerStub, tokenOf } from "./invitation-helpers";

describe("PATCH /v1/org", () => {
  it("points invitation links at the provider's own page when a link template is set", async () => {
    const { key } = await newOrg();
    const set = await api("PATCH", "/v1/org", {
      key,
      body: { settings: { invitationLinkTemplate: "https://camp.example/register?rollcall_invite={token}" } },
    });
    expect(set.status).toBe(200);
    const s = await newSession(key);
    const mail = await captureMail(s.id);
    const inv = (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } })).body
      .invitations[0];
    const token = await tokenOf(s.id, inv.id);
    await ledgerStub(s.id).drain();
    expect(mail.find((m) => m.template === "invitation")?.data.link).toBe(
      `https://camp.example/register?rollcall_invite=${encodeURIComponent(token)}`,
    );
  });

  it("links to the hosted page by default", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const mail = await captureMail(s.id);
    await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } });
    await ledgerStub(s.id).drain();
    expect(mail.find((m) => m.template === "invitation")?.data.link).toMatch(/^https:\/\/rollcall\.test\/r\/ses_/);
  });

  it("refuses a template without {token} and a widget token", async () => {
    const { key } = await newOrg();
    const bad = await api("PATCH", "/v1/org", { key, body: { settings: { invitationLinkTemplate: "https://camp.example/register" } } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe("settings.invitationLinkTemplate");
    const token = (await api("POST", "/v1/widget-tokens", { key, body: {} })).body.token;
    expect((await api("PATCH", "/v1/org", { key: token, body: { name: "x" } })).status).toBe(403);
  });

  it.each([
    ["camp.example", 0],
    ["ftp://camp.example", 0],
    ["https://camp.example/path", 1],
  ])("refuses the embed origin %j with one field error saying what to write, saving nothing", async (origin, index) => {
    const { key } = await newOrg();
    const embedOrigins = index === 0 ? [origin] : ["https://camp.example", origin];
    const res = await api("PATCH", "/v1/org", { key, body: { settings: { embedOrigins } } });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual([
      { path: `settings.embedOrigins.${index}`, code: "not_an_origin", message: "must be an origin such as https://camp.example" },
    ]);
    expect((await api("GET", "/v1/org", { key })).body.settings).toEqual({});
  });
});

describe("PATCH /v1/org with a sender name", () => {
  it.each([
    "billing@bank.example",
    "Support <help@bank.example>",
    "Camp (reply to camp@camp.example)",
    "help＠bank.example",
    "help﹫bank.example",
    "help\u200b@bank.example",
    "support @bank.example",
    "ceo@localhost",
  ])("refuses %j, which holds an email address, and changes nothing", async (senderName) => {
    const { key } = await newOrg();
    const before = (await api("GET", "/v1/org", { key })).body;
    const res = await api("PATCH", "/v1/org", { key, body: { name: "Renamed", settings: { senderName, replyTo: "a@camp.example" } } });
    expectProblem(res, "sender_name_has_address");
    expect(res.body.errors).toEqual([{ path: "settings.senderName", code: "has_address", message: "contains an email address" }]);
    expect((await api("GET", "/v1/org", { key })).body).toEqual(before);
  });

  it.each(["Forest Camp", "Camp @ the Lake", "O'Brien & Sons, Ltd.", "École du Lac — été 2027"])("keeps %j", async (senderName) => {
    const { key } = await newOrg();
    const res = await api("PATCH", "/v1/org", { key, body: { settings: { senderName } } });
    expect(res.status).toBe(200);
    expect(res.body.settings.senderName).toBe(senderName);
  });
});
