// The discount-code catalogue: the rules of a code (quote), `/v1/discount-codes`, and uses counted
// exactly under concurrency (redeem / release).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type DiscountRule, quote } from "../../worker/discounts/decide";
import { redeem, release } from "../../worker/discounts/redemptions";
import { api, expectProblem, newOrg, newSession, register, roster, widgetToken } from "./helpers";

const rule = (overrides: Partial<DiscountRule> = {}): DiscountRule => ({
  code: "EARLY10",
  active: true,
  percentOff: 10,
  amountOff: null,
  currency: null,
  validFrom: null,
  validUntil: null,
  maxUses: null,
  sessionIds: [],
  programIds: [],
  ...overrides,
});
const at = new Date("2027-03-01T12:00:00Z");
const context = { sessionId: "ses_a", programIds: [] as string[], price: { amount: 2999, currency: "EUR" }, at, uses: 0 };
const refusal = (outcome: ReturnType<typeof quote>) => (outcome.ok ? null : outcome.error.code);

describe("quote", () => {
  it("takes a percentage off, rounded to the minor unit", () => {
    expect(quote(rule(), context)).toEqual({ ok: true, value: { code: "EARLY10", amountOff: 300 } });
    expect(quote(rule({ percentOff: 15 }), { ...context, price: { amount: 2999, currency: "EUR" } })).toMatchObject({
      value: { amountOff: 450 },
    });
    expect(quote(rule({ percentOff: 100 }), context)).toMatchObject({ value: { amountOff: 2999 } });
  });

  it("takes a fixed amount off in the price's currency, never more than the price", () => {
    const fixed = rule({ percentOff: null, amountOff: 500, currency: "EUR" });
    expect(quote(fixed, context)).toMatchObject({ value: { amountOff: 500 } });
    expect(quote(fixed, { ...context, price: { amount: 300, currency: "eur" } })).toMatchObject({ value: { amountOff: 300 } });
    expect(refusal(quote(fixed, { ...context, price: { amount: 2999, currency: "USD" } }))).toBe("discount_not_applicable");
  });

  it("refuses an unknown or archived code as invalid", () => {
    expect(refusal(quote(null, context))).toBe("discount_invalid");
    expect(refusal(quote(rule({ active: false }), context))).toBe("discount_invalid");
  });

  it("refuses a code outside its window as expired (validUntil excluded)", () => {
    expect(refusal(quote(rule({ validFrom: "2027-03-02T00:00:00.000Z" }), context))).toBe("discount_expired");
    expect(refusal(quote(rule({ validUntil: "2027-03-01T12:00:00.000Z" }), context))).toBe("discount_expired");
    expect(quote(rule({ validFrom: "2027-03-01T12:00:00.000Z", validUntil: "2027-03-01T12:00:01.000Z" }), context).ok).toBe(true);
  });

  it("applies a restricted code only to its sessions and its programs' sessions", () => {
    expect(refusal(quote(rule({ sessionIds: ["ses_b"] }), context))).toBe("discount_not_applicable");
    expect(quote(rule({ sessionIds: ["ses_b", "ses_a"] }), context).ok).toBe(true);
    expect(refusal(quote(rule({ programIds: ["prg_x"] }), context))).toBe("discount_not_applicable");
    expect(quote(rule({ programIds: ["prg_x"] }), { ...context, programIds: ["prg_x"] }).ok).toBe(true);
  });

  it("does not apply to a free session", () => {
    expect(refusal(quote(rule(), { ...context, price: null }))).toBe("discount_not_applicable");
  });

  it("refuses a code whose uses are all taken as exhausted", () => {
    expect(refusal(quote(rule({ maxUses: 3 }), { ...context, uses: 3 }))).toBe("discount_exhausted");
    expect(quote(rule({ maxUses: 3 }), { ...context, uses: 2 }).ok).toBe(true);
  });
});

