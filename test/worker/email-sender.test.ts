// The org's sender name and reply-to on its mail: the From header built from MAIL_FROM's address,
// quoted so that no name can break it; Resend and the dev outbox both get them; sign-in mail and
// the idempotency of retries stay as they were.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deliver, type Envelope } from "../../worker/email/deliver";
import { subjectLine } from "../../worker/email/mailer";
import type { MailMessage } from "../../worker/email/message";
import { resendMailer } from "../../worker/email/resend-mailer";
import { addressOf, senderOf, senderSettingsOf } from "../../worker/email/sender";
import { eventually, invitationMail, runQueue, standinTenant } from "./email-helpers";
import { api, DEV_BASE, newOrg, newSession, register } from "./helpers";

const MAIL_FROM = env.MAIL_FROM; // "Rollcall <invitations@rollcall.local>" in wrangler.toml
const ADDRESS = "invitations@rollcall.local";
const TRICKY = 'Camp "Les Pins", Paris';

/** Text as an HTML page must show it: the five markup characters as entities. */
const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => entities[ch] ?? ch);

/** Reads a `"display name" <address>` header back the way RFC 5322 does, or null if it is not one mailbox. */
function parseMailbox(header: string): { name: string; address: string } | null {
  const m = /^"((?:[^"\\\r\n]|\\[^\r\n])*)" <([^<>\s]+)>$/.exec(header);
  return m ? { name: m[1]!.replace(/\\(.)/g, "$1"), address: m[2]! } : null;
}

const signIn = (to: string): MailMessage<"sign_in"> => ({
  id: `msg_signin_${crypto.randomUUID().slice(0, 8)}`,
  template: "sign_in",
  to,
  locale: "en",
  data: { link: "https://rollcall.test/admin/sign-in/abc", expiresAt: "2026-05-01T10:15:00Z", orgName: "Forest Camp" },
});

async function setSettings(key: string, settings: Record<string, string | null>) {
  const res = await api("PATCH", "/v1/org", { key, body: { settings } });
  expect(res.status).toBe(200);
}

