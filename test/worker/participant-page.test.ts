// The participant's own page (/p): asking for a link (one answer for everyone, limits per client
// and per address), opening it (once, for 15 minutes, never by a GET), the page session's cookie,
// and what the page shows and does (another org's sessions never; accept, decline, cancel through
// the ledgers; details checked and saved; every value escaped).
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MailMessage } from "../../worker/email/message";
import type { QueuedSms } from "../../worker/sms/message";
import { optOutKey } from "../../worker/sms/opt-outs";
import { browse, cookieFrom, csrfOf, queuedMail } from "./admin-helpers";
import { api, DEV_BASE, ledger, newOrg, newSession, registered } from "./helpers";
import { captureMail, invited, listInvitations, mailSoFar, QUESTIONS } from "./invitation-helpers";

let counter = 0;
const unique = (who: string) => `${who}-${Date.now().toString(36)}-${counter++}@family.example`;
const pathOf = (link: string) => link.slice(new URL(link).origin.length);

/** A fresh client address per test, so the per-client limit counts one test's requests. */
let clients = 0;
const client = () => ({ "cf-connecting-ip": `10.77.${Math.floor(clients / 250)}.${(clients++ % 250) + 1}` });

/** Asks for a link on /p/{org} and returns the answer. */
const ask = (orgRef: string, target: string, headers: Record<string, string> = client()) =>
  browse("POST", `/p/${orgRef}`, { form: { target }, headers });

/** The page link mailed to an address, once the mail (sent after the answer) is queued. */
async function pageLinkFor(mail: MailMessage[], to: string): Promise<string> {
  return vi.waitFor(
    () => {
      const m = mail.findLast((x) => x.template === "page_link" && x.to === to);
      if (m?.template !== "page_link") throw new Error(`no page link to ${to}`);
      return m.data.link;
    },
    { timeout: 5_000, interval: 20 },
  );
}

/** An org with a session where `email` is registered and another where they are invited; D1's copy settled. */
async function world(email = unique("ada")) {
  const org = await newOrg("Forest Camp");
  const seat = await newSession(org.key, { title: "Morning walk" });
  const invitedTo = await newSession(org.key, { title: "Evening swim" });
  await registered(seat.id, { name: "Ada Lovelace", email });
  await invited(org.key, invitedTo.id, { recipients: `Ada <${email}>` });
  await Promise.all([ledger(seat.id).drain(), ledger(invitedTo.id).drain()]);
  return { ...org, email, seatId: seat.id as string, invitedId: invitedTo.id as string };
}