describe("POST /v1/discount-codes", () => {
  it("creates a code in upper case, and refuses the same code in another case", async () => {
    const { key } = await newOrg();
    const res = await api("POST", "/v1/discount-codes", { key, body: { code: "early10", percentOff: 10 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^dsc_/),
      code: "EARLY10",
      percentOff: 10,
      amountOff: null,
      uses: 0,
      active: true,
    });
    expectProblem(await api("POST", "/v1/discount-codes", { key, body: { code: "Early10", percentOff: 20 } }), "discount_code_taken");
  });

  it("lets two orgs have the same code", async () => {
    const a = await newOrg();
    const b = await newOrg();
    expect((await api("POST", "/v1/discount-codes", { key: a.key, body: { code: "SAME", percentOff: 10 } })).status).toBe(201);
    expect((await api("POST", "/v1/discount-codes", { key: b.key, body: { code: "SAME", percentOff: 10 } })).status).toBe(201);
  });

  it("refuses both or neither of percentOff and amountOff, an amount without currency, and a window that ends first", async () => {
    const { key } = await newOrg();
    for (const body of [
      { code: "A", percentOff: 10, amountOff: 100, currency: "EUR" },
      { code: "A" },
      { code: "A", amountOff: 100 },
      { code: "A", percentOff: 10, currency: "EUR" },
      { code: "A", percentOff: 101 },
      { code: "A B", percentOff: 10 },
      { code: "A", percentOff: 10, validFrom: "2027-03-02T00:00:00Z", validUntil: "2027-03-01T00:00:00Z" },
    ])
      expectProblem(await api("POST", "/v1/discount-codes", { key, body }), "validation_failed");
    expect((await api("GET", "/v1/discount-codes", { key })).body.discountCodes).toEqual([]);
  });

  it("refuses restrictions to another org's session or program", async () => {
    const mine = await newOrg();
    const other = await newOrg();
    const theirs = await newSession(other.key);
    const res = await api("POST", "/v1/discount-codes", { key: mine.key, body: { code: "X", percentOff: 5, sessionIds: [theirs.id] } });
    expectProblem(res, "validation_failed");
    expect(res.body.errors).toEqual([
      { path: "sessionIds.0", code: "not_yours", message: "is not a session of the organisation", params: { id: expect.any(String) } },
    ]);
    const own = await newSession(mine.key);
    const ok = await api("POST", "/v1/discount-codes", {
      key: mine.key,
      body: { code: "X", amountOff: 500, currency: "eur", sessionIds: [own.id] },
    });
    expect(ok.body).toMatchObject({ currency: "EUR", sessionIds: [own.id], programIds: [] });
  });
});

