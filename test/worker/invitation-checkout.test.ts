// Accepting an invitation to a priced session goes to checkout (issue 16, seed 000: the invitation
// leads to the cart with the session added, with its discount): what is owed is the price less
// the invitation's discount code, quoted from the catalogue and counted as a use like a typed
// code; the seat is held as pending_payment as a public registration's, and the answer carries
// the payment and the checkoutUrl. Nothing owed confirms at once; a code used up since refuses.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { decideUpgrade } from "../../worker/invitations/decide";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { devCheckout } from "./dev-checkout-helpers";
import { runQueue, standinTenant } from "./email-helpers";
import { api, DEV_BASE, expectProblem, ledger, ledgerClock, newOrg, newSession, readSession } from "./helpers";
import { captureMail, invited, tokenOf } from "./invitation-helpers";
import { stripeAccount } from "./stripe-helpers";

const PRICE = { amount: 2500, currency: "EUR" };

/** The org's catalogue code INVITED with these terms; its id. */
async function catalogueCode(key: string, discount: Record<string, unknown>): Promise<string> {
  const code = await api("POST", "/v1/discount-codes", { key, body: { code: "INVITED", ...discount } });
  expect(code.status, JSON.stringify(code.body)).toBe(201);
  return code.body.id;
}

async function invitedTo(discount: Record<string, unknown> | null) {
  const { key } = await newOrg("Forest Camp");
  const s = await newSession(key, { price: PRICE, maxParticipants: 3 });
  const discountId = discount ? await catalogueCode(key, discount) : null;
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

describe("GET /v1/invites/{token} in a priced session", () => {
  const open = (token: string) => api("GET", `/v1/invites/${token}`, { headers: { "cf-connecting-ip": "10.9.8.6" } });

  it("says what accepting costs: the price less the invitation's code, the whole price once the code is archived, nothing when free", async () => {
    const { key, token, discountId } = await invitedTo({ percentOff: 10 });
    const link = await open(token);
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    expect(link.body.invitation).toMatchObject({ discountCode: "INVITED", toPay: { amount: 2250, currency: "EUR" } });
    expect(link.body.session.price).toEqual(PRICE);
    expect((await api("PATCH", `/v1/discount-codes/${discountId}`, { key, body: { active: false } })).status).toBe(200);
    expect((await open(token)).body.invitation.toPay).toEqual(PRICE);

    expect((await open((await invitedTo(null)).token)).body.invitation).toMatchObject({ discountCode: null, toPay: PRICE });
    const { key: freeKey } = await newOrg("Free Camp");
    const free = await newSession(freeKey);
    const [inv] = (await invited(freeKey, free.id, { recipients: "ada@example.org" })).invitations;
    expect((await open(await tokenOf(free.id, inv.id))).body.invitation.toPay).toBeNull();
  });
});

describe("the invitation email in a priced session", () => {
  it("names what the invitation's code leaves to pay, priced when it goes, in English and French", async () => {
    const { key } = await newOrg("Forest Camp");
    const s = await newSession(key, { price: PRICE, maxParticipants: 3 });
    await catalogueCode(key, { percentOff: 10 });
    const captured = await captureMail(s.id);
    await invited(key, s.id, { recipients: "Ada <ada@example.org>, Zoé <zoe@example.org>", discountCode: "INVITED", locale: "fr" });
    await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "grace@example.org", locale: "en" } });
    await ledger(s.id).drain();
    const standin = standinTenant();
    await runQueue(
      "rollcall-mail",
      captured.bundles.map((message) => ({ message })),
      standin.env,
    );
    const sent = await standin.emails();
    const to = (address: string) => sent.find((e) => e.to[0] === address)!.text as string;
    expect(to("ada@example.org")).toContain("Vous payez\u00a0: 22,50\u00a0€");
    expect(to("ada@example.org")).toContain("Code de réduction\u00a0: INVITED");
    // Without a code: the price only.
    expect(to("grace@example.org")).toContain("Price: €25.00");
    expect(to("grace@example.org")).not.toContain("You pay");
  });
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

/** The seats as the ledger's counters say, and as its rows say (registrations by status, pending invitations holding one). */
async function countedAndRecounted(key: string, sessionId: string) {
  const { confirmed, held, waitlisted } = (await readSession(key, sessionId)).seats;
  const recount = await runInDurableObject(ledger(sessionId), (_i: SessionLedger, state) => {
    const n = (sql: string) => state.storage.sql.exec<{ n: number }>(sql).one().n;
    return {
      confirmed: n("select count(*) as n from registrations where status = 'confirmed'"),
      held:
        n("select count(*) as n from registrations where status = 'pending_payment'") +
        n("select count(*) as n from invitations where status = 'sent' and hold_seat = 1"),
      waitlisted: n("select count(*) as n from registrations where status = 'waitlisted'"),
    };
  });
  expect({ confirmed, held, waitlisted }).toEqual(recount);
  return recount;
}

