// D1's copy of each session and its registrations: after a burst of changes it says what the
// ledger says, and a write that fails stays in the ledger's outbox until the alarm lands it.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ProjectionRows, ProjectionWriter } from "../../worker/ledger/projection";
import { api, expectProjectionMatches, ledger, newOrg, newSession, person, readSession, register, registered } from "./helpers";

/** A projection writer that fails its first `failures` writes, then hands rows to the real one. */
function flakyWriter(real: ProjectionWriter, failures: number) {
  const attempts: { ok: boolean }[] = [];
  const writer: ProjectionWriter = {
    async write(rows: ProjectionRows) {
      if (attempts.length < failures) {
        attempts.push({ ok: false });
        throw new Error("D1 is unavailable");
      }
      attempts.push({ ok: true });
      await real.write(rows);
    },
  };
  return { writer, attempts };
}

async function projectedStatus(registrationId: string) {
  return (
    (await env.DB.prepare("SELECT status FROM registrations WHERE id = ?").bind(registrationId).first<{ status: string }>())?.status ?? null
  );
}

describe("the D1 projection", () => {
  it("matches the ledger after a burst of registrations and cancellations", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 50, minParticipants: 1 });
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => register(s.id, person(i))));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    const confirmed = answers.filter((a) => a.body.registration.status === "confirmed");
    const waitlisted = answers.filter((a) => a.body.registration.status === "waitlisted");
    await Promise.all([
      ...confirmed.slice(0, 10).map((a) => api("POST", `/v1/manage/${a.body.manageToken}/cancel`)),
      ...confirmed.slice(10, 20).map((a) => api("POST", `/v1/registrations/${a.body.registration.id}/cancel`, { key })),
      ...waitlisted.slice(-5).map((a) => api("POST", `/v1/manage/${a.body.manageToken}/cancel`)),
    ]);
    expect((await readSession(key, s.id)).seats).toMatchObject({ capacity: 50, confirmed: 50, waitlisted: 300 - 50 - 20 - 5 });
    await expectProjectionMatches(key, s.id);
  });

  it("keeps a failed write in the outbox and lands it when the alarm retries", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const stub = ledger(s.id);
    const failures = 3;
    // The object runs in this isolate, so the writer's record of attempts is readable from here.
    const { attempts } = await runInDurableObject(stub, (instance) => {
      const flaky = flakyWriter(instance.projection, failures);
      instance.projection = flaky.writer;
      return { attempts: flaky.attempts };
    });

    const r = await registered(s.id, person(1));
    // The write after the commit fails: the alarm is set and D1 does not have the registration.
    await expect.poll(() => runInDurableObject(stub, (_i, state) => state.storage.getAlarm()), { timeout: 5_000 }).not.toBeNull();
    expect(await projectedStatus(r.registration.id)).toBeNull();

    let runs = 0;
    for (let tries = 0; tries < 100 && (await projectedStatus(r.registration.id)) === null; tries++) {
      if (await runDurableObjectAlarm(stub)) runs++;
      else await scheduler.wait(50); // the alarm may be running on its own
    }
    expect(await projectedStatus(r.registration.id)).toBe("confirmed");
    expect(attempts.map((a) => a.ok)).toEqual([false, false, false, true]);
    expect(runs).toBeGreaterThan(0);
    await expectProjectionMatches(key, s.id);
  });
});