describe("GET and PATCH /v1/discount-codes", () => {
  it("archives a code with active: false, and lists the active ones apart", async () => {
    const { key } = await newOrg();
    const a = (await api("POST", "/v1/discount-codes", { key, body: { code: "A", percentOff: 10 } })).body;
    await api("POST", "/v1/discount-codes", { key, body: { code: "B", percentOff: 10, maxUses: 5 } });
    const archived = await api("PATCH", `/v1/discount-codes/${a.id}`, { key, body: { active: false } });
    expect(archived.body).toMatchObject({ code: "A", active: false });
    const codes = async (q: string) =>
      (await api("GET", `/v1/discount-codes${q}`, { key })).body.discountCodes.map((d: { code: string }) => d.code);
    expect(await codes("")).toEqual(["A", "B"]);
    expect(await codes("?active=true")).toEqual(["B"]);
    expect(await codes("?active=false")).toEqual(["A"]);
    expect((await api("GET", `/v1/discount-codes/${a.id}`, { key })).body).toMatchObject({ id: a.id, active: false });
  });

  it("refuses to change the code or its amount", async () => {
    const { key } = await newOrg();
    const a = (await api("POST", "/v1/discount-codes", { key, body: { code: "A", percentOff: 10 } })).body;
    expectProblem(await api("PATCH", `/v1/discount-codes/${a.id}`, { key, body: { percentOff: 50 } }), "validation_failed");
  });

  it("keeps another org's code out of reach", async () => {
    const mine = await newOrg();
    const other = await newOrg();
    const theirs = (await api("POST", "/v1/discount-codes", { key: other.key, body: { code: "T", percentOff: 10 } })).body;
    expectProblem(await api("GET", `/v1/discount-codes/${theirs.id}`, { key: mine.key }), "not_found");
    expectProblem(await api("PATCH", `/v1/discount-codes/${theirs.id}`, { key: mine.key, body: { active: false } }), "not_found");
    expect((await api("GET", `/v1/discount-codes/${theirs.id}`, { key: other.key })).body.active).toBe(true);
  });

  it("lists, for a session, only the codes an invitation to it may name now, as the invitation's check decides", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const other = await newSession(key);
    const program = (await api("POST", "/v1/programs", { key, body: { name: "Summer", startsOn: "2031-07-01", timeZone: "UTC" } })).body;
    await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds: [s.id] } });
    const day = 86_400_000;
    const make = async (code: string, fields: object = {}) =>
      (await api("POST", "/v1/discount-codes", { key, body: { code, percentOff: 10, ...fields } })).body;
    await make("ANY");
    await make("HERE", { sessionIds: [s.id] });
    await make("PROGRAM", { programIds: [program.id] });
    await make("ELSEWHERE", { sessionIds: [other.id] });
    await make("LATER", { validFrom: new Date(Date.now() + day).toISOString() });
    await make("OVER", { validFrom: new Date(Date.now() - 2 * day).toISOString(), validUntil: new Date(Date.now() - day).toISOString() });
    const archived = await make("ARCHIVED");
    await api("PATCH", `/v1/discount-codes/${archived.id}`, { key, body: { active: false } });

    const codes = async (sessionId: string) =>
      (await api("GET", `/v1/discount-codes?sessionId=${sessionId}`, { key })).body.discountCodes.map((c: { code: string }) => c.code);
    expect(await codes(s.id)).toEqual(["ANY", "HERE", "PROGRAM"]);
    expect(await codes(other.id)).toEqual(["ANY", "ELSEWHERE"]);
    // Each one it offers, an invitation takes; one it leaves out is refused.
    for (const discountCode of ["ANY", "HERE", "PROGRAM"])
      expect(
        (await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: `${discountCode}@example.org`, discountCode } }))
          .status,
      ).toBe(201);
    expectProblem(
      await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "x@example.org", discountCode: "ELSEWHERE" } }),
      "discount_not_applicable",
    );
  });

  it("lets a widget token with the invite scope list the codes, but not create one", async () => {
    const { key, orgId } = await newOrg();
    await api("POST", "/v1/discount-codes", { key, body: { code: "A", percentOff: 10 } });
    const session = await newSession(key);
    const token = await widgetToken(orgId, session.id, new Date(Date.now() + 3_600_000), ["invite"]);
    expect((await api("GET", "/v1/discount-codes?active=true", { key: token })).body.discountCodes).toHaveLength(1);
    expectProblem(await api("POST", "/v1/discount-codes", { key: token, body: { code: "B", percentOff: 10 } }), "insufficient_scope");
  });
});