async function registrationRows(sessionId: string) {
  return runInDurableObject(ledger(sessionId), (_i: SessionLedger, state) =>
    state.storage.sql
      .exec<{ email: string; status: string; amount_due: number | null; paid_at: string | null }>(
        "select email, status, amount_due, paid_at from registrations order by rowid",
      )
      .toArray(),
  );
}

/**
 * Ada is invited (her invitation holds the one seat), then joins the public waitlist before
 * following her link; Grace queues behind her.
 */
async function waitlistedThenInvited(price: typeof PRICE | null, discount: Record<string, unknown> | null = null) {
  const { key } = await newOrg("Forest Camp");
  const s = await newSession(key, { price, maxParticipants: 1, minParticipants: 1 });
  const captured = await captureMail(s.id);
  const discountId = discount ? await catalogueCode(key, discount) : null;
  const [inv] = (await invited(key, s.id, { recipients: "Ada <ada@example.org>", ...(discount ? { discountCode: "INVITED" } : {}) }))
    .invitations;
  for (const [name, email] of [
    ["Ada Lovelace", "ada@example.org"],
    ["Grace Hopper", "grace@example.org"],
  ]) {
    const joined = await api("POST", `/v1/public/sessions/${s.id}/registrations`, { body: { name, email }, base: DEV_BASE });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(joined.body.registration.status).toBe("waitlisted");
  }
  expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 0, held: 1, waitlisted: 2 });
  return { key, s, inv, token: await tokenOf(s.id, inv.id), captured, discountId };
}

describe("decideUpgrade", () => {
  const now = new Date("2027-07-01T09:00:00.000Z");
  const waiting = { amountDue: 2500, paidAt: null, discountCode: null };
  const base = { registration: waiting, invited: PRICE, invitationCode: null, payments: true, now };
  it("confirms in a free session, with nothing left to pay, and when already paid", () => {
    expect(decideUpgrade({ ...base, invited: null })).toEqual({ ok: true, value: { status: "confirmed", owing: null } });
    expect(decideUpgrade({ ...base, invited: { ...PRICE, amount: 0 }, invitationCode: "ALL" })).toMatchObject({
      value: { status: "confirmed", owing: { amount: 0, discountCode: "ALL" } },
    });
    expect(decideUpgrade({ ...base, registration: { ...waiting, paidAt: now.toISOString() } })).toMatchObject({
      value: { status: "confirmed" },
    });
  });
  it("holds the seat 31 minutes owing the lower of their own code's amount and the invitation's, keeping that code", () => {
    expect(decideUpgrade(base)).toEqual({
      ok: true,
      value: {
        status: "pending_payment",
        owing: { amount: 2500, currency: "EUR", discountCode: null },
        holdUntil: "2027-07-01T09:31:00.000Z",
      },
    });
    const theirs = { ...waiting, amountDue: 2000, discountCode: "MINE" };
    expect(decideUpgrade({ ...base, registration: theirs, invited: { ...PRICE, amount: 2250 }, invitationCode: "INVITED" })).toMatchObject({
      value: { owing: { amount: 2000, discountCode: "MINE" } },
    });
    expect(decideUpgrade({ ...base, registration: theirs, invited: { ...PRICE, amount: 1250 }, invitationCode: "INVITED" })).toMatchObject({
      value: { owing: { amount: 1250, discountCode: "INVITED" } },
    });
    // Joined while the session was free: the price as it is now.
    expect(decideUpgrade({ ...base, registration: { ...waiting, amountDue: null } })).toMatchObject({ value: { owing: { amount: 2500 } } });
  });
  it("refuses with payments_unavailable when owing and no checkout can take it", () => {
    expect(decideUpgrade({ ...base, payments: false })).toMatchObject({ ok: false, error: { code: "payments_unavailable" } });
  });
});

