// Signing in to the hosted admin with a one-time link emailed to a member's address.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { returnPath } from "../../worker/auth/return-path";
import { sha256Hex } from "../../worker/ids/ids";
import {
  adminOrg,
  browse,
  COOKIE,
  cookieFrom,
  followLink,
  linkFor,
  queuedMail,
  signIn,
  signInLink,
  submit,
  uniqueEmail,
} from "./admin-helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const pathOf = (link: string) => link.slice(new URL(link).origin.length);

describe("POST /admin/sign-in", () => {
  it("emails a member a sign-in link that works for 15 minutes, naming the org", async () => {
    const { ownerEmail } = await adminOrg("Forest Camp");
    const mail = queuedMail();
    const asked = Date.now();
    const link = await signInLink(ownerEmail, mail);
    expect(link).toMatch(/^https:\/\/rollcall\.test\/admin\/link\/[A-Za-z0-9_-]{43}$/);
    const message = mail.find((m) => m.template === "sign_in")!;
    expect(message).toMatchObject({ template: "sign_in", to: ownerEmail, locale: "en", data: { orgName: "Forest Camp" } });
    const ttl = Date.parse((message.data as { expiresAt: string }).expiresAt) - asked;
    expect(ttl).toBeGreaterThan(14.9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000 + 5_000);
  });

  it("answers an unknown address exactly as it answers a member's, and emails nothing", async () => {
    const { ownerEmail } = await adminOrg();
    const stranger = uniqueEmail("stranger");
    const mail = queuedMail();
    const member = await browse("POST", "/admin/sign-in", { form: { email: ownerEmail } });
    const unknown = await browse("POST", "/admin/sign-in", { form: { email: stranger } });
    expect(unknown.status).toBe(member.status);
    expect(unknown.text.replaceAll(stranger, "ADDRESS")).toBe(member.text.replaceAll(ownerEmail, "ADDRESS"));
    expect([...unknown.headers.keys()].sort()).toEqual([...member.headers.keys()].sort());
    await vi.waitFor(() => expect(mail.filter((m) => m.to === ownerEmail)).toHaveLength(1));
    await scheduler.wait(50);
    expect(mail.filter((m) => m.to === stranger)).toHaveLength(0);
  });

  it("sends one link per organisation to a member of two", async () => {
    const email = uniqueEmail("both");
    await adminOrg("Forest Camp", email);
    await adminOrg("Lake School", email);
    const mail = queuedMail();
    await browse("POST", "/admin/sign-in", { form: { email } });
    await vi.waitFor(() => expect(mail).toHaveLength(2));
    expect(mail.map((m) => (m.data as { orgName: string }).orgName).sort()).toEqual(["Forest Camp", "Lake School"]);
  });

  it("refuses something that is not an address, with the form again", async () => {
    const res = await browse("POST", "/admin/sign-in", { form: { email: "not an address" } });
    expect(res.status).toBe(422);
    expect(res.text).toContain('aria-invalid="true"');
    expect(res.text).toContain('value="not an address"');
  });

  it("keeps only the SHA-256 of the link's secret", async () => {
    const { ownerEmail } = await adminOrg();
    const link = await signInLink(ownerEmail, queuedMail());
    const secret = link.split("/").at(-1)!;
    const rows = await env.DB.prepare("SELECT * FROM admin_links WHERE email = ?").bind(ownerEmail).all();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.token_hash).toBe(await sha256Hex(secret));
    expect(JSON.stringify(rows.results)).not.toContain(secret);
  });
});

