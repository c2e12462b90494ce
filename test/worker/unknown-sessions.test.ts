// A session id nobody created costs nothing: whatever public route names it, the answer is 404 and
// its ledger (the Durable Object the id would locate) keeps no table, no row and no alarm. Paths
// that find nothing in a real session arm nothing either.
import { runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newSessionId } from "../../worker/ids/ids";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { api, BASE, expectProblem, ledger, newOrg, newSession, person, register } from "./helpers";
import { linkClient } from "./invitation-helpers";

/** A token shaped like a link of that session (invitation or cancel link) that no one was given. */
const guessedToken = (sessionId: string) => `${sessionId}.${"A".repeat(24)}${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;

/** What the ledger of `sessionId` keeps: its tables, and its alarm. */
async function footprint(sessionId: string) {
  return runInDurableObject(ledger(sessionId), async (_instance: SessionLedger, state) => ({
    tables: state.storage.sql
      .exec<{ name: string }>("select name from sqlite_master where type = 'table'")
      .toArray()
      .map((r) => r.name),
    alarm: await state.storage.getAlarm(),
  }));
}

const EMPTY = { tables: [], alarm: null };

describe("a session id nobody created", () => {
  it("answers the public view with 404 and leaves its ledger empty", async () => {
    const id = newSessionId();
    expectProblem(await api("GET", `/v1/public/sessions/${id}`), "session_not_found");
    expect(await footprint(id)).toEqual(EMPTY);
  });

  it("answers the cancel link with 404 and arms no alarm (which would fail when it went off)", async () => {
    const id = newSessionId();
    expectProblem(await api("POST", `/v1/manage/${guessedToken(id)}/cancel`), "not_found");
    expect(await footprint(id)).toEqual(EMPTY);
    expect(await runDurableObjectAlarm(ledger(id))).toBe(false);
  });

  it("answers every invitation link route with 404 and leaves its ledger empty", async () => {
    const id = newSessionId();
    const browser = linkClient();
    const token = guessedToken(id);
    for (const res of [
      await browser.open(token),
      await browser.accept(token, { name: "Ada" }),
      await browser.decline(token),
      await browser.requestCode(token),
    ])
      expectProblem(res, "not_found");
    expect(await footprint(id)).toEqual(EMPTY);
  });

  it("answers registration, the live channel and the hosted pages with 404, leaving its ledger empty", async () => {
    const id = newSessionId();
    expectProblem(await register(id, person(1)), "session_not_found");
    const live = await SELF.fetch(`${BASE}/v1/public/sessions/${id}/live`, { headers: { upgrade: "websocket" } });
    expect(live.status).toBe(404);
    expect((await SELF.fetch(`${BASE}/s/${id}`)).status).toBe(404);
    expect((await SELF.fetch(`${BASE}/m/${guessedToken(id)}`, { method: "POST" })).status).toBe(404);
    expect(await footprint(id)).toEqual(EMPTY);
  });

  it("answers an API key's calls with 404 without creating its ledger either", async () => {
    const { key } = await newOrg();
    const id = newSessionId();
    expectProblem(await api("GET", `/v1/sessions/${id}`, { key }), "session_not_found");
    expectProblem(await api("PATCH", `/v1/sessions/${id}`, { key, body: { title: "Renamed" } }), "session_not_found");
    expectProblem(await api("POST", `/v1/sessions/${id}/cancel`, { key }), "session_not_found");
    expectProblem(
      await api("POST", `/v1/sessions/${id}/invitations`, { key, body: { recipients: "ada@example.org" } }),
      "session_not_found",
    );
    expect(await footprint(id)).toEqual(EMPTY);
  });

  it("lets an alarm that goes off in an empty ledger pass without writing anything", async () => {
    const id = newSessionId();
    await runInDurableObject(ledger(id), (_instance: SessionLedger, state) => state.storage.setAlarm(Date.now() + 60_000));
    expect(await runDurableObjectAlarm(ledger(id))).toBe(true);
    // Setting the alarm made the platform's own table (_cf_METADATA); the ledger made none.
    const after = await footprint(id);
    expect(after.tables.filter((name) => !name.startsWith("_cf_"))).toEqual([]);
    expect(after.alarm).toBeNull();
  });
});

describe("a real session", () => {
  it("arms nothing for a cancel link it does not know", async () => {
    const { key } = await newOrg();
    // No minimum, so no decision of its own arms the alarm (sessions/minimum.ts).
    const s = await newSession(key, { minParticipants: 0 });
    expect((await footprint(s.id)).alarm).toBeNull();
    expectProblem(await api("POST", `/v1/manage/${guessedToken(s.id)}/cancel`), "not_found");
    expect((await footprint(s.id)).alarm).toBeNull();
  });

  it("arms nothing for an invitation link it does not know", async () => {
    const { key } = await newOrg();
    // No minimum, so no decision of its own arms the alarm (sessions/minimum.ts).
    const s = await newSession(key, { minParticipants: 0 });
    const browser = linkClient();
    for (const res of [
      await browser.accept(guessedToken(s.id), { name: "Ada" }),
      await browser.decline(guessedToken(s.id)),
      await browser.requestCode(guessedToken(s.id)),
    ])
      expectProblem(res, "not_found");
    expect((await footprint(s.id)).alarm).toBeNull();
  });
});