describe("POST /v1/invites/{token}/accept by someone already on a priced session's waitlist", () => {
  it("holds the invitation's seat awaiting payment (pending_payment, a checkoutUrl), counted once; paying confirms and only then emails", async () => {
    const { key, s, inv, token, captured } = await waitlistedThenInvited(PRICE);
    const res = await acceptAt(token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration).toMatchObject({ email: "ada@example.org", status: "pending_payment" });
    expect(res.body.payment).toMatchObject({ amount: 2500, currency: "EUR" });
    expect(res.body.checkoutUrl).toBe(`${DEV_BASE}/dev/checkout/${res.body.registration.id}`);
    // The invitation's held seat became hers: still one held, one fewer waiting.
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 0, held: 1, waitlisted: 1 });
    expect(await invitationStatus(key, s.id, inv.id)).toBe("accepted");
    await ledger(s.id).drain();
    expect(captured.filter((m) => m.template === "registration_confirmed")).toEqual([]);

    await devCheckout(res.body.checkoutUrl);
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 1, held: 0, waitlisted: 1 });
    const [ada] = await registrationRows(s.id);
    expect(ada).toMatchObject({ email: "ada@example.org", status: "confirmed", amount_due: 2500 });
    expect(ada!.paid_at).not.toBeNull();
    await vi.waitFor(() =>
      expect(captured.filter((m) => m.template === "registration_confirmed").map((m) => m.to)).toEqual(["ada@example.org"]),
    );
  });

  it("with the invitation's 10% code: owes 2250 under that code, its use counted once", async () => {
    const { s, token, discountId } = await waitlistedThenInvited(PRICE, { percentOff: 10 });
    const res = await acceptAt(token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration).toMatchObject({ status: "pending_payment", discountCode: "INVITED" });
    expect(res.body.payment).toMatchObject({ amount: 2250, currency: "EUR" });
    await ledger(s.id).drain();
    expect(await uses(discountId!)).toBe(1);
    await devCheckout(res.body.checkoutUrl);
    await ledger(s.id).drain();
    expect((await registrationRows(s.id))[0]).toMatchObject({ status: "confirmed", amount_due: 2250 });
    expect(await uses(discountId!)).toBe(1);
  });

  it("unpaid, the hold lapses: her registration is cancelled and her invitation holds the seat again, Grace still waiting", async () => {
    const { key, s, inv, token } = await waitlistedThenInvited(PRICE);
    const clock = await ledgerClock(s.id);
    const res = await acceptAt(token);
    expect(res.body.registration.status).toBe("pending_payment");
    // The ledger wakes when the hold ends, not later.
    await ledger(s.id).drain();
    const alarm = await runInDurableObject(ledger(s.id), (_i: SessionLedger, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Date.now() + 31 * 60_000);
    clock.advance(31 * 60_000 + 1_000);
    expect(await runDurableObjectAlarm(ledger(s.id))).toBe(true);
    expect((await registrationRows(s.id)).map((r) => [r.email, r.status])).toEqual([
      ["ada@example.org", "cancelled"],
      ["grace@example.org", "waitlisted"],
    ]);
    expect(await invitationStatus(key, s.id, inv.id)).toBe("sent");
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 0, held: 1, waitlisted: 1 });
  });

  it("where no checkout is set up: 503 payments_unavailable, still on the waitlist, the invitation still open", async () => {
    const { key, s, inv, token } = await waitlistedThenInvited(PRICE);
    expectProblem(await acceptAt(token, "https://rollcall.test"), "payments_unavailable");
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 0, held: 1, waitlisted: 2 });
    expect((await registrationRows(s.id)).map((r) => r.status)).toEqual(["waitlisted", "waitlisted"]);
    expect(await invitationStatus(key, s.id, inv.id)).toBe("sent");
  });

  it("in a free session: confirmed at once, no payment, the confirmation emailed", async () => {
    const { key, s, inv, token, captured } = await waitlistedThenInvited(null);
    const res = await acceptAt(token, "https://rollcall.test");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.registration.status).toBe("confirmed");
    expect(res.body.payment).toBeUndefined();
    expect(res.body.checkoutUrl).toBeUndefined();
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 1, held: 0, waitlisted: 1 });
    expect(await invitationStatus(key, s.id, inv.id)).toBe("accepted");
    await vi.waitFor(() =>
      expect(captured.filter((m) => m.template === "registration_confirmed").map((m) => m.to)).toEqual(["ada@example.org"]),
    );
  });
});

/** Ada's invitation holds the one seat of a priced session; Grace waits on the waitlist. */
async function invitedWithGraceWaiting(invitation: Record<string, unknown> = {}) {
  const { key } = await newOrg("Forest Camp");
  const s = await newSession(key, { price: PRICE, maxParticipants: 1, minParticipants: 1 });
  const [inv] = (await invited(key, s.id, { recipients: "Ada <ada@example.org>", ...invitation })).invitations;
  const grace = await api("POST", `/v1/public/sessions/${s.id}/registrations`, {
    body: { name: "Grace Hopper", email: "grace@example.org" },
    base: DEV_BASE,
  });
  expect(grace.body.registration.status).toBe("waitlisted");
  return { key, s, inv, token: await tokenOf(s.id, inv.id) };
}