describe("redeem and release", () => {
  it("lets exactly 3 of 40 concurrent registrations take a code of maxUses 3", async () => {
    const { key, orgId } = await newOrg();
    const code = (await api("POST", "/v1/discount-codes", { key, body: { code: "THREE", percentOff: 10, maxUses: 3 } })).body;
    const now = new Date();
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => redeem(env.DB, orgId, code.id, `reg_${i}`, now)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    expect(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? null : o.error.code))).toEqual(Array(37).fill("discount_exhausted"));
    expect((await api("GET", `/v1/discount-codes/${code.id}`, { key })).body.uses).toBe(3);
  });

  it("counts a retried redeem once, and gives the use back on release", async () => {
    const { key, orgId } = await newOrg();
    const code = (await api("POST", "/v1/discount-codes", { key, body: { code: "ONE", percentOff: 10, maxUses: 1 } })).body;
    const now = new Date();
    expect((await redeem(env.DB, orgId, code.id, "reg_a", now)).ok).toBe(true);
    expect((await redeem(env.DB, orgId, code.id, "reg_a", now)).ok).toBe(true);
    expect(await redeem(env.DB, orgId, code.id, "reg_b", now)).toMatchObject({ ok: false, error: { code: "discount_exhausted" } });
    expect(await release(env.DB, "reg_a")).toBe(true);
    expect(await release(env.DB, "reg_a")).toBe(false);
    expect((await redeem(env.DB, orgId, code.id, "reg_b", now)).ok).toBe(true);
  });

  it("refuses an archived code and another org's", async () => {
    const { key, orgId } = await newOrg();
    const other = await newOrg();
    const code = (await api("POST", "/v1/discount-codes", { key, body: { code: "ARCH", percentOff: 10 } })).body;
    expect(await redeem(env.DB, other.orgId, code.id, "reg_x", new Date())).toMatchObject({
      ok: false,
      error: { code: "discount_invalid" },
    });
    await api("PATCH", `/v1/discount-codes/${code.id}`, { key, body: { active: false } });
    expect(await redeem(env.DB, orgId, code.id, "reg_x", new Date())).toMatchObject({ ok: false, error: { code: "discount_invalid" } });
  });
});

/**
 * Gives a session a price in D1's copy of it, as a priced session's snapshot carries it (sessions
 * have no price of their own in this part of the work; checkout reads the same field).
 */
async function priceSession(sessionId: string, amount: number, currency: string) {
  await env.DB.prepare("update sessions set snapshot = json_set(snapshot, '$.price', json(?)) where id = ?")
    .bind(JSON.stringify({ amount, currency }), sessionId)
    .run();
}

describe("POST /v1/public/sessions/:id/registrations with a typed discountCode", () => {
  const join = (sessionId: string, i: number, discountCode: string) =>
    register(sessionId, { name: `Person ${i}`, email: `typed${i}@example.org`, discountCode });

  it("refuses a code with a clear code each time, and registers nobody", async () => {
    const { key, orgId } = await newOrg();
    const s = await newSession(key);
    const elsewhere = await newSession(key);
    await priceSession(s.id, 4000, "EUR");
    await api("POST", "/v1/discount-codes", {
      key,
      body: { code: "PAST", percentOff: 10, validUntil: new Date(Date.now() - 60_000).toISOString() },
    });
    await api("POST", "/v1/discount-codes", { key, body: { code: "OTHER", percentOff: 10, sessionIds: [elsewhere.id] } });
    await api("POST", "/v1/discount-codes", { key, body: { code: "DOLLARS", amountOff: 500, currency: "USD" } });
    const used = (await api("POST", "/v1/discount-codes", { key, body: { code: "USED", percentOff: 10, maxUses: 1 } })).body;
    expect((await redeem(env.DB, orgId, used.id, "reg_earlier", new Date())).ok).toBe(true);
    expectProblem(await join(s.id, 1, "NOPE"), "discount_invalid");
    expectProblem(await join(s.id, 2, "past"), "discount_expired");
    expectProblem(await join(s.id, 3, "OTHER"), "discount_not_applicable");
    expectProblem(await join(s.id, 4, "DOLLARS"), "discount_not_applicable");
    expectProblem(await join(s.id, 5, "USED"), "discount_exhausted");
    expect((await roster(key, s.id)).rows).toEqual([]);
  });

  it("registers with the code as the catalogue spells it", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await priceSession(s.id, 4000, "EUR");
    await api("POST", "/v1/discount-codes", { key, body: { code: "EARLY10", percentOff: 10 } });
    const res = await join(s.id, 1, "early10");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await roster(key, s.id)).rows).toMatchObject([{ email: "typed1@example.org", discountCode: "EARLY10" }]);
  });

  it("says a code does not apply to a free session", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await api("POST", "/v1/discount-codes", { key, body: { code: "EARLY10", percentOff: 10 } });
    expectProblem(await join(s.id, 1, "EARLY10"), "discount_not_applicable");
  });
});