describe("senderOf", () => {
  it("puts the org's name, quoted, in front of MAIL_FROM's address, and its reply-to beside", () => {
    expect(senderOf(MAIL_FROM, { senderName: TRICKY, replyTo: "hello@camp.example" })).toEqual({
      from: `"Camp \\"Les Pins\\", Paris" <${ADDRESS}>`,
      replyTo: "hello@camp.example",
    });
  });

  it.each([
    TRICKY,
    'Back\\slash \\" end',
    "Line\r\nBcc: victim@example.org",
    "<evil@example.org>, other@example.org",
    "Colonie d’été — Les Pins",
    "  spaced   out  ",
  ])("writes %j as one mailbox with MAIL_FROM's address", (name) => {
    const { from } = senderOf(MAIL_FROM, { senderName: name });
    expect(from).not.toMatch(/[\r\n]/);
    const parsed = parseMailbox(from);
    expect(parsed).not.toBeNull();
    expect(parsed!.address).toBe(ADDRESS);
    expect(parsed!.name).toBe(
      name
        .replace(/[\r\n]+/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    );
  });

  it("keeps a French no-break space in a subject or a name, and folds every other run of spaces", () => {
    expect(subjectLine("Inscription confirmée\u00a0: Atelier\u202fcuisine")).toBe("Inscription confirmée\u00a0: Atelier\u202fcuisine");
    expect(subjectLine(" Annulée\t\u2028: \r\n Yoga  ")).toBe("Annulée : Yoga");
    expect(parseMailbox(senderOf(MAIL_FROM, { senderName: "Colonie «\u00a0Les Pins\u00a0»" }).from)?.name).toBe(
      "Colonie «\u00a0Les Pins\u00a0»",
    );
  });

  it("keeps MAIL_FROM as it is when the org has no sender name, and adds no reply-to it did not set", () => {
    expect(senderOf(MAIL_FROM, undefined)).toEqual({ from: MAIL_FROM });
    expect(senderOf(MAIL_FROM, {})).toEqual({ from: MAIL_FROM });
    expect(senderOf(MAIL_FROM, { senderName: " \r\n " })).toEqual({ from: MAIL_FROM });
    expect(senderOf(MAIL_FROM, { replyTo: "hello@camp.example" })).toEqual({ from: MAIL_FROM, replyTo: "hello@camp.example" });
  });

  it("defaults the sender name to the org's name and the reply-to to its owner's address", () => {
    expect(senderOf(MAIL_FROM, { orgName: TRICKY, ownerEmail: "owner@camp.example" })).toEqual({
      from: `"Camp \\"Les Pins\\", Paris" <${ADDRESS}>`,
      replyTo: "owner@camp.example",
    });
    // What the org set wins over both defaults.
    expect(
      senderOf(MAIL_FROM, { orgName: "Camp", ownerEmail: "owner@camp.example", senderName: "Jo at Camp", replyTo: "office@camp.example" }),
    ).toEqual({ from: `"Jo at Camp" <${ADDRESS}>`, replyTo: "office@camp.example" });
    // An org without an owner (created without ownerEmail) still signs with its name.
    expect(senderOf(MAIL_FROM, { orgName: "Camp", ownerEmail: null })).toEqual({ from: `"Camp" <${ADDRESS}>` });
  });

  it("reads the address of MAIL_FROM written bare or with a name", () => {
    expect(addressOf("Rollcall <invitations@rollcall.dev>")).toBe("invitations@rollcall.dev");
    expect(addressOf("invitations@rollcall.dev")).toBe("invitations@rollcall.dev");
    expect(senderOf("invitations@rollcall.dev", { senderName: "Forest Camp" }).from).toBe('"Forest Camp" <invitations@rollcall.dev>');
  });

  it("never applies an org's settings to a sign-in link", () => {
    const bySession = new Map([["ses_1", { senderName: "Camp", replyTo: "a@camp.example" }]]);
    expect(senderSettingsOf({ template: "sign_in", sessionId: "ses_1" }, bySession)).toBeUndefined();
    expect(senderSettingsOf({ template: "invitation", sessionId: "ses_1" }, bySession)).toEqual({
      senderName: "Camp",
      replyTo: "a@camp.example",
    });
    expect(senderSettingsOf({ template: "invitation", sessionId: "ses_2" }, bySession)).toBeUndefined();
  });
});

describe("mail of an org's sessions through Resend", () => {
  afterEach(() => vi.restoreAllMocks());

  it("comes from the org's sender name with its reply-to; an org without settings from its name and owner; sign-in links unchanged; one settings query", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const camp = await invitationMail(2, ["ann.sender@example.org", "bob.sender@example.org"]);
    await setSettings(camp.key, { senderName: TRICKY, replyTo: "hello@camp.example" });
    const plain = await invitationMail(1, ["cid.sender@example.org"]);
    const signin = signIn("owner.sender@example.org");

    // Count what reaches D1 and what leaves for Resend.
    const statements: string[] = [];
    const db = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare")
          return (query: string) => {
            statements.push(query);
            return target.prepare(query);
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const fetches = vi.spyOn(globalThis, "fetch");

    const run = await runQueue(
      "rollcall-mail",
      [...camp.mail, ...plain.mail, signin].map((message) => ({ message })),
      { ...standin.env, DB: db },
    );
    expect(run.acked).toHaveLength(4);

    const sent = fetches.mock.calls
      .filter(([input]) => String(input instanceof Request ? input.url : input).startsWith(standin.url))
      .flatMap(([, init]) => [JSON.parse(String(init?.body))].flat()) as Record<string, unknown>[];
    const to = (address: string) => sent.find((e) => (e.to as string[])[0] === address)!;
    expect(to("ann.sender@example.org")).toMatchObject({
      from: `"Camp \\"Les Pins\\", Paris" <${ADDRESS}>`,
      reply_to: "hello@camp.example",
    });
    expect(to("bob.sender@example.org")).toMatchObject({
      from: `"Camp \\"Les Pins\\", Paris" <${ADDRESS}>`,
      reply_to: "hello@camp.example",
    });
    // newOrg() names the org "Forest Camp" with owner@camp.example as its owner.
    expect(to("cid.sender@example.org")).toMatchObject({ from: `"Forest Camp" <${ADDRESS}>`, reply_to: "owner@camp.example" });
    expect(String(to("cid.sender@example.org").text)).toContain("Forest Camp invites you to");
    expect(to("owner.sender@example.org").from).toBe(MAIL_FROM);
    expect(to("owner.sender@example.org")).not.toHaveProperty("reply_to");
    // Resend accepted the quoted name as it is.
    const accepted = await standin.emails();
    expect(accepted.find((e) => e.to[0] === "ann.sender@example.org")?.from).toBe(`"Camp \\"Les Pins\\", Paris" <${ADDRESS}>`);

    expect(statements.filter((q) => /"orgs"/.test(q))).toHaveLength(1);
  });

  it("sends a retried batch with the same payload, so the provider replays it instead of refusing the key", async () => {
    const standin = standinTenant();
    await standin.config({ rateLimit: 0 });
    const { mail } = await invitationMail(2, ["dee.sender@example.org", "eve.sender@example.org"]);
    const settings = { senderName: TRICKY, replyTo: "hello@camp.example" };
    const envelopes: Envelope[] = mail.map((message) => ({
      message,
      attempts: 1,
      bundle: 0,
      queuedAt: new Date("2026-05-01T10:00:00Z"),
      senderSettings: settings,
    }));
    const mailer = resendMailer({ apiKey: standin.key, baseUrl: standin.url });
    const clock = { now: () => new Date(), sleep: async () => {} };
    // As if the answer to the first request was lost and the queue tried again.
    const one = await deliver(envelopes, mailer, clock, { from: MAIL_FROM });
    const two = await deliver(
      envelopes.map((e) => ({ ...e, attempts: 2, senderSettings: { ...settings } })),
      mailer,
      clock,
      { from: MAIL_FROM },
    );
    expect([...two.values()].map((d) => d.kind)).toEqual(["sent", "sent"]);
    expect([...two.values()].map((d) => d.kind === "sent" && d.providerId)).toEqual(
      [...one.values()].map((d) => d.kind === "sent" && d.providerId),
    );
    const requests = await standin.requests();
    expect(requests.map((r) => [r.status, r.replayed])).toEqual([
      [200, false],
      [200, true],
    ]);
    expect(await standin.emails()).toHaveLength(2);
  });
});

describe("mail of an org's sessions in the dev outbox", () => {
  it("keeps and shows the sender name and reply-to", async () => {
    const { key } = await newOrg();
    await setSettings(key, { senderName: TRICKY, replyTo: "hello@camp.example" });
    const s = await newSession(key);
    expect((await register(s.id, { name: "Fay", email: "fay.sender@example.org" })).status).toBe(201);

    const read = async () => (await api("GET", "/dev/mail.json?to=fay.sender%40example.org", { base: DEV_BASE })).body.messages as any[];
    const [mail] = await eventually(read, (m) => m.length >= 1);
    expect(mail).toMatchObject({ from: `"Camp \\"Les Pins\\", Paris" <${ADDRESS}>`, replyTo: "hello@camp.example" });

    const page = await api("GET", `/dev/mail/${mail.id}`, { base: DEV_BASE });
    expect(page.body).toContain(`<dt>From</dt><dd>${escapeHtml(mail.from)}</dd>`);
    expect(page.body).toContain("<dt>Reply-To</dt><dd>hello@camp.example</dd>");
    expect((await api("GET", "/dev/mail", { base: DEV_BASE })).body).toContain(`<td data-label="From">${escapeHtml(mail.from)}</td>`);
  });

  it("signs the mail of an org without settings with its name, answers going to its owner", async () => {
    const { key } = await newOrg("Maple Grove Summer Camp");
    const s = await newSession(key);
    expect((await register(s.id, { name: "Gus", email: "gus.sender@example.org" })).status).toBe(201);
    const read = async () => (await api("GET", "/dev/mail.json?to=gus.sender%40example.org", { base: DEV_BASE })).body.messages as any[];
    const [mail] = await eventually(read, (m) => m.length >= 1);
    expect(mail).toMatchObject({ from: `"Maple Grove Summer Camp" <${ADDRESS}>`, replyTo: "owner@camp.example" });
    expect((await api("GET", `/dev/mail/${mail.id}`, { base: DEV_BASE })).body).toContain("<dt>Reply-To</dt><dd>owner@camp.example</dd>");
  });
});
