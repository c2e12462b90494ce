// Removing a member who hosts sessions: each session of theirs that has not ended loses its host,
// and the host's seat they held is released as an edit naming nobody releases it (the same ledger
// step, the same emails), one message per session on the fan-out queue; a message delivered again
// does nothing; a session that has ended keeps the seat its host used.
import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type FanoutQueueMessage, handleFanoutQueue } from "../../worker/programs/fanout";
import { type HostReleaseMessage, sweepDepartedHosts } from "../../worker/sessions/host-release";
import { api, hoursFromNow, ledgerClock, newOrg, newSession, register, roster } from "./helpers";
import { captureMail, mailSoFar } from "./invitation-helpers";

let members = 0;
/** A member with the host role, as one who accepted their invitation is. */
async function hostMember(orgId: string, email: string): Promise<string> {
  const id = `mem_hostgone${Date.now().toString(36)}${members++}`;
  await env.DB.prepare("INSERT INTO members (id, org_id, email, role, created_at) VALUES (?, ?, ?, 'host', ?)")
    .bind(id, orgId, email, new Date().toISOString())
    .run();
  return id;
}

/** A fan-out queue that keeps what is sent, for the test to deliver (and deliver again). */
function capturing() {
  const sent: FanoutQueueMessage[] = [];
  const queue = { sendBatch: async (messages: { body: FanoutQueueMessage }[]) => void sent.push(...messages.map((m) => m.body)) };
  return { sent, bindings: { FANOUT_QUEUE: queue as unknown as Queue } };
}

