// Accepting an invitation to a priced session goes to checkout (issue 16, seed 000: the invitation
// leads to the cart with the session added, with its discount): what is owed is the price less
// the invitation's discount code, quoted from the catalogue and counted as a use like a typed
// code; the seat is held as pending_payment as a public registration's, and the answer carries
// the payment and the checkoutUrl. Nothing owed confirms at once; a code used up since refuses.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { api, DEV_BASE, expectProblem, ledger, newOrg, newSession, readSession } from "./helpers";
import { invited, tokenOf } from "./invitation-helpers";

const PRICE = { amount: 2500, currency: "EUR" };

async function invitedTo(discount: Record<string, unknown> | null) {
  const { key } = await newOrg("Forest Camp");
  const s = await newSession(key, { price: PRICE, maxParticipants: 3 });
  let discountId: string | null = null;
  if (discount) {
    const code = await api("POST", "/v1/discount-codes", { key, body: { code: "INVITED", ...discount } });
    expect(code.status, JSON.stringify(code.body)).toBe(201);
    discountId = code.body.id;
  }
  const [inv] = (await invited(key, s.id, { recipients: "Ada <ada@example.org>", ...(discount ? { discountCode: "INVITED" } : {}) }))
    .invitations;
  return { key, s, inv, token: await tokenOf(s.id, inv.id), discountId };
}

const acceptAt = (token: string, base = DEV_BASE) =>
  api("POST", `/v1/invites/${token}/accept`, { body: { name: "Ada Lovelace" }, base, headers: { "cf-connecting-ip": "10.9.8.7" } });

async function invitationStatus(key: string, sessionId: string, id: string) {
  const res = await api("GET", `/v1/sessions/${sessionId}/invitations`, { key });
  return res.body.invitations.find((i: { id: string }) => i.id === id)?.status;
}

async function uses(discountId: string) {
  const row = await env.DB.prepare("select count(*) as n from discount_redemptions where discount_id = ?")
    .bind(discountId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

const post = (url: string, form: Record<string, string>) =>
  api("POST", new URL(url).pathname, {
    base: DEV_BASE,
    raw: new URLSearchParams(form).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

describe("POST /v1/invites/{token}/accept in a priced session", () => {
  it("with a 10% code: pending_payment owing 2250, the seat held once, a checkoutUrl to the dev checkout page; Pay confirms", async () => {
    const { key, s, inv, token, discountId } = await invitedTo({ percentOff: 10 });
    const res = await acceptAt(token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration).toMatchObject({ status: "pending_payment", discountCode: "INVITED" });
    expect(res.body.payment).toMatchObject({ amount: 2250, currency: "EUR" });
    expect(res.body.checkoutUrl).toBe(`${DEV_BASE}/dev/checkout/${res.body.registration.id}`);
    // The invitation's held seat became the registration's: held once, not twice.
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 0, held: 1, available: 2 });
    expect(await uses(discountId!)).toBe(1);

    const page = await api("GET", new URL(res.body.checkoutUrl).pathname, { base: DEV_BASE });
    expect(page.body as string).toContain("22.50");
    const form = /name="token" value="([^"]+)"/.exec(page.body as string)?.[1] ?? "";
    expect((await post(res.body.checkoutUrl, { token: form, outcome: "paid" })).status).toBe(303);
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0 });
    expect(await invitationStatus(key, s.id, inv.id)).toBe("accepted");
    const row = await runInDurableObject(ledger(s.id), (_i: SessionLedger, state) =>
      state.storage.sql.exec<{ status: string; paid_at: string | null }>("select status, paid_at from registrations").one(),
    );
    expect(row.status).toBe("confirmed");
    expect(row.paid_at).not.toBeNull();
  });

  it("without a code: owes the whole price, 2500", async () => {
    const { token } = await invitedTo(null);
    const res = await acceptAt(token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.status).toBe("pending_payment");
    expect(res.body.payment).toMatchObject({ amount: 2500, currency: "EUR" });
    expect(res.body.checkoutUrl).toEqual(expect.any(String));
  });

  it("with a 100% code: confirmed at once, no payment and no checkout", async () => {
    const { key, s, inv, token } = await invitedTo({ percentOff: 100 });
    const res = await acceptAt(token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.status).toBe("confirmed");
    expect(res.body.payment).toBeUndefined();
    expect(res.body.checkoutUrl).toBeUndefined();
    expect((await readSession(key, s.id)).seats).toMatchObject({ confirmed: 1, held: 0 });
    expect(await invitationStatus(key, s.id, inv.id)).toBe("accepted");
  });

  it("with a code used up since the invitation was sent: 422 discount_exhausted, nothing held, the invitation still open", async () => {
    const { key, s, inv, token, discountId } = await invitedTo({ percentOff: 10, maxUses: 1 });
    const other = await api("POST", `/v1/public/sessions/${s.id}/registrations`, {
      body: { name: "Grace Hopper", email: "grace@example.org", discountCode: "invited" },
      base: DEV_BASE,
    });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const seatsBefore = (await readSession(key, s.id)).seats;
    expectProblem(await acceptAt(token), "discount_exhausted");
    expect((await readSession(key, s.id)).seats).toEqual(seatsBefore);
    expect(await invitationStatus(key, s.id, inv.id)).toBe("sent");
    expect(await uses(discountId!)).toBe(1);
  });

  it("where no checkout is set up: 503 payments_unavailable, nothing held, the code's use given back", async () => {
    const { key, s, inv, token, discountId } = await invitedTo({ percentOff: 10 });
    const seatsBefore = (await readSession(key, s.id)).seats;
    expectProblem(await acceptAt(token, "https://rollcall.test"), "payments_unavailable");
    expect((await readSession(key, s.id)).seats).toEqual(seatsBefore);
    expect(await invitationStatus(key, s.id, inv.id)).toBe("sent");
    expect(await uses(discountId!)).toBe(0);
  });
});
