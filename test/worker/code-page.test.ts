// The code page (seed 004, /s/{id}/code): the right code shows who is registered as "First I." and
// nothing else, "that's me" emails that registrant their own link whatever happens on screen,
// REGISTER takes the session's form, and wrong codes are limited per client and session.
import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { shortName } from "../../worker/registrations/decide";
import { browse, cookieFrom, queuedMail } from "./admin-helpers";
import { BASE, ledger, newOrg, newSession, register, roster } from "./helpers";
import { captureMail, mailSoFar } from "./invitation-helpers";

const CODE = "OWL-2027";

function post(sessionId: string, fields: Record<string, string | string[]>, ip = "2001:db8:5:1::1", language = "en") {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return SELF.fetch(`${BASE}/s/${sessionId}/code`, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip, "accept-language": language },
  });
}

async function codeSession(form?: unknown) {
  const { key } = await newOrg();
  const s = await newSession(key, { registrationCode: CODE, maxParticipants: 20, ...(form ? { form } : {}) });
  await register(s.id, { name: "Ada Lovelace", email: "ada@example.org", code: CODE });
  await register(s.id, { name: "grace brewster hopper", email: "grace@example.org", code: CODE });
  return { key, s };
}

afterEach(() => vi.restoreAllMocks());

describe("shortName", () => {
  it("keeps the first name and the last name's initial", () => {
    expect(shortName("Ada Lovelace")).toBe("Ada L.");
    expect(shortName("  grace brewster  hopper ")).toBe("grace H.");
    expect(shortName("Cher")).toBe("Cher");
    expect(shortName("Zoë Émile")).toBe("Zoë É.");
  });
});