describe("a seat accepted through an invitation and left unpaid", () => {
  it("given up at checkout: the invitation is open again and holds the seat; accepting again goes to a new checkout, and paying confirms", async () => {
    const { key, s, inv, token } = await invitedWithGraceWaiting();
    const first = await acceptAt(token);
    expect(first.body.registration.status).toBe("pending_payment");
    await devCheckout(first.body.checkoutUrl, "abandoned");
    expect(await invitationStatus(key, s.id, inv.id)).toBe("sent");
    // The seat stayed hers: Grace did not move up into it.
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 0, held: 1, waitlisted: 1 });
    expect((await registrationRows(s.id)).map((r) => [r.email, r.status])).toEqual([
      ["grace@example.org", "waitlisted"],
      ["ada@example.org", "cancelled"],
    ]);

    const again = await acceptAt(token);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.registration).toMatchObject({ status: "pending_payment" });
    expect(again.body.registration.id).not.toBe(first.body.registration.id);
    expect(again.body.checkoutUrl).toEqual(expect.any(String));
    await devCheckout(again.body.checkoutUrl);
    expect(await invitationStatus(key, s.id, inv.id)).toBe("accepted");
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 1, held: 0, waitlisted: 1 });
  });

  it("when Stripe fails for a moment: 503 checkout_failed, the invitation open again holding the seat; accepting again gets one checkout", async () => {
    const stripe = stripeAccount();
    const { key, s, inv, token } = await invitedWithGraceWaiting();
    const accept = (bindings: Partial<Env>) =>
      api("POST", `/v1/invites/${token}/accept`, { body: { name: "Ada Lovelace" }, bindings, headers: { "cf-connecting-ip": "10.9.8.7" } });
    const first = await accept(await stripe.failNext(503, 2));
    expectProblem(first, "checkout_failed");
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("10");
    // No key to replay the acceptance with: its own hold is released, and the link is what is retried.
    expect(first.body).not.toHaveProperty("heldUntil");
    expect(await invitationStatus(key, s.id, inv.id)).toBe("sent");
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 0, held: 1, waitlisted: 1 });

    const again = await accept(stripe.bindings);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const { checkouts } = await stripe.state();
    expect(checkouts).toHaveLength(1);
    expect(again.body.checkoutUrl).toBe(checkouts[0]!.checkout.url);
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 0, held: 1, waitlisted: 1 });
  });

  it("lapsed by the clock: open again the same way; a payment arriving late confirms her into that seat", async () => {
    const { key, s, inv, token } = await invitedWithGraceWaiting();
    const clock = await ledgerClock(s.id);
    const accepted = await acceptAt(token);
    clock.advance(31 * 60_000 + 1_000);
    expect(await runDurableObjectAlarm(ledger(s.id))).toBe(true);
    expect(await invitationStatus(key, s.id, inv.id)).toBe("sent");
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 0, held: 1, waitlisted: 1 });

    const late = (await ledger(s.id).settlePayment(accepted.body.registration.id, "paid")) as {
      ok: boolean;
      value?: { settlement: string };
    };
    expect(late).toMatchObject({ ok: true, value: { settlement: "confirm" } });
    expect(await invitationStatus(key, s.id, inv.id)).toBe("accepted");
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 1, held: 0, waitlisted: 1 });
  });

  it("once the invitation itself has expired, it stays closed and the seat goes to the next in line", async () => {
    const { key, s, inv, token } = await invitedWithGraceWaiting({ expiresInDays: 1 });
    const clock = await ledgerClock(s.id);
    expect((await acceptAt(token)).body.registration.status).toBe("pending_payment");
    clock.advance(25 * 3_600_000);
    expect(await runDurableObjectAlarm(ledger(s.id))).toBe(true);
    expect(await invitationStatus(key, s.id, inv.id)).toBe("accepted");
    expect((await registrationRows(s.id)).map((r) => [r.email, r.status])).toEqual([
      ["grace@example.org", "pending_payment"],
      ["ada@example.org", "cancelled"],
    ]);
    expect(await countedAndRecounted(key, s.id)).toEqual({ confirmed: 0, held: 1, waitlisted: 0 });
  });
});
