// A typed code's use is claimed in D1 under the new registration's id before the ledger is called.
// Should the worker stop between the two, no registration ever comes under that id and nothing
// would give the use back: the hourly cron releases uses claimed over two hours ago whose
// registration is not in D1's projection, and keeps those whose registration is, and recent ones.
import { createScheduledController, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LEAKED_USE_AFTER_MS, redeem, releaseLeakedUses } from "../../worker/discounts/redemptions";
import { newChildId } from "../../worker/ids/ids";
import worker from "../../worker/index";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { api, DEV_BASE, ledger, newOrg, newSession, person } from "./helpers";

const MINUTE = 60_000;

async function pricedSession(maxUses: number) {
  const { key, orgId } = await newOrg();
  const s = await newSession(key, { price: { amount: 2500, currency: "EUR" }, minParticipants: 1 });
  const code = await api("POST", "/v1/discount-codes", { key, body: { code: "LEAK", percentOff: 20, maxUses } });
  expect(code.status, JSON.stringify(code.body)).toBe(201);
  return { key, orgId, s, discountId: code.body.id as string };
}

const registerWith = (sessionId: string, i: number) =>
  api("POST", `/v1/public/sessions/${sessionId}/registrations`, { body: { ...person(i), discountCode: "leak" }, base: DEV_BASE });

async function usesOf(discountId: string): Promise<string[]> {
  const rows = await env.DB.prepare("select registration_id as id from discount_redemptions where discount_id = ? order by id")
    .bind(discountId)
    .all<{ id: string }>();
  return rows.results.map((r) => r.id);
}

/** A claim the worker made at `at` and then stopped: no registration follows under its id. */
async function leakedClaim(orgId: string, sessionId: string, discountId: string, at: Date): Promise<string> {
  const id = newChildId("reg", sessionId);
  const claimed = await redeem(env.DB, orgId, discountId, id, at);
  expect(claimed.ok).toBe(true);
  return id;
}

describe("the cron's sweep of discount uses whose registration never came", () => {
  it("releases a claim older than two hours with no registration, keeps one with a registration and a recent one", async () => {
    const { orgId, s, discountId } = await pricedSession(3);
    const made = await registerWith(s.id, 1);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.registration.status).toBe("pending_payment");
    // Its registration is in D1 (the projection writes pending_payment ones at once).
    await runInDurableObject(ledger(s.id), (instance: SessionLedger) => instance.drain());
    const registered = made.body.registration.id as string;

    const now = new Date();
    const later = new Date(now.getTime() + LEAKED_USE_AFTER_MS + MINUTE);
    const old = await leakedClaim(orgId, s.id, discountId, now);
    const recent = await leakedClaim(orgId, s.id, discountId, new Date(later.getTime() - 10 * MINUTE));
    expect(await usesOf(discountId)).toEqual([registered, old, recent].sort());
    // The code is used up: the leaked use keeps a fourth person out.
    expect((await registerWith(s.id, 2)).body.code).toBe("discount_exhausted");

    expect(await releaseLeakedUses(env.DB, later)).toEqual({ released: 1 });
    expect(await usesOf(discountId)).toEqual([registered, recent].sort());
    // Again: nothing more to release.
    expect(await releaseLeakedUses(env.DB, later)).toEqual({ released: 0 });
    expect((await registerWith(s.id, 2)).status).toBe(201);
  });

  it("runs from the hourly cron", async () => {
    const { orgId, s, discountId } = await pricedSession(1);
    const at = new Date();
    await leakedClaim(orgId, s.id, discountId, at);
    const scheduledTime = at.getTime() + LEAKED_USE_AFTER_MS + MINUTE;
    await worker.scheduled(createScheduledController({ scheduledTime, cron: "17 * * * *" }), env);
    expect(await usesOf(discountId)).toEqual([]);
  });
});