/** Asks, follows the link and presses its button: the browser's cookie and the page's CSRF token. */
async function openPage(orgRef: string, email: string, mail = queuedMail()) {
  expect((await ask(orgRef, email)).status).toBe(200);
  const link = await pageLinkFor(mail, email);
  const opened = await browse("POST", pathOf(link), { headers: client() });
  expect(opened.status).toBe(303);
  expect(opened.location).toBe("/p/me");
  const cookie = cookieFrom(opened)!;
  const page = await browse("GET", "/p/me", { cookie });
  expect(page.status).toBe(200);
  return { cookie, csrf: csrfOf(page.text)!, page, link, opened };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("POST /p/{org}: asking for a link", () => {
  it("answers a stranger exactly as it answers someone the org knows, and mails only the known one", async () => {
    const w = await world();
    const mail = queuedMail();
    const known = await ask(w.orgId, w.email);
    const stranger = await ask(w.orgId, unique("nobody"));
    expect(known.status).toBe(200);
    expect(stranger.status).toBe(200);
    const body = (text: string) => text.replace(/value="[^"]*"/g, "");
    expect(body(stranger.text)).toBe(body(known.text));
    await pageLinkFor(mail, w.email);
    await scheduler.wait(100);
    expect(mail.filter((m) => m.template === "page_link")).toHaveLength(1);
  });

  it("refuses what is neither an address nor a phone number with 422, and sends nothing", async () => {
    const w = await world();
    const mail = queuedMail();
    const res = await ask(w.orgId, "not an address <script>");
    expect(res.status).toBe(422);
    expect(res.text).toContain('aria-invalid="true"');
    expect(res.text).not.toContain("<script>");
    expect(res.text).toContain("&lt;script&gt;");
    await scheduler.wait(50);
    expect(mail).toHaveLength(0);
  });

  it("answers 404 for an org that does not exist", async () => {
    expect((await browse("GET", "/p/org_doesnotexist")).status).toBe(404);
    expect((await ask("no-such-org", "a@example.org")).status).toBe(404);
  });

  it("limits asks per client: the 11th in a minute from one client is 429, for any address", async () => {
    const w = await world();
    queuedMail();
    const me = client();
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push((await ask(w.orgId, unique(`c${i}`), me)).status);
    expect(answers.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(answers[10]).toBe(429);
  });

  it("limits asks per address: the 4th in a minute for one address is 429, from any client", async () => {
    const w = await world();
    const mail = queuedMail();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(w.orgId, w.email)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await scheduler.wait(100);
    expect(mail.filter((m) => m.to === w.email)).toHaveLength(3);
  });

  it("finds a contact by phone number and mails the link to the contact's address", async () => {
    const org = await newOrg();
    const email = unique("grace");
    const res = await fetchContact(org.key, { email, phone: "+33612345678", firstName: "Grace" });
    expect(res).toBe(201);
    const mail = queuedMail();
    expect((await ask(org.orgId, "+33 6 12 34 56 78")).status).toBe(200);
    expect(await pageLinkFor(mail, email)).toContain("/p/l/");
  });
});

/** What is put on either SMS queue, as the queues would take it. */
function queuedTexts(): QueuedSms[] {
  const sent: QueuedSms[] = [];
  for (const queue of [env.SMS_QUEUE, env.URGENT_SMS_QUEUE]) {
    vi.spyOn(queue, "send").mockImplementation((async (body: QueuedSms) => void sent.push(body)) as never);
    vi.spyOn(queue, "sendBatch").mockImplementation((async (batch: { body: QueuedSms }[]) => {
      for (const m of batch) sent.push(m.body);
    }) as never);
  }
  return sent;
}

describe("POST /p/{org}: asking by phone, as a contact who chose SMS", () => {
  it("texts the link to that number (in the contact's language), and emails nothing", async () => {
    const org = await newOrg("Forest Camp");
    const email = unique("sam");
    expect(await fetchContact(org.key, { email, phone: "+33 6 11 22 33 44", channel: "sms", locale: "fr", firstName: "Sam" })).toBe(201);
    const mail = queuedMail();
    const texts = queuedTexts();
    expect((await ask(org.orgId, "+33 6 11 22 33 44")).status).toBe(200);
    const text = await vi.waitFor(
      () => {
        if (!texts[0]) throw new Error("no text yet");
        return texts[0];
      },
      { timeout: 5_000, interval: 20 },
    );
    expect(text.to).toBe("+33611223344");
    expect(text.mail.template).toBe("page_link");
    const link = (text.mail as MailMessage<"page_link">).data.link;
    expect(link).toMatch(/\/p\/l\/[A-Za-z0-9_-]{43}$/);
    expect(text.body).toContain(link);
    expect(text.body).toContain("Forest Camp");
    expect(text.body).toMatch(/votre page/i);
    expect(text.segments).toBeLessThanOrEqual(2);
    await scheduler.wait(100);
    expect(texts).toHaveLength(1);
    expect(mail.filter((m) => m.template === "page_link")).toHaveLength(0);
    // The texted link opens the page.
    expect((await browse("POST", pathOf(link), { headers: client() })).status).toBe(303);
  });

  it("emails the link when the same contact asks by address, when the number said STOP, and when the contact chose email", async () => {
    const org = await newOrg("Forest Camp");
    const [sms, stopped, byMail] = [unique("sms"), unique("stopped"), unique("bymail")];
    expect(await fetchContact(org.key, { email: sms, phone: "+33 6 11 22 33 45", channel: "sms" })).toBe(201);
    expect(await fetchContact(org.key, { email: stopped, phone: "+33 6 11 22 33 46", channel: "sms" })).toBe(201);
    expect(await fetchContact(org.key, { email: byMail, phone: "+33 6 11 22 33 47", channel: "email" })).toBe(201);
    await env.DB.prepare("insert into sms_opt_outs (phone_hash, at) values (?, ?)")
      .bind(await optOutKey("+33611223346"), new Date().toISOString())
      .run();
    const mail = queuedMail();
    const texts = queuedTexts();
    expect((await ask(org.orgId, sms)).status).toBe(200);
    expect((await ask(org.orgId, "+33 6 11 22 33 46")).status).toBe(200);
    expect((await ask(org.orgId, "+33 6 11 22 33 47")).status).toBe(200);
    for (const to of [sms, stopped, byMail]) expect(await pageLinkFor(mail, to)).toContain("/p/l/");
    await scheduler.wait(100);
    expect(texts).toHaveLength(0);
  });
});

async function fetchContact(key: string, body: Record<string, unknown>): Promise<number> {
  return (await api("POST", "/v1/contacts", { key, body })).status;
}

describe("GET and POST /p/l/{token}: opening the link", () => {
  it("shows a button on GET and spends nothing; the POST opens the page once, then the link is spent", async () => {
    const w = await world();
    const mail = queuedMail();
    await ask(w.orgId, w.email);
    const link = await pageLinkFor(mail, w.email);
    for (let i = 0; i < 3; i++) {
      const shown = await browse("GET", pathOf(link));
      expect(shown.status).toBe(200);
      expect(shown.headers.get("set-cookie")).toBeNull();
      expect(shown.text).toContain('<form method="post"');
    }
    const opened = await browse("POST", pathOf(link));
    expect(opened.status).toBe(303);
    const again = await browse("POST", pathOf(link));
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect((await browse("GET", pathOf(link))).status).toBe(410);
  });

  it("stores only the link's hash", async () => {
    const w = await world();
    const mail = queuedMail();
    await ask(w.orgId, w.email);
    const token = pathOf(await pageLinkFor(mail, w.email))
      .split("/")
      .pop()!;
    const rows = await env.DB.prepare("select token_hash from participant_links").all<{ token_hash: string }>();
    expect(rows.results.some((r) => r.token_hash.includes(token))).toBe(false);
    expect(rows.results.length).toBeGreaterThan(0);
  });

  it("still opens at 14 minutes and no longer at 15", async () => {
    const w = await world();
    const mail = queuedMail();
    await ask(w.orgId, w.email);
    const early = await pageLinkFor(mail, w.email);
    await ask(w.orgId, w.email);
    const late = await vi.waitFor(async () => {
      const l = await pageLinkFor(mail, w.email);
      if (l === early) throw new Error("second link not yet mailed");
      return l;
    });
    const sent = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(sent + 14 * 60_000);
    expect((await browse("POST", pathOf(early))).status).toBe(303);
    vi.setSystemTime(sent + 15 * 60_000 + 1_000);
    expect((await browse("GET", pathOf(late))).status).toBe(410);
    expect((await browse("POST", pathOf(late))).status).toBe(410);
  });

  it("sets an HttpOnly, Secure, SameSite=Lax cookie scoped to /p that lasts an hour", async () => {
    const w = await world();
    const { opened, cookie } = await openPage(w.orgId, w.email);
    const header = opened.headers.get("set-cookie")!;
    expect(cookie.startsWith("__Secure-rollcall_page=")).toBe(true);
    expect(header).toMatch(/; Path=\/p(;|$)/);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/Secure/);
    expect(header).toMatch(/SameSite=Lax/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(header)![1]!);
    expect(Math.abs(expires - (Date.now() + 3_600_000))).toBeLessThan(60_000);
    const sent = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(sent + 61 * 60_000);
    expect((await browse("GET", "/p/me", { cookie })).status).toBe(401);
  });
});

describe("the phone hints", () => {
  it("ask for a number with its country code without taking one country's as the example, in both languages", async () => {
    const w = await world();
    const askEn = await browse("GET", `/p/${w.orgId}`, { headers: { ...client(), "accept-language": "en" } });
    expect(askEn.text).toContain("Email or phone (starting with + and the country code)");
    const askFr = await browse("GET", `/p/${w.orgId}`, { headers: { ...client(), "accept-language": "fr" } });
    expect(askFr.text).toContain("E-mail ou téléphone (commençant par + et l’indicatif du pays)");
    const { cookie, page } = await openPage(w.orgId, w.email);
    expect(page.text).toContain("In international format: + and the country code, then the number.");
    const french = await browse("GET", "/p/me", { cookie, headers: { "accept-language": "fr" } });
    expect(french.text).toContain("Au format international\u00a0: + et l’indicatif du pays, puis le numéro.");
    for (const text of [askEn.text, askFr.text, page.text, french.text]) expect(text).not.toContain("+33");
  });
});

describe("GET /p/me: the page", () => {
  it("shows the person's upcoming sessions and invitations, and nothing of another org's", async () => {
    const w = await world();
    const other = await newOrg("Other Org");
    const elsewhere = await newSession(other.key, { title: "Not yours at all" });
    await registered(elsewhere.id, { name: "Ada", email: w.email });
    await ledger(elsewhere.id).drain();
    const { page } = await openPage(w.orgId, w.email);
    expect(page.text).toContain(`data-session="${w.seatId}" data-status="registered"`);
    expect(page.text).toContain(`data-session="${w.invitedId}" data-status="invited"`);
    expect(page.text).not.toContain(elsewhere.id);
    expect(page.text).not.toContain("Not yours at all");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("says the page is closed without a cookie, and never shows anything", async () => {
    const res = await browse("GET", "/p/me");
    expect(res.status).toBe(401);
    expect(res.text).not.toContain("data-session");
  });

  it("escapes the org's name and the session's title", async () => {
    const org = await newOrg("<b>Camp</b>");
    const email = unique("esc");
    const s = await newSession(org.key, { title: `<img src=x onerror=alert(1)>` });
    await registered(s.id, { name: "Ada", email });
    await ledger(s.id).drain();
    const { page } = await openPage(org.orgId, email);
    expect(page.text).not.toContain("<img src=x");
    expect(page.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page.text).not.toContain("<b>Camp</b>");
  });
});

describe("POST /p/me/…: acting from the page", () => {
  it("accepting an invitation to a priced session says its price and what accepting costs, sends the person to checkout (303), the seat held, the discount applied", async () => {
    const org = await newOrg("Forest Camp");
    const s = await newSession(org.key, { title: "Pottery", price: { amount: 2500, currency: "EUR" } });
    expect((await api("POST", "/v1/discount-codes", { key: org.key, body: { code: "INVITED", percentOff: 10 } })).status).toBe(201);
    const email = unique("ada");
    await invited(org.key, s.id, { recipients: `Ada <${email}>`, discountCode: "INVITED" });
    await ledger(s.id).drain();
    // Opened where a checkout can be made (locally, the dev checkout page).
    const mail = queuedMail();
    expect((await browse("POST", `/p/${org.orgId}`, { form: { target: email }, headers: client(), base: DEV_BASE })).status).toBe(200);
    const opened = await browse("POST", pathOf(await pageLinkFor(mail, email)), { headers: client(), base: DEV_BASE });
    const cookie = cookieFrom(opened)!;
    const before = (await browse("GET", "/p/me", { cookie, base: DEV_BASE })).text;
    // The price, and on the button what accepting costs them: the price less their invitation's code.
    expect(before).toContain("Price: €25.00");
    expect(before).toMatch(/value="accept"[^>]*>\s*Accept and pay €22.50/);
    const csrf = csrfOf(before)!;
    const accepted = await browse("POST", `/p/me/sessions/${s.id}`, { cookie, form: { _csrf: csrf, action: "accept" }, base: DEV_BASE });
    expect(accepted.status, accepted.text).toBe(303);
    const to = new URL(accepted.location!);
    expect(to.pathname).toMatch(/^\/dev\/checkout\/reg_/);
    // Back to their own page once paid (or not).
    expect(to.searchParams.get("return")).toBe(`${DEV_BASE}/p/me`);
    const page = await api("GET", to.pathname, { base: DEV_BASE });
    expect(page.body as string).toContain("22.50");
    const roster = await api("GET", `/v1/sessions/${s.id}/roster`, { key: org.key });
    expect(roster.body.rows).toMatchObject([{ kind: "registration", status: "pending_payment", discountCode: "INVITED" }]);
    // Back without paying: the seat is said held, not confirmed, and "Pay" starts its checkout again.
    const held = await browse("GET", "/p/me", { cookie, base: DEV_BASE });
    expect(held.text).toContain(`data-session="${s.id}" data-status="held"`);
    expect(held.text).toContain("Seat held while you pay");
    expect(held.text).toContain("Pay €22.50");
    // Sent back by checkout, the page says what follows (the payment's event may come after the person).
    expect((await browse("GET", "/p/me?rollcall_checkout=cancelled", { cookie, base: DEV_BASE })).text).toContain(
      "Checkout left: nothing was charged. The status is below.",
    );
    expect(
      (await browse("GET", "/p/me?rollcall_checkout=paid", { cookie, base: DEV_BASE, headers: { "accept-language": "fr" } })).text,
    ).toContain("Retour du paiement : une fois le paiement enregistré, votre place est confirmée");
    expect((await browse("GET", "/p/me?rollcall_checkout=%3Cb%3E", { cookie, base: DEV_BASE })).text).not.toMatch(
      /Back from checkout|Checkout left/,
    );
    const again = await browse("POST", `/p/me/sessions/${s.id}`, { cookie, form: { _csrf: csrf, action: "pay" }, base: DEV_BASE });
    expect(again.status).toBe(303);
    expect(new URL(again.location!).pathname).toBe(to.pathname);
  });

  it("asks the session's questions on accepting: without the required answers the page says why beside each, keeps what was given, and takes nothing", async () => {
    const org = await newOrg("Forest Camp");
    const s = await newSession(org.key, { title: "Pottery", form: QUESTIONS });
    const email = unique("ada");
    await invited(org.key, s.id, { recipients: `Ada <${email}>` });
    await ledger(s.id).drain();
    const { cookie, csrf, page } = await openPage(org.orgId, email);
    // The questions sit in the form that accepts, with the version they answer.
    expect(page.text).toContain("To accept, answer these questions");
    expect(page.text).toMatch(/<input[^>]*name="answers\.age"/);
    expect(page.text).toContain('name="formVersion" value="1"');
    const post = (form: Record<string, string>) =>
      browse("POST", `/p/me/sessions/${s.id}`, { cookie, form: { _csrf: csrf, action: "accept", formVersion: "1", ...form } });

    const refused = await post({ "answers.age": "9", "answers.note": "Nuts <b>" });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("To accept, answer the session’s questions: see below.");
    expect(refused.text).toContain("Tick this box to go on.");
    expect(refused.text).toContain('value="Nuts &lt;b&gt;"');
    expect(
      (await api("GET", `/v1/sessions/${s.id}/roster`, { key: org.key })).body.rows.filter(
        (r: { kind: string }) => r.kind === "registration",
      ),
    ).toEqual([]);

    const accepted = await post({ "answers.age": "9", "answers.rules": "on" });
    expect(accepted.status, accepted.text).toBe(303);
    expect(accepted.location).toBe("/p/me?done=accept");
    const rows = (await api("GET", `/v1/sessions/${s.id}/roster`, { key: org.key })).body.rows;
    expect(rows.find((r: { kind: string }) => r.kind === "registration")).toMatchObject({
      answers: { age: 9, rules: true },
      formVersion: 1,
    });
  });

  it("accepts an invitation through the ledger, then cancels the registration", async () => {
    const w = await world();
    const { cookie, csrf } = await openPage(w.orgId, w.email);
    const accepted = await browse("POST", `/p/me/sessions/${w.invitedId}`, { cookie, form: { _csrf: csrf, action: "accept" } });
    expect(accepted.status).toBe(303);
    expect(accepted.location).toBe("/p/me?done=accept");
    const after = await browse("GET", "/p/me", { cookie });
    expect(after.text).toContain(`data-session="${w.invitedId}" data-status="registered"`);
    const ics = await browse("GET", `/p/me/sessions/${w.invitedId}/calendar.ics`, { cookie });
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toContain("text/calendar");
    expect(ics.text).toContain("BEGIN:VEVENT");
    expect(ics.text).toContain(`UID:${w.invitedId}@rollcall.test`);
    // Cancelling asks first: the link shows the question and the button, and cancels nothing.
    expect(after.text).not.toContain('value="cancel"');
    const asking = await browse("GET", `/p/me?confirm=${w.invitedId}`, { cookie });
    expect(asking.text).toContain('name="action" value="cancel"');
    expect(asking.text).toContain(`data-session="${w.invitedId}" data-status="registered"`);
    const cancelled = await browse("POST", `/p/me/sessions/${w.invitedId}`, { cookie, form: { _csrf: csrf, action: "cancel" } });
    expect(cancelled.location).toBe("/p/me?done=cancel");
    await ledger(w.invitedId).drain();
    const gone = await browse("GET", "/p/me", { cookie });
    expect(gone.text).not.toContain(`data-session="${w.invitedId}"`);
    expect((await browse("GET", `/p/me/sessions/${w.invitedId}/calendar.ics`, { cookie })).status).toBe(404);
  });

  it("registers in the language the page speaks: the person's own, chosen after the invitation went out in English", async () => {
    const w = await world();
    const captured = await captureMail(w.invitedId);
    expect((await listInvitations(w.key, w.invitedId)).map((i) => i.locale)).toEqual(["en"]);
    const { cookie, csrf } = await openPage(w.orgId, w.email);
    const profile = { _csrf: csrf, firstName: "Ada", lastName: "King", phone: "", channel: "email", locale: "fr" };
    expect((await browse("POST", "/p/me/profile", { cookie, form: profile })).status).toBe(303);
    const accepted = await browse("POST", `/p/me/sessions/${w.invitedId}`, {
      cookie,
      form: { _csrf: csrf, action: "accept" },
      headers: { "accept-language": "en" },
    });
    expect(accepted.location).toBe("/p/me?done=accept");
    const confirmation = (await mailSoFar(w.invitedId, captured)).find((m) => m.template === "registration_confirmed");
    expect(confirmation).toMatchObject({ to: w.email, locale: "fr" });
  });

  it("shows where each session is, and its meeting link once the seat is confirmed (in the page and the calendar file)", async () => {
    const w = await world();
    const place = { location: "Lakeside cabin, Annecy", onlineUrl: "https://meet.example/swim" };
    expect((await api("PATCH", `/v1/sessions/${w.invitedId}`, { key: w.key, body: place })).status).toBe(200);
    const { cookie, csrf } = await openPage(w.orgId, w.email);
    const invitedOnly = await browse("GET", "/p/me", { cookie });
    expect(invitedOnly.text).toContain("Lakeside cabin, Annecy");
    expect(invitedOnly.text).not.toContain("https://meet.example/swim");
    await browse("POST", `/p/me/sessions/${w.invitedId}`, { cookie, form: { _csrf: csrf, action: "accept" } });
    const confirmed = await browse("GET", "/p/me", { cookie });
    expect(confirmed.text).toContain('href="https://meet.example/swim"');
    const ics = await browse("GET", `/p/me/sessions/${w.invitedId}/calendar.ics`, { cookie });
    expect(ics.text).toContain("LOCATION:Lakeside cabin\\, Annecy");
    expect(ics.text).toContain("URL");
    expect(ics.text).toContain("https://meet.example/swim");
  });

  it("declines an invitation", async () => {
    const w = await world();
    const { cookie, csrf } = await openPage(w.orgId, w.email);
    const declined = await browse("POST", `/p/me/sessions/${w.invitedId}`, { cookie, form: { _csrf: csrf, action: "decline" } });
    expect(declined.location).toBe("/p/me?done=decline");
    const seat = (await ledger(w.invitedId).programSeat(w.orgId, w.email)) as { ok: true; value: { status: string } };
    expect(seat.value.status).toBe("declined");
  });

  it("refuses a write without the CSRF token, and changes nothing", async () => {
    const w = await world();
    const { cookie } = await openPage(w.orgId, w.email);
    const res = await browse("POST", `/p/me/sessions/${w.seatId}`, { cookie, form: { _csrf: "forged", action: "cancel" } });
    expect(res.status).toBe(401);
    const seat = (await ledger(w.seatId).programSeat(w.orgId, w.email)) as { ok: true; value: { status: string } };
    expect(seat.value.status).toBe("registered");
  });

  it("cannot act on another org's session, even one where the same address is registered", async () => {
    const w = await world();
    const other = await newOrg("Other Org");
    const elsewhere = await newSession(other.key);
    await registered(elsewhere.id, { name: "Ada", email: w.email });
    const { cookie, csrf } = await openPage(w.orgId, w.email);
    const res = await browse("POST", `/p/me/sessions/${elsewhere.id}`, { cookie, form: { _csrf: csrf, action: "cancel" } });
    expect(res.location).toBe("/p/me?refused");
    const seat = (await ledger(elsewhere.id).programSeat(other.orgId, w.email)) as { ok: true; value: { status: string } };
    expect(seat.value.status).toBe("registered");
    expect((await browse("GET", `/p/me/sessions/${elsewhere.id}/calendar.ics`, { cookie })).status).toBe(404);
  });

  it("saves first and last name, phone, channel and language on the contact, and shows the page in that language", async () => {
    const w = await world();
    const { cookie, csrf } = await openPage(w.orgId, w.email);
    const form = { _csrf: csrf, firstName: "Ada", lastName: "King", phone: "+33 6 12 34 56 78", channel: "sms", locale: "fr" };
    const saved = await browse("POST", "/p/me/profile", { cookie, form });
    expect(saved.status).toBe(303);
    const row = await env.DB.prepare(
      "select first_name, last_name, phone, channel, locale from contacts where org_id = ? and email_key = ?",
    )
      .bind(w.orgId, w.email)
      .first();
    expect(row).toEqual({ first_name: "Ada", last_name: "King", phone: "+33612345678", channel: "sms", locale: "fr" });
    const page = await browse("GET", "/p/me", { cookie, headers: { "accept-language": "en" } });
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain("Vos séances avec Forest Camp");
  });

  it("refuses an invalid phone and SMS without a phone with 422, naming the field, and saves nothing", async () => {
    const w = await world();
    const { cookie, csrf } = await openPage(w.orgId, w.email);
    const bad = await browse("POST", "/p/me/profile", {
      cookie,
      form: { _csrf: csrf, firstName: "Changed", lastName: "", phone: "12", channel: "email", locale: "en" },
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="phone-error"');
    expect(bad.text).toContain("This is not a valid phone number: start with + and the country code.");
    const badChoices = await browse("POST", "/p/me/profile", {
      cookie,
      form: { _csrf: csrf, firstName: "Changed", lastName: "", phone: "", channel: "fax", locale: "de" },
    });
    expect(badChoices.text).toContain('<span id="channel-error"');
    expect(badChoices.text).toContain('aria-describedby="channel-error"');
    expect(badChoices.text).toContain("Choose email or text message.");
    expect(badChoices.text).toContain('aria-describedby="locale-error"');
    expect(badChoices.text).toContain("Choose a language.");
    const noPhone = await browse("POST", "/p/me/profile", {
      cookie,
      form: { _csrf: csrf, firstName: "Changed", lastName: "", phone: "", channel: "sms", locale: "en" },
    });
    expect(noPhone.status).toBe(422);
    expect(noPhone.text).toContain("A phone number is needed");
    const row = await env.DB.prepare("select first_name from contacts where org_id = ? and email_key = ?").bind(w.orgId, w.email).first();
    expect(row?.first_name).not.toBe("Changed");
  });

  it("closes the page on sign-out", async () => {
    const w = await world();
    const { cookie, csrf } = await openPage(w.orgId, w.email);
    expect((await browse("POST", "/p/me/sign-out", { cookie, form: { _csrf: csrf } })).status).toBe(200);
    expect((await browse("GET", "/p/me", { cookie })).status).toBe(401);
  });
});