describe("GET and POST /admin/link/{token}", () => {
  it("shows a button on GET and spends the link only when it is pressed", async () => {
    const { ownerEmail } = await adminOrg("Forest Camp");
    const link = await signInLink(ownerEmail, queuedMail());
    for (let i = 0; i < 3; i++) {
      // A mail scanner fetching the link, several times over.
      const opened = await browse("GET", pathOf(link));
      expect(opened.status).toBe(200);
      expect(opened.text).toContain('<form method="post">');
      expect(opened.text).toContain("Sign in to Forest Camp");
      expect(opened.headers.get("set-cookie")).toBeNull();
    }
    const pressed = await browse("POST", pathOf(link));
    expect(pressed.status).toBe(303);
    expect(pressed.location).toBe("/admin/sessions");
  });

  it("signs in with a __Host- cookie that is HttpOnly, Secure, SameSite=Lax, Path=/, kept hashed", async () => {
    const { ownerEmail } = await adminOrg();
    const link = await signInLink(ownerEmail, queuedMail());
    const res = await browse("POST", pathOf(link));
    const header = res.headers.get("set-cookie")!;
    expect(header).toMatch(new RegExp(`^${COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; Secure/i);
    expect(header).toMatch(/; SameSite=Lax/i);
    expect(header).toMatch(/; Path=\//i);
    expect(header).not.toMatch(/; Domain=/i);
    const secret = cookieFrom(res)!.split("=")[1]!;
    const stored = await env.DB.prepare("SELECT token_hash, expires_at FROM admin_sessions").all<{
      token_hash: string;
      expires_at: string;
    }>();
    expect(stored.results.map((r) => r.token_hash)).toContain(await sha256Hex(secret));
    expect(JSON.stringify(stored.results)).not.toContain(secret);
    const home = await browse("GET", "/admin/sessions", { cookie: cookieFrom(res) });
    expect(home.status).toBe(200);
    expect(home.text).toContain(ownerEmail);
  });

  it("works once: pressing the button again, or opening the link again, says it is spent", async () => {
    const { ownerEmail } = await adminOrg();
    const link = await signInLink(ownerEmail, queuedMail());
    expect((await browse("POST", pathOf(link))).status).toBe(303);
    const again = await browse("POST", pathOf(link));
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect((await browse("GET", pathOf(link))).status).toBe(410);
  });

  it("lets exactly one of two simultaneous presses sign in", async () => {
    const { ownerEmail } = await adminOrg();
    const link = await signInLink(ownerEmail, queuedMail());
    const presses = await Promise.all(Array.from({ length: 5 }, () => browse("POST", pathOf(link))));
    expect(presses.map((p) => p.status).sort()).toEqual([303, 410, 410, 410, 410]);
  });

  it("still works at 14 minutes and no longer at 15", async () => {
    const { ownerEmail } = await adminOrg();
    const mail = queuedMail();
    const early = await signInLink(ownerEmail, mail);
    const late = await signInLink(ownerEmail, mail);
    const sent = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(sent + 14 * 60_000);
    expect((await browse("POST", pathOf(early))).status).toBe(303);
    vi.setSystemTime(sent + 15 * 60_000 + 1_000);
    expect((await browse("GET", pathOf(late))).status).toBe(410);
    expect((await browse("POST", pathOf(late))).status).toBe(410);
  });

  it("answers 404 for a link that never existed", async () => {
    expect((await browse("GET", `/admin/link/${"x".repeat(43)}`)).status).toBe(404);
    expect((await browse("GET", "/admin/link/short")).status).toBe(404);
    expect((await browse("POST", `/admin/link/${"x".repeat(43)}`)).status).toBe(410);
  });

  it("does not sign in a member removed after the link was sent", async () => {
    const { ownerEmail } = await adminOrg();
    const colleague = uniqueEmail("colleague");
    const owner = await signIn(ownerEmail);
    const mail = queuedMail();
    await submit(owner, "/admin/members", { email: colleague });
    await followLink(linkFor(mail, colleague));
    const link = await signInLink(colleague, mail);
    const id = (await env.DB.prepare("SELECT id FROM members WHERE email = ?").bind(colleague).first<{ id: string }>())!.id;
    expect((await submit(owner, `/admin/members/${id}/remove`)).status).toBe(303);
    expect((await browse("POST", pathOf(link))).status).toBe(410);
  });

  it("uses a plain cookie, not Secure, on http://127.0.0.1 for local development", async () => {
    const { ownerEmail } = await adminOrg();
    const local = "http://127.0.0.1:8787";
    const link = await signInLink(ownerEmail, queuedMail(), { base: local });
    expect(link.startsWith(`${local}/admin/link/`)).toBe(true);
    const res = await browse("POST", pathOf(link), { base: local });
    const header = res.headers.get("set-cookie")!;
    expect(header).toMatch(/^rollcall_admin=/);
    expect(header).not.toMatch(/Secure/i);
    expect(header).toMatch(/HttpOnly/i);
    expect((await browse("GET", "/admin/sessions", { base: local, cookie: cookieFrom(res) })).status).toBe(200);
  });

  it("speaks French to a French browser", async () => {
    const { ownerEmail } = await adminOrg("Camp de la forêt");
    const mail = queuedMail();
    const link = await signInLink(ownerEmail, mail, { headers: { "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" } });
    expect(mail.at(-1)!.locale).toBe("fr");
    const page = await browse("GET", pathOf(link), { headers: { "accept-language": "fr-FR,fr;q=0.9" } });
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain("Connexion à Camp de la forêt");
  });
});

describe("landing on the page asked for", () => {
  it("carries the page a visitor asked for through the form and the emailed link, and lands there", async () => {
    const { ownerEmail } = await adminOrg();
    const mail = queuedMail();
    const asked = await browse("GET", "/admin/contacts?group=grp_1");
    expect(asked.status).toBe(303);
    expect(asked.location).toBe("/admin/sign-in?next=%2Fadmin%2Fcontacts%3Fgroup%3Dgrp_1");
    const form = await browse("GET", asked.location!);
    expect(form.text).toContain('<input type="hidden" name="next" value="/admin/contacts?group=grp_1"/>');
    const sent = await browse("POST", "/admin/sign-in", { form: { email: ownerEmail, next: "/admin/contacts?group=grp_1" } });
    expect(sent.status).toBe(200);
    const link = await vi.waitFor(() => linkFor(mail, ownerEmail), { timeout: 5_000, interval: 20 });
    expect(link).toMatch(/^https:\/\/rollcall\.test\/admin\/link\/[A-Za-z0-9_-]{43}\?next=%2Fadmin%2Fcontacts%3Fgroup%3Dgrp_1$/);
    // The page the link opens posts to itself, the page to land on included.
    expect((await browse("GET", pathOf(link))).text).toContain('<form method="post">');
    const pressed = await browse("POST", pathOf(link));
    expect(pressed.status).toBe(303);
    expect(pressed.location).toBe("/admin/contacts?group=grp_1");
    expect(cookieFrom(pressed)).toMatch(new RegExp(`^${COOKIE}=`));
  });

  it("lands on the sessions for a page that is not one of the admin's, whoever wrote it", async () => {
    const { ownerEmail } = await adminOrg();
    const mail = queuedMail();
    await browse("POST", "/admin/sign-in", { form: { email: ownerEmail, next: "//evil.example/admin/" } });
    const link = await vi.waitFor(() => linkFor(mail, ownerEmail), { timeout: 5_000, interval: 20 });
    expect(link).not.toContain("?");
    // A link whose ?next= was written by hand: checked again when pressed.
    const pressed = await browse("POST", `${pathOf(link)}?next=${encodeURIComponent("https://evil.example/admin/")}`);
    expect(pressed.status).toBe(303);
    expect(pressed.location).toBe("/admin/sessions");
    const form = await browse("GET", `/admin/sign-in?next=${encodeURIComponent("/\\evil.example")}`);
    expect(form.text).not.toContain('name="next"');
  });

  it.each([
    "https://evil.example/admin/",
    "//evil.example/admin/",
    "/\\evil.example/admin/",
    "/admin/\\evil",
    "/admin//evil.example",
    "/admin/../v1/org",
    "/admin/%2e%2e/v1/org",
    "javascript:alert(1)",
    "/admin/link/abc",
    " /admin/sessions",
    "/admin/sessions\n",
    "/admin/sessions\t",
    "/sessions",
    "/admin",
    "",
  ])("takes %j for no admin page", (value) => {
    expect(returnPath(value)).toBeNull();
  });

  it("takes an admin page's path and query, written as the URL parser writes them", () => {
    expect(returnPath("/admin/contacts?group=grp_1&q=ada")).toBe("/admin/contacts?group=grp_1&q=ada");
    expect(returnPath("/admin/./keys")).toBe("/admin/keys");
    expect(returnPath("/admin/sessions#minimum")).toBe("/admin/sessions");
    expect(returnPath(["/admin/keys"])).toBeNull();
    expect(returnPath(`/admin/${"x".repeat(1000)}`)).toBeNull();
  });
});

describe("POST /admin/sign-out", () => {
  it("ends the session: the cookie is cleared and no longer opens anything", async () => {
    const { ownerEmail } = await adminOrg();
    const owner = await signIn(ownerEmail);
    const out = await submit(owner, "/admin/sign-out");
    expect(out.status).toBe(303);
    expect(out.location).toBe("/admin/sign-in?notice=signedOut");
    expect(out.headers.get("set-cookie")).toMatch(new RegExp(`^${COOKIE}=;.*Max-Age=0`, "i"));
    const after = await browse("GET", "/admin/sessions", { cookie: owner.cookie });
    expect(after.status).toBe(303);
    expect(after.location).toBe("/admin/sign-in");
  });

  it("refuses to sign out without the CSRF token, or from another site", async () => {
    const { ownerEmail } = await adminOrg();
    const owner = await signIn(ownerEmail);
    expect((await browse("POST", "/admin/sign-out", { cookie: owner.cookie, form: {} })).status).toBe(403);
    expect((await submit(owner, "/admin/sign-out", {}, { origin: "https://evil.example" })).status).toBe(403);
    expect((await browse("GET", "/admin/sessions", { cookie: owner.cookie })).status).toBe(200);
  });
});

describe("GET /admin", () => {
  it("sends visitors to sign in, and members to their sessions", async () => {
    expect((await browse("GET", "/admin")).location).toBe("/admin/sign-in");
    const { ownerEmail } = await adminOrg();
    const owner = await signIn(ownerEmail);
    expect((await browse("GET", "/admin", { cookie: owner.cookie })).location).toBe("/admin/sessions");
  });
});
