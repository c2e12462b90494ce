// Prices on sessions: `price` ({amount, currency}, minor units) and `refundUntilDays`, through the
// API, the public view, the org's listing and its hosted page; free sessions stay free.
import { describe, expect, it, vi } from "vitest";
import { renderMail } from "../../worker/email/render";
import { askedPrice, formatPrice, refundableByPolicy } from "../../worker/sessions/price";
import { addParticipant, api, expectProblem, newOrg, newSession, sessionBody } from "./helpers";
import { captureMail, mailSoFar } from "./invitation-helpers";

const priced = { price: { amount: 2500, currency: "eur" }, refundUntilDays: 7 };

describe("POST /v1/sessions price", () => {
  it("stores a price in minor units with its currency upper-cased, and shows it in every view", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, priced);
    expect(s.price).toEqual({ amount: 2500, currency: "EUR" });
    expect(s.refundUntilDays).toBe(7);
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body).toMatchObject({ price: { amount: 2500, currency: "EUR" } });
    const pub = await api("GET", `/v1/public/sessions/${s.id}`);
    expect(pub.body).toMatchObject({ price: { amount: 2500, currency: "EUR" }, refundUntilDays: 7 });
  });

  it("keeps a session without a price free (price null, refundUntilDays null)", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    expect(s.price).toBeNull();
    expect(s.refundUntilDays).toBeNull();
    expect((await api("GET", `/v1/public/sessions/${s.id}`)).body.price).toBeNull();
  });

  it.each([
    [{ amount: 0, currency: "EUR" }, "price.amount"],
    [{ amount: 12.5, currency: "EUR" }, "price.amount"],
    [{ amount: -100, currency: "EUR" }, "price.amount"],
    [{ amount: 100_000_000, currency: "EUR" }, "price.amount"],
    [{ amount: 2500, currency: "EURO" }, "price.currency"],
    [{ amount: 2500, currency: "XYZ" }, "price.currency"],
    [{ amount: 2500 }, "price.currency"],
  ])("refuses the price %j with 422 naming %s, and creates nothing", async (price, path) => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/sessions", { key, body: sessionBody({ price }) });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect((await api("GET", "/v1/sessions?when=all", { key })).body.sessions).toHaveLength(0);
  });

  it("refuses a refund window below 0 or beyond a year", async () => {
    const { key } = await newOrg();
    for (const refundUntilDays of [-1, 366, 1.5]) {
      const res = await api("POST", "/v1/sessions", { key, body: sessionBody({ ...priced, refundUntilDays }) });
      expectProblem(res, "validation_failed");
      expect(res.body.errors).toEqual([expect.objectContaining({ path: "refundUntilDays" })]);
    }
  });
});

describe("PATCH /v1/sessions/{id} price", () => {
  it("sets, changes and removes the price, leaving the refund window alone unless named", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const set = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: priced });
    expect(set.body).toMatchObject({ price: { amount: 2500, currency: "EUR" }, refundUntilDays: 7 });
    const changed = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { price: { amount: 500, currency: "JPY" } } });
    expect(changed.body).toMatchObject({ price: { amount: 500, currency: "JPY" }, refundUntilDays: 7 });
    const freed = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { price: null } });
    expect(freed.body.price).toBeNull();
    expect((await api("GET", `/v1/public/sessions/${s.id}`)).body.price).toBeNull();
  });
});

describe("the org's listing shows prices", () => {
  it("answers the price in the listing and formats it on /o/{slug} per language, Free otherwise", async () => {
    const org = await newOrg("Price Camp");
    const slug = `prices-${Date.now().toString(36)}`;
    expect((await api("PATCH", "/v1/org", { key: org.key, body: { slug } })).status).toBe(200);
    await newSession(org.key, { title: "Paid", ...priced });
    await newSession(org.key, { title: "Free one" });
    const res = await vi.waitFor(async () => {
      const r = await api("GET", `/v1/public/orgs/${slug}/sessions`);
      if (r.body.sessions?.length !== 2) throw new Error("not projected yet");
      return r;
    });
    const byTitle = Object.fromEntries(res.body.sessions.map((s: { title: string }) => [s.title, s]));
    expect(byTitle.Paid.price).toEqual({ amount: 2500, currency: "EUR" });
    expect(byTitle["Free one"].price).toBeNull();
    const en = (await api("GET", `/o/${slug}`)).body as string;
    expect(en).toContain("€25.00");
    expect(en).toContain("Free");
    const fr = (await api("GET", `/o/${slug}`, { headers: { "accept-language": "fr" } })).body as string;
    expect(fr).toMatch(/25,00\s€/);
    expect(fr).toContain("Gratuit");
  });
});

describe("emails show the price", () => {
  it("puts the price in a seat's confirmation, in the participant's language, and none for a free session", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, priced);
    const captured = await captureMail(s.id);
    await addParticipant(key, s.id, { name: "Ada", email: "ada@example.org" });
    await addParticipant(key, s.id, { name: "Zoé", email: "zoe@example.org", locale: "fr" });
    const mail = await mailSoFar(s.id, captured);
    const en = renderMail(mail.find((m) => m.to === "ada@example.org")!);
    expect(en.text).toMatch(/Price\W+€25\.00/);
    const fr = renderMail(mail.find((m) => m.to === "zoe@example.org")!);
    expect(fr.text).toMatch(/Prix\W+25,00\s€/);
    const free = await newSession(key);
    const freeCaptured = await captureMail(free.id);
    await addParticipant(key, free.id, { name: "Ada", email: "ada@example.org" });
    const [freeMail] = await mailSoFar(free.id, freeCaptured);
    expect(renderMail(freeMail).text).not.toContain("Price");
  });
});

describe("price rules", () => {
  it("asks a registration the price it kept, else the session's now in its own currency only (roster CSV and checkout alike)", () => {
    const session = { amount: 3000, currency: "EUR" };
    expect(askedPrice(2500, "EUR", session)).toEqual({ amount: 2500, currency: "EUR" });
    expect(askedPrice(2500, "EUR", null)).toEqual({ amount: 2500, currency: "EUR" });
    // Registered before prices were kept: the session's price, while it is in the same currency.
    expect(askedPrice(null, "EUR", session)).toEqual(session);
    expect(askedPrice(null, "USD", session)).toBeNull();
    // Nothing owed, nothing asked.
    expect(askedPrice(null, null, session)).toBeNull();
  });

  it("formats minor units by the currency's own digits", () => {
    expect(formatPrice({ amount: 2500, currency: "EUR" }, "en")).toBe("€25.00");
    expect(formatPrice({ amount: 2500, currency: "EUR" }, "fr")).toMatch(/^25,00\s€$/);
    expect(formatPrice({ amount: 2500, currency: "JPY" }, "en")).toBe("¥2,500");
    expect(formatPrice({ amount: 1234, currency: "KWD" }, "en")).toContain("1.234");
  });

  it("refunds a participant's own cancellation until N days before the start, not after, never when null", () => {
    const startsAt = "2027-07-10T09:00:00.000Z";
    expect(refundableByPolicy(7, startsAt, new Date("2027-07-03T09:00:00.000Z"))).toBe(true);
    expect(refundableByPolicy(7, startsAt, new Date("2027-07-03T09:00:00.001Z"))).toBe(false);
    expect(refundableByPolicy(0, startsAt, new Date("2027-07-10T08:59:59.000Z"))).toBe(true);
    expect(refundableByPolicy(null, startsAt, new Date("2027-01-01T00:00:00.000Z"))).toBe(false);
  });
});