describe("the code page", () => {
  it("asks for the code and lists nobody without it; a session without a code has no code page", async () => {
    const { s } = await codeSession();
    const page = await (await SELF.fetch(`${BASE}/s/${s.id}/code`)).text();
    expect(page).toContain('name="code"');
    expect(page).not.toContain("Ada");
    // The page names who runs the session and when, as every hosted page does.
    expect(page).toContain("Forest Camp · ");
    const { key } = await newOrg();
    const open = await newSession(key);
    expect((await SELF.fetch(`${BASE}/s/${open.id}/code`)).status).toBe(404);
    expect((await post(open.id, { code: "" })).status).toBe(404);
  });

  it("with the right code, lists those registered as first name and initial, and no address", async () => {
    const { s } = await codeSession();
    const res = await post(s.id, { code: ` ${CODE.toLowerCase()} `, action: "list" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Ada L.");
    expect(html).toContain("grace H.");
    expect(html).toContain("Forest Camp · ");
    expect(html).not.toContain("Lovelace");
    expect(html).not.toContain("example.org");
    expect(html).toContain('value="register"');
  });

  it("with a wrong code, shows the code form again (403) and lists nobody", async () => {
    const { s } = await codeSession();
    const res = await post(s.id, { code: "GUESS", action: "list" });
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain("not the session");
    expect(html).not.toContain("Ada");
  });

  it("takes 10 wrong codes per client, then answers 429 even to the right code; another client goes on", async () => {
    const { s } = await codeSession();
    for (let i = 1; i <= 10; i++) expect((await post(s.id, { code: `GUESS-${i}` }, `2001:db8:6:1::${i}`)).status).toBe(403);
    const locked = await post(s.id, { code: CODE }, "2001:db8:6:1::99");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(3_000);
    expect(await locked.text()).not.toContain("Ada");
    // The same counter as the API's: the public registration is locked for that client too.
    expect(
      (await register(s.id, { name: "Eve", email: "eve@example.org", code: CODE }, { "cf-connecting-ip": "2001:db8:6:1::7" })).status,
    ).toBe(429);
    expect((await post(s.id, { code: CODE }, "2001:db8:6:2::1")).status).toBe(200);
  });

  it("'that's me' emails that registrant the link to their own page (/p) and shows nothing about them; any other id gets the same answer", async () => {
    const { s } = await codeSession();
    const list = await (await post(s.id, { code: CODE })).text();
    const adaId = /name="who" value="(reg_[^"]+)"/.exec(list)![1]!;
    const captured = await captureMail(s.id);
    const mail = queuedMail();
    const mine = await post(s.id, { code: CODE, action: "me", who: adaId });
    const stranger = await post(s.id, { code: CODE, action: "me", who: "reg_doesnotexist0000000_0000000000" });
    const [a, b] = [await mine.text(), await stranger.text()];
    expect(mine.status).toBe(200);
    expect(stranger.status).toBe(200);
    const notice = (html: string) => /<p role="status" class="notice">([^<]*)</.exec(html)?.[1];
    expect(notice(a)).toBeTruthy();
    expect(notice(a)).toBe(notice(b));
    expect(a).not.toContain("ada@example.org");
    const link = await vi.waitFor(
      () => {
        const m = mail.find((x) => x.template === "page_link" && x.to === "ada@example.org");
        if (m?.template !== "page_link") throw new Error("no page link to Ada yet");
        return m.data.link;
      },
      { timeout: 5_000, interval: 20 },
    );
    expect(link).toMatch(/\/p\/l\/[A-Za-z0-9_-]{43}$/);
    await scheduler.wait(100);
    expect(mail.filter((m) => m.template === "page_link")).toHaveLength(1);
    // The page's link, not the manage link: nothing of that kind leaves the session's ledger.
    expect((await mailSoFar(s.id, captured)).filter((m) => m.template === "manage_link")).toHaveLength(0);
    // The link opens Ada's page, which shows her seat in this session.
    await ledger(s.id).drain();
    const opened = await browse("POST", link.slice(new URL(link).origin.length));
    expect(opened.status).toBe(303);
    const page = await browse("GET", "/p/me", { cookie: cookieFrom(opened)! });
    expect(page.text).toContain(s.title);
    // A second press within the cooldown sends nothing more.
    await post(s.id, { code: CODE, action: "me", who: adaId });
    await scheduler.wait(100);
    expect(mail.filter((m) => m.template === "page_link")).toHaveLength(1);
    // Without the code, "that's me" sends nothing.
    const grace = /name="who" value="(reg_[^"]+)"/g;
    const graceId = [...list.matchAll(grace)][1]![1]!;
    expect((await post(s.id, { code: "WRONG", action: "me", who: graceId })).status).toBe(403);
    await scheduler.wait(100);
    expect(mail.filter((m) => m.to === "grace@example.org")).toHaveLength(0);
  });

  it("REGISTER takes the form: errors per field (422) keep what was typed, then the registration goes through with its answers", async () => {
    const form = {
      fields: [
        { key: "diet", type: "choice", label: { en: "Diet", fr: "Régime" }, required: true, choices: ["veg", "none"] },
        { key: "days", type: "multiChoice", label: "Days", choices: ["mon", "tue"] },
        { key: "ok", type: "checkbox", label: "I agree", required: true },
      ],
    };
    const { key, s } = await codeSession(form);
    const bad = await post(s.id, {
      code: CODE,
      action: "register",
      formVersion: "1",
      name: "Linus <b>T</b>",
      email: "nope",
      "answers.days": "mon",
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('id="email-error"');
    expect(html).toContain('id="q-diet-error"');
    expect(html).toContain('id="q-ok-error"');
    expect(html).toContain("Linus &lt;b&gt;T&lt;/b&gt;");
    const good = await post(s.id, {
      code: CODE,
      action: "register",
      formVersion: "1",
      name: "Linus Torvalds",
      email: "linus@example.org",
      "answers.diet": "veg",
      "answers.days": ["tue", "mon"],
      "answers.ok": "on",
    });
    expect(good.status).toBe(200);
    expect(await good.text()).toContain("Linus T.");
    const row = (await roster(key, s.id)).rows.find((r) => r.email === "linus@example.org");
    expect(row).toMatchObject({ source: "code", answers: { diet: "veg", days: ["mon", "tue"], ok: true }, formVersion: 1 });
  });

  it("words each field's error in the page's language (English and French), never the API's own words", async () => {
    const form = {
      fields: [
        { key: "diet", type: "choice", label: { en: "Diet", fr: "Régime" }, required: true, choices: ["veg", "none"] },
        { key: "ok", type: "checkbox", label: { en: "I agree", fr: "J’accepte" }, required: true },
      ],
    };
    const { s } = await codeSession(form);
    const fields = { code: CODE, action: "register", formVersion: "1", name: "", email: "nope" };
    const error = (html: string, id: string) => new RegExp(`id="${id}-error"[^>]*>([^<]*)<`).exec(html)?.[1];
    const en = await (await post(s.id, fields)).text();
    expect([error(en, "name"), error(en, "email"), error(en, "q-diet"), error(en, "q-ok")]).toEqual([
      "Enter your name.",
      "Enter a valid email address.",
      "Required.",
      "Tick this box to go on.",
    ]);
    const fr = await (await post(s.id, fields, "2001:db8:5:1::2", "fr")).text();
    expect([error(fr, "name"), error(fr, "email"), error(fr, "q-diet"), error(fr, "q-ok")]).toEqual([
      "Saisissez votre nom.",
      "Saisissez une adresse e-mail valide.",
      "Obligatoire.",
      "Cochez cette case pour continuer.",
    ]);
  });

  it("says what a refused answer takes, from its code, where it said only to check it", async () => {
    const form = {
      fields: [
        { key: "age", type: "number", label: { en: "Age", fr: "Âge" }, required: false },
        { key: "size", type: "choice", label: { en: "Size", fr: "Taille" }, required: false, choices: ["s", "m"] },
      ],
    };
    const { s } = await codeSession(form);
    const fields = {
      code: CODE,
      action: "register",
      formVersion: "1",
      name: "Ada",
      email: "ada@example.org",
      "answers.age": "old",
      "answers.size": "xl",
    };
    const error = (html: string, id: string) => new RegExp(`id="${id}-error"[^>]*>([^<]*)<`).exec(html)?.[1];
    const en = await (await post(s.id, fields)).text();
    expect([error(en, "q-age"), error(en, "q-size")]).toEqual(["Write a number.", "Write s or m."]);
    const fr = await (await post(s.id, fields, "2001:db8:5:1::2", "fr")).text();
    expect([error(fr, "q-age"), error(fr, "q-size")]).toEqual(["Écrivez un nombre.", "Écrivez s ou m."]);
  });
});