/** Runs the consumer on these messages as the platform would; says which were acked and retried. */
async function deliver(messages: FanoutQueueMessage[]) {
  const batch = createMessageBatch<FanoutQueueMessage>(
    "rollcall-fanout",
    messages.map((body, i) => ({ id: `host${i}-${Date.now()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await handleFanoutQueue(batch, env);
  await waitOnExecutionContext(ctx);
  return getQueueResult(batch, ctx);
}

const liveHostRows = async (key: string, sessionId: string) =>
  (await roster(key, sessionId)).rows.filter((r) => r.source === "host" && r.status !== "cancelled");

const hostRow = (sessionId: string) => env.DB.prepare("SELECT member_id FROM session_hosts WHERE session_id = ?").bind(sessionId).first();

/** A session the host holds a seat in, full, with one person on the waitlist. */
async function fullHostedSession(key: string, hostId: string, tag: string) {
  const s = await newSession(key, { hostMemberId: hostId, hostCountsAsParticipant: true, maxParticipants: 2, minParticipants: 1 });
  await register(s.id, { name: "One", email: `one-${tag}@example.org` });
  const waiting = await register(s.id, { name: "Two", email: `two-${tag}@example.org` });
  expect(waiting.body.registration.status).toBe("waitlisted");
  return s;
}

describe("DELETE /v1/members/{id} of a host", () => {
  it("clears them as host of their upcoming sessions and releases their seat as an edit naming nobody does, once", async () => {
    const { key, orgId } = await newOrg();
    const hostId = await hostMember(orgId, "mentor-gone@example.org");
    const s = await fullHostedSession(key, hostId, "gone");
    const captured = await captureMail(s.id);
    const seen = new Set((await mailSoFar(s.id, captured)).map((m) => m.id));
    const since = async () => (await mailSoFar(s.id, captured)).filter((m) => !seen.has(m.id));

    const queue = capturing();
    const removed = await api("DELETE", `/v1/members/${hostId}`, { key, bindings: queue.bindings });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(queue.sent).toEqual([{ kind: "host_left", orgId, sessionId: s.id, memberId: hostId, email: "mentor-gone@example.org" }]);

    const result = await deliver(queue.sent);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.hostMemberId).toBeNull();
    expect(await hostRow(s.id)).toBeNull();
    const listed = (await api("GET", "/v1/sessions?limit=100", { key })).body.sessions.find((x: { id: string }) => x.id === s.id);
    expect(listed.hostMemberId).toBeNull();
    expect(await liveHostRows(key, s.id)).toEqual([]);
    const rows = (await roster(key, s.id)).rows;
    expect(rows.find((r) => r.email === "mentor-gone@example.org")).toMatchObject({ source: "host", status: "cancelled" });
    const mail = await since();
    expect(mail.map((m) => `${m.template} ${m.to}`)).toEqual(["registration_cancelled mentor-gone@example.org"]);

    // As with an edit naming nobody (hostMemberId: null), the session still counts a host: the seat
    // stays the host's for the next one named, and nobody moves up (taken never exceeds capacity).
    const session = (await roster(key, s.id)).session;
    expect(session.seats).toMatchObject({ capacity: 2, confirmed: 1, host: 1, available: 0, waitlisted: 1 });
    expect(rows.find((r) => r.email === "two-gone@example.org")).toMatchObject({ status: "waitlisted" });
    const otherHost = await hostMember(orgId, "mentor-edit@example.org");
    const edited = await fullHostedSession(key, otherHost, "edit");
    const cleared = await api("PATCH", `/v1/sessions/${edited.id}`, { key, body: { hostMemberId: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.seats).toEqual(session.seats);

    // Delivered again (the queue may): nothing changes and nobody is told twice.
    const before = await roster(key, s.id);
    const again = await deliver(queue.sent);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await roster(key, s.id)).toEqual(before);
    expect(await since()).toHaveLength(1);

    // The next host named takes the seat.
    const next = await hostMember(orgId, "mentor-next@example.org");
    const named = await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { hostMemberId: next } });
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    expect((await liveHostRows(key, s.id)).map((r) => r.email)).toEqual(["mentor-next@example.org"]);
  });

  it("leaves a session that has ended with the seat its host used, and no email", async () => {
    const { key, orgId } = await newOrg();
    const hostId = await hostMember(orgId, "mentor-past@example.org");
    const s = await newSession(key, {
      hostMemberId: hostId,
      hostCountsAsParticipant: true,
      startsAt: hoursFromNow(2),
      durationMinutes: 60,
      minParticipants: 1,
    });
    const captured = await captureMail(s.id);
    const seen = new Set((await mailSoFar(s.id, captured)).map((m) => m.id));
    // The session's ledger is three days on: it has ended by the time the message comes.
    const clock = await ledgerClock(s.id);
    clock.advance(3 * 24 * 3_600_000);

    const queue = capturing();
    expect((await api("DELETE", `/v1/members/${hostId}`, { key, bindings: queue.bindings })).status).toBe(200);
    expect(queue.sent).toHaveLength(1);
    expect((await deliver(queue.sent)).explicitAcks).toHaveLength(1);
    expect((await liveHostRows(key, s.id)).map((r) => r.email)).toEqual(["mentor-past@example.org"]);
    expect((await mailSoFar(s.id, captured)).filter((m) => !seen.has(m.id))).toEqual([]);
    // Nobody hosts it any more: the member it names is gone.
    expect(await hostRow(s.id)).toBeNull();
  });

  it("queues nothing for a session D1 says has ended, and drops its host", async () => {
    const { key, orgId } = await newOrg();
    const hostId = await hostMember(orgId, "mentor-ended@example.org");
    const s = await newSession(key, { hostMemberId: hostId, hostCountsAsParticipant: true });
    await env.DB.prepare("UPDATE sessions SET starts_at = ? WHERE id = ?").bind("2020-01-01T10:00:00.000Z", s.id).run();
    const queue = capturing();
    expect((await api("DELETE", `/v1/members/${hostId}`, { key, bindings: queue.bindings })).status).toBe(200);
    expect(queue.sent).toEqual([]);
    expect(await hostRow(s.id)).toBeNull();
    expect((await liveHostRows(key, s.id)).map((r) => r.email)).toEqual(["mentor-ended@example.org"]);
  });

  it("is finished by the cron's sweep when the removal's messages never reached the queue", async () => {
    const { key, orgId } = await newOrg();
    const hostId = await hostMember(orgId, "mentor-lost@example.org");
    const s = await newSession(key, { hostMemberId: hostId, hostCountsAsParticipant: true });
    const broken = { sendBatch: async () => Promise.reject(new Error("queue down")) } as unknown as Queue;
    expect((await api("DELETE", `/v1/members/${hostId}`, { key, bindings: { FANOUT_QUEUE: broken } })).status).toBe(200);
    expect((await hostRow(s.id))?.member_id).toBe(hostId);

    const sent: FanoutQueueMessage[] = [];
    const queue = { sendBatch: async (messages: { body: FanoutQueueMessage }[]) => void sent.push(...messages.map((m) => m.body)) };
    await sweepDepartedHosts({ ...env, FANOUT_QUEUE: queue as unknown as Queue } as Env);
    const mine = sent.filter((m): m is HostReleaseMessage => "kind" in m && m.kind === "host_left" && m.sessionId === s.id);
    expect(mine).toEqual([{ kind: "host_left", orgId, sessionId: s.id, memberId: hostId, email: null }]);
    await deliver(mine);
    expect(await hostRow(s.id)).toBeNull();
    expect(await liveHostRows(key, s.id)).toEqual([]);
  });
});

describe("PATCH /v1/members/{id} of a host", () => {
  it("keeps them the host: any member of the org may host, whatever the role", async () => {
    const { key, orgId } = await newOrg();
    const hostId = await hostMember(orgId, "mentor-promoted@example.org");
    const s = await newSession(key, { hostMemberId: hostId, hostCountsAsParticipant: true });
    const queue = capturing();
    const changed = await api("PATCH", `/v1/members/${hostId}`, { key, body: { role: "admin" }, bindings: queue.bindings });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(queue.sent).toEqual([]);
    expect((await api("GET", `/v1/sessions/${s.id}`, { key })).body.hostMemberId).toBe(hostId);
    expect((await liveHostRows(key, s.id)).map((r) => r.email)).toEqual(["mentor-promoted@example.org"]);
  });
});
