// The hosted admin's discount-code catalogue (issue 16): the list, creating a code through the
// API's schema, archiving (asked first) and restoring, in English and French; and the contacts
// list's "Invite to a session" offering the active codes (seed 000).
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { browse, signedInOwner, submit } from "./admin-helpers";
import { api, BASE, newSession } from "./helpers";

const codes = async (key: string) => (await api("GET", "/v1/discount-codes", { key })).body.discountCodes as any[];

describe("/admin/discounts", () => {
  it("creates a percent code and a fixed amount, lists them with what they take off, and refuses a taken code", async () => {
    const { key, owner } = await signedInOwner();
    const s = await newSession(key, { title: "Canoe basics" });
    const page = await browse("GET", "/admin/discounts", { cookie: owner.cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain("<h1>Discount codes</h1>");
    expect(page.text).toContain('aria-current="page">Discount codes</a>');
    expect(page.text).toMatch(new RegExp(`<option value="${s.id}"[^>]*>Canoe basics — `));

    const made = await submit(owner, "/admin/discounts", { code: "early10", kind: "percent", value: "10", maxUses: "3" });
    expect(made.status).toBe(303);
    expect(made.location).toBe("/admin/discounts?notice=discountCreated");
    const fixed = await submit(owner, "/admin/discounts", {
      code: "CANOE",
      kind: "amount",
      value: "5.50",
      currency: "EUR",
      validUntil: "2031-08-31",
      sessionIds: s.id,
    });
    expect(fixed.status).toBe(303);
    expect(await codes(key)).toMatchObject([
      { code: "CANOE", amountOff: 550, currency: "EUR", percentOff: null, validUntil: "2031-09-01T00:00:00.000Z", sessionIds: [s.id] },
      { code: "EARLY10", percentOff: 10, maxUses: 3, sessionIds: [] },
    ]);
    const list = await browse("GET", "/admin/discounts?notice=discountCreated", { cookie: owner.cookie });
    expect(list.text).toContain("Discount code created.");
    expect(list.text).toContain("<code>EARLY10</code>");
    expect(list.text).toContain("10%");
    expect(list.text).toContain("€5.50");
    expect(list.text).toContain("0 of 3");
    expect(list.text).toContain("until 31 Aug 2031");

    const taken = await submit(owner, "/admin/discounts", { code: "Early10", kind: "percent", value: "20" });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain("Your organisation already has this code.");
    const bad = await submit(owner, "/admin/discounts", { code: "no spaces", kind: "percent", value: "150" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Enter a percentage from 1 to 100, or a positive amount.");
    // A currency no list offers (a crafted form) is the currency field's error, not a failure.
    const unknown = await submit(owner, "/admin/discounts", { code: "odd", kind: "amount", value: "5", currency: "XYZ" });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain("Choose the amount&#39;s currency.");
    expect(await codes(key)).toHaveLength(2);
  });

  it("asks before archiving, naming the code, then archives; restoring needs no question", async () => {
    const { key, owner } = await signedInOwner();
    const code = (await api("POST", "/v1/discount-codes", { key, body: { code: "SUMMER", percentOff: 15 } })).body;
    const ask = await browse("GET", `/admin/discounts/${code.id}/archive`, { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain("<h1>Archiver SUMMER ?</h1>");
    expect((await codes(key))[0].active).toBe(true);
    const archived = await submit(owner, `/admin/discounts/${code.id}/archive`, {});
    expect(archived.location).toBe("/admin/discounts?notice=discountArchived");
    expect((await codes(key))[0].active).toBe(false);
    const fr = await browse("GET", "/admin/discounts", { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(fr.text).toContain("<h1>Codes de réduction</h1>");
    expect(fr.text).toContain("Archivé");
    await submit(owner, `/admin/discounts/${code.id}/restore`, {});
    expect((await codes(key))[0].active).toBe(true);
  });

  it("keeps another org's code out of reach", async () => {
    const mine = await signedInOwner();
    const other = await signedInOwner();
    const theirs = (await api("POST", "/v1/discount-codes", { key: other.key, body: { code: "THEIRS", percentOff: 15 } })).body;
    expect((await browse("GET", `/admin/discounts/${theirs.id}/archive`, { cookie: mine.owner.cookie })).status).toBe(404);
    expect((await submit(mine.owner, `/admin/discounts/${theirs.id}/archive`, {})).status).toBe(404);
    expect((await codes(other.key))[0].active).toBe(true);
  });
});

describe("POST /admin/contacts/bulk with a discount code", () => {
  it("offers the active codes and invites with the one chosen", async () => {
    const { key, owner } = await signedInOwner();
    const [ada] = (await api("POST", "/v1/contacts", { key, body: { recipients: "ada@example.org" } })).body.created;
    const s = await newSession(key, { title: "Canoe basics" });
    await api("POST", "/v1/discount-codes", { key, body: { code: "EARLY10", percentOff: 10 } });
    const old = (await api("POST", "/v1/discount-codes", { key, body: { code: "OLD", percentOff: 10 } })).body;
    await api("PATCH", `/v1/discount-codes/${old.id}`, { key, body: { active: false } });
    const page = await browse("GET", "/admin/contacts", { cookie: owner.cookie });
    expect(page.text).toContain('<option value="EARLY10">EARLY10 (−10%)</option>');
    expect(page.text).not.toContain('value="OLD"');

    const form = new URLSearchParams({
      _csrf: owner.csrf,
      contactIds: ada.id,
      bulk: "session",
      sessionId: s.id,
      send: "later",
      discountCode: "EARLY10",
    });
    const res = await SELF.fetch(`${BASE}/admin/contacts/bulk`, {
      method: "POST",
      headers: { cookie: owner.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(200);
    const invitations = (await api("GET", `/v1/sessions/${s.id}/invitations`, { key })).body.invitations;
    expect(invitations).toMatchObject([{ email: "ada@example.org", discountCode: "EARLY10" }]);
  });
});
