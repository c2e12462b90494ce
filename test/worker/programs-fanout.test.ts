// Program invitations fanned out through the rollcall-fanout queue: every (contact, session) pair
// invited once, whatever the replays, retries and racing jobs; progress and failures per person.
import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { type ChunkInviter, createInvitationJob, type FanoutMessage, handleFanoutQueue, ledgerInviter } from "../../worker/programs/fanout";
import { browse, signedInOwner } from "./admin-helpers";
import { api, expectProblem, hoursFromNow, newOrg, newSession } from "./helpers";

type Setup = { key: string; orgId: string; programId: string; groupId: string; sessionIds: string[]; contactIds: string[] };

/** An org with `people` contacts in one group and a program of `sessions` sessions. */
async function setup(people: number, sessions: number, label = "p", org?: { key: string; orgId: string }): Promise<Setup> {
  const { key, orgId } = org ?? (await newOrg());
  const group = (await api("POST", "/v1/groups", { key, body: { name: "Cohort" } })).body;
  const recipients = Array.from({ length: people }, (_, i) => `Trainee ${i} <${label}${i}@example.org>`).join(", ");
  const created = await api("POST", "/v1/contacts", { key, body: { recipients, groupIds: [group.id] } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const sessionIds: string[] = [];
  for (let i = 0; i < sessions; i++)
    sessionIds.push((await newSession(key, { title: `Week ${i + 1}`, startsAt: hoursFromNow(24 * (30 + i)) })).id);
  const program = (await api("POST", "/v1/programs", { key, body: { name: "Autumn training", startsOn: "2027-09-01", timeZone: "UTC" } }))
    .body;
  await api("POST", `/v1/programs/${program.id}/sessions`, { key, body: { sessionIds } });
  return {
    key,
    orgId,
    programId: program.id,
    groupId: group.id,
    sessionIds,
    contactIds: created.body.created.map((c: { id: string }) => c.id),
  };
}

/** An env whose fan-out queue keeps the messages, for the test to deliver (and deliver again). */
function capturing() {
  const sent: FanoutMessage[] = [];
  const queue = { sendBatch: async (messages: { body: FanoutMessage }[]) => void sent.push(...messages.map((m) => m.body)) };
  return { sent, env: { ...env, FANOUT_QUEUE: queue as unknown as Queue } as Env };
}

/** Runs the consumer on these messages as the platform would; says which were acked and retried. */
async function deliver(messages: FanoutMessage[], inviter?: ChunkInviter) {
  const batch = createMessageBatch<FanoutMessage>(
    "rollcall-fanout",
    messages.map((body, i) => ({ id: `m${i}-${body.jobId}-${body.seq}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await handleFanoutQueue(batch, env, inviter);
  await waitOnExecutionContext(ctx);
  return getQueueResult(batch, ctx);
}

async function invitedEmails(key: string, sessionId: string): Promise<string[]> {
  const res = await api("GET", `/v1/sessions/${sessionId}/invitations`, { key });
  return res.body.invitations.map((i: { email: string }) => i.email).sort();
}

async function job(s: Setup, jobId: string) {
  return (await api("GET", `/v1/programs/${s.programId}/invitation-jobs/${jobId}`, { key: s.key })).body;
}

describe("POST /v1/programs/{id}/invitations", () => {
  it("answers 202 with a job, and the queue invites every member to every session once, as invitations to send", async () => {
    const s = await setup(60, 3);
    const res = await api("POST", `/v1/programs/${s.programId}/invitations`, { key: s.key, body: { groupIds: [s.groupId] } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ status: "running", people: 60, sessions: 3, total: 180, done: 0, failed: 0, trigger: "invitations" });
    const finished = await vi.waitFor(
      async () => {
        const body = await job(s, res.body.id);
        if (body.job.status !== "done") throw new Error(`at ${body.job.done} of ${body.job.total}`);
        return body;
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(finished.job).toMatchObject({ done: 180, failed: 0, finishedAt: expect.any(String) });
    expect(finished.failures).toEqual([]);
    for (const sessionId of s.sessionIds) {
      const emails = await invitedEmails(s.key, sessionId);
      expect(emails).toHaveLength(60);
      expect(new Set(emails).size).toBe(60);
    }
    // No email of their own: they wait as "to send".
    const statuses = (await api("GET", `/v1/sessions/${s.sessionIds[0]}/invitations`, { key: s.key })).body.invitations.map(
      (i: { status: string }) => i.status,
    );
    expect(new Set(statuses)).toEqual(new Set(["draft"]));
    const listed = await api("GET", `/v1/programs/${s.programId}/invitation-jobs`, { key: s.key });
    expect(listed.body.jobs.map((j: { id: string }) => j.id)).toEqual([res.body.id]);
  });

  it("does nothing twice when every message is delivered again (the consumer run twice on the same messages)", async () => {
    const s = await setup(70, 2, "replay");
    const { sent, env: held } = capturing();
    const created = await createInvitationJob(
      held,
      { orgId: s.orgId, programId: s.programId, trigger: "invitations", groupIds: [s.groupId] },
      new Date(),
    );
    expect(created.ok).toBe(true);
    const jobId = created.ok ? created.value.id : "";
    expect(sent).toHaveLength(4); // 70 people in chunks of 50, × 2 sessions
    const calls: number[] = [];
    const counting: ChunkInviter = async (e, args) => {
      calls.push(args.recipients.length);
      return ledgerInviter(e, args);
    };
    const first = await deliver(sent, counting);
    expect(first.explicitAcks.length).toBe(4);
    const after = await job(s, jobId);
    expect(after.job).toMatchObject({ status: "done", total: 140, done: 140, failed: 0 });

    const again = await deliver([...sent, ...sent], counting);
    expect(again.explicitAcks.length).toBe(8);
    expect(calls).toEqual([50, 20, 50, 20]); // no ledger call for a chunk already done
    expect((await job(s, jobId)).job).toEqual(after.job);
    for (const sessionId of s.sessionIds) {
      const emails = await invitedEmails(s.key, sessionId);
      expect(emails).toHaveLength(70);
      expect(new Set(emails).size).toBe(70);
    }
  });

  it("finishes a job whose chunk failed once: the queue retries it, and it is counted once", async () => {
    const s = await setup(10, 2, "retry");
    const { sent, env: held } = capturing();
    const created = await createInvitationJob(
      held,
      { orgId: s.orgId, programId: s.programId, trigger: "invitations", groupIds: [s.groupId] },
      new Date(),
    );
    const jobId = created.ok ? created.value.id : "";
    let failures = 0;
    const flaky: ChunkInviter = async (e, args) => {
      if (args.sessionId === s.sessionIds[1] && failures++ === 0) throw new Error("the ledger was restarting");
      return ledgerInviter(e, args);
    };
    const first = await deliver(sent, flaky);
    expect(first.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual([`m1-${jobId}-1`]);
    expect((await job(s, jobId)).job).toMatchObject({ status: "running", done: 10, failed: 0 });
    expect(await invitedEmails(s.key, s.sessionIds[1]!)).toEqual([]);
    // The queue delivers it again (and, restarted, everything again).
    const second = await deliver(sent, flaky);
    expect(second.retryMessages).toEqual([]);
    expect((await job(s, jobId)).job).toMatchObject({ status: "done", done: 20, failed: 0 });
    expect(await invitedEmails(s.key, s.sessionIds[1]!)).toHaveLength(10);
  });

  it("invites each pair once when two jobs race for the same group", async () => {
    const s = await setup(80, 2, "race");
    const { sent, env: held } = capturing();
    const [a, b] = await Promise.all([
      createInvitationJob(held, { orgId: s.orgId, programId: s.programId, trigger: "invitations", groupIds: [s.groupId] }, new Date()),
      createInvitationJob(held, { orgId: s.orgId, programId: s.programId, trigger: "groups", groupIds: [s.groupId] }, new Date()),
    ]);
    expect(a.ok && b.ok).toBe(true);
    // Both jobs' chunks, interleaved and delivered concurrently.
    const order = sent.map((m, i) => ({ m, k: (i * 7) % sent.length })).sort((x, y) => x.k - y.k);
    await Promise.all([deliver(order.slice(0, 4).map((o) => o.m)), deliver(order.slice(4).map((o) => o.m))]);
    for (const sessionId of s.sessionIds) {
      const emails = await invitedEmails(s.key, sessionId);
      expect(emails).toHaveLength(80);
      expect(new Set(emails).size).toBe(80);
    }
    for (const created of [a, b]) if (created.ok) expect((await job(s, created.value.id)).job).toMatchObject({ status: "done", done: 160 });
  });

  it("records failures per person: a deactivated contact is named, and a cancelled session is left out", async () => {
    const s = await setup(4, 2, "fail");
    const [gone] = s.contactIds;
    expect((await api("PATCH", `/v1/contacts/${gone}`, { key: s.key, body: { status: "deactivated" } })).status).toBe(200);
    expect((await api("POST", `/v1/sessions/${s.sessionIds[1]}/cancel`, { key: s.key, body: {} })).status).toBe(200);
    const { sent, env: held } = capturing();
    const created = await createInvitationJob(
      held,
      { orgId: s.orgId, programId: s.programId, trigger: "invitations", contactIds: s.contactIds },
      new Date(),
    );
    const jobId = created.ok ? created.value.id : "";
    await deliver(sent);
    const body = await job(s, jobId);
    expect(body.job).toMatchObject({ status: "done", people: 4, sessions: 1, total: 3, done: 3, failed: 0 });
    expect(body.failures).toEqual([
      {
        contactId: gone,
        email: "fail0@example.org",
        name: "Trainee 0",
        sessionId: null,
        sessionTitle: null,
        reason: "contact_deactivated",
      },
    ]);
    expect(await invitedEmails(s.key, s.sessionIds[0]!)).toEqual(["fail1@example.org", "fail2@example.org", "fail3@example.org"]);
  });

  it("names a phone-only SMS contact as phone_only (add an address to invite them), and invites the others", async () => {
    const s = await setup(2, 1, "phone");
    const made = await api("POST", "/v1/contacts", { key: s.key, body: { phone: "+33612345601", channel: "sms", firstName: "Chloé" } });
    expect(made.status).toBe(201);
    const { sent, env: held } = capturing();
    const created = await createInvitationJob(
      held,
      { orgId: s.orgId, programId: s.programId, trigger: "invitations", contactIds: [...s.contactIds, made.body.id] },
      new Date(),
    );
    const jobId = created.ok ? created.value.id : "";
    await deliver(sent);
    const body = await job(s, jobId);
    expect(body.failures).toEqual([
      { contactId: made.body.id, email: null, name: "Chloé", sessionId: null, sessionTitle: null, reason: "phone_only" },
    ]);
    expect(await invitedEmails(s.key, s.sessionIds[0]!)).toEqual(["phone0@example.org", "phone1@example.org"]);
  });

  it("records a ledger refusal for each person of the chunk", async () => {
    const s = await setup(3, 1, "full");
    const { sent, env: held } = capturing();
    const created = await createInvitationJob(
      held,
      { orgId: s.orgId, programId: s.programId, trigger: "invitations", groupIds: [s.groupId], holdSeat: true },
      new Date(),
    );
    const jobId = created.ok ? created.value.id : "";
    const refusing: ChunkInviter = async () => ({ ok: false, error: { code: "capacity_full", detail: "full" } });
    await deliver(sent, refusing);
    const body = await job(s, jobId);
    expect(body.job).toMatchObject({ status: "done", done: 0, failed: 3 });
    expect(body.failures.map((f: { reason: string; sessionId: string }) => [f.reason, f.sessionId])).toEqual([
      ["capacity_full", s.sessionIds[0]],
      ["capacity_full", s.sessionIds[0]],
      ["capacity_full", s.sessionIds[0]],
    ]);
  });

  it("invites a group's members when the group is assigned, a member added later, and a session attached later", async () => {
    const s = await setup(3, 1, "hook");
    const assigned = await api("POST", `/v1/programs/${s.programId}/groups`, { key: s.key, body: { groupIds: [s.groupId] } });
    expect(assigned.status).toBe(200);
    await vi.waitFor(async () => expect(await invitedEmails(s.key, s.sessionIds[0]!)).toHaveLength(3), { timeout: 20_000 });
    const late = (await api("POST", "/v1/contacts", { key: s.key, body: { recipients: "late@example.org" } })).body.created[0].id;
    await api("POST", `/v1/groups/${s.groupId}/members`, { key: s.key, body: { contactIds: [late] } });
    await vi.waitFor(async () => expect(await invitedEmails(s.key, s.sessionIds[0]!)).toContain("late@example.org"), { timeout: 20_000 });
    const next = await newSession(s.key, { title: "Week 9", startsAt: hoursFromNow(24 * 60) });
    await api("POST", `/v1/programs/${s.programId}/sessions`, { key: s.key, body: { sessionIds: [next.id] } });
    await vi.waitFor(async () => expect(await invitedEmails(s.key, next.id)).toHaveLength(4), { timeout: 20_000 });
    expect(await invitedEmails(s.key, s.sessionIds[0]!)).toHaveLength(4);
    const jobs = (await api("GET", `/v1/programs/${s.programId}/invitation-jobs`, { key: s.key })).body.jobs;
    expect(jobs.map((j: { trigger: string }) => j.trigger).sort()).toEqual(["groups", "members", "sessions"]);
  });

  it("invites whoever joins an assigned group, whichever way they join, and starts nothing for those already in it", async () => {
    const s = await setup(1, 1, "ways");
    const { key, groupId } = s;
    await api("POST", `/v1/programs/${s.programId}/groups`, { key, body: { groupIds: [groupId] } });
    await vi.waitFor(async () => expect(await invitedEmails(key, s.sessionIds[0]!)).toHaveLength(1), { timeout: 20_000 });
    const contact = async (body: object) => (await api("POST", "/v1/contacts", { key, body })).body;
    const known = (await contact({ recipients: "known@example.org" })).created[0].id;
    const edited = (await contact({ recipients: "edited@example.org" })).created[0].id;

    // A paste into the group (a new address and one already in the directory), one contact made
    // with the group, an edit of a contact's groups, an import naming the group.
    expect((await contact({ recipients: "pasted@example.org, known@example.org", groupIds: [groupId] })).existing[0].id).toBe(known);
    expect((await contact({ email: "single@example.org", groups: [groupId] })).id).toBeTruthy();
    expect((await api("PATCH", `/v1/contacts/${edited}`, { key, body: { groups: [groupId] } })).status).toBe(200);
    const csv = `email,groups\r\nimported@example.org,${groupId}\r\n`;
    expect((await api("POST", "/v1/contacts/import", { key, body: { csv, dryRun: false } })).body.applied).toBe(true);
    await vi.waitFor(
      async () =>
        expect(await invitedEmails(key, s.sessionIds[0]!)).toEqual([
          "edited@example.org",
          "imported@example.org",
          "known@example.org",
          "pasted@example.org",
          "single@example.org",
          "ways0@example.org",
        ]),
      { timeout: 20_000 },
    );
    const jobs = async () =>
      ((await api("GET", `/v1/programs/${s.programId}/invitation-jobs`, { key })).body.jobs as { trigger: string }[]).map((j) => j.trigger);
    expect((await jobs()).sort()).toEqual(["groups", ...Array(4).fill("members")]);

    // Already in the group: saved again, pasted again, added again, nobody joins and no job starts.
    await api("PATCH", `/v1/contacts/${edited}`, { key, body: { groups: [groupId], firstName: "Edith" } });
    await contact({ recipients: "known@example.org", groupIds: [groupId] });
    expect((await api("POST", `/v1/groups/${groupId}/members`, { key, body: { contactIds: [known, edited] } })).body.changed).toBe(0);
    expect(await jobs()).toHaveLength(5);
  });

  it("refuses another org's program, groups and contacts, creating nothing", async () => {
    const s = await setup(1, 1, "iso");
    const other = await setup(1, 1, "iso2");
    expectProblem(await api("POST", `/v1/programs/${other.programId}/invitations`, { key: s.key, body: {} }), "not_found");
    const foreign = await api("POST", `/v1/programs/${s.programId}/invitations`, { key: s.key, body: { groupIds: [other.groupId] } });
    expectProblem(foreign, "validation_failed");
    expect(foreign.body.unknown).toEqual([other.groupId]);
    expectProblem(
      await api("POST", `/v1/programs/${s.programId}/invitations`, { key: s.key, body: { contactIds: other.contactIds } }),
      "validation_failed",
    );
    expect((await api("GET", `/v1/programs/${s.programId}/invitation-jobs`, { key: s.key })).body.jobs).toEqual([]);
    const theirs = (
      await api("POST", `/v1/programs/${other.programId}/invitations`, { key: other.key, body: { groupIds: [other.groupId] } })
    ).body;
    expect(theirs.id).toMatch(/^job_/);
    expectProblem(await api("GET", `/v1/programs/${other.programId}/invitation-jobs/${theirs.id}`, { key: s.key }), "not_found");
    expectProblem(await api("GET", `/v1/programs/${s.programId}/invitation-jobs/${theirs.id}`, { key: s.key }), "not_found");
  });

  it("refuses a request that would invite nobody, naming why, and makes no job", async () => {
    const s = await setup(1, 1, "none");
    const invite = (programId: string, body: object) => api("POST", `/v1/programs/${programId}/invitations`, { key: s.key, body });
    const fieldOf = (res: { body: { errors: { path: string; code: string }[] } }) =>
      res.body.errors.map(({ path, code }) => ({ path, code }));
    // Neither list, and no group assigned to the program.
    const unnamed = await invite(s.programId, {});
    expectProblem(unnamed, "validation_failed");
    expect(fieldOf(unnamed)).toEqual([{ path: "groupIds", code: "required" }]);
    // A group with nobody in it, or empty lists.
    const empty = (await api("POST", "/v1/groups", { key: s.key, body: { name: "Nobody yet" } })).body;
    const emptyGroup = await invite(s.programId, { groupIds: [empty.id] });
    expectProblem(emptyGroup, "validation_failed");
    expect(fieldOf(emptyGroup)).toEqual([{ path: "groupIds", code: "too_few" }]);
    expect(fieldOf(await invite(s.programId, { contactIds: [] }))).toEqual([{ path: "contactIds", code: "too_few" }]);
    // A program with no session still to come: none attached, or its only one cancelled.
    const bare = (
      await api("POST", "/v1/programs", { key: s.key, body: { name: "Not planned yet", startsOn: "2027-09-01", timeZone: "UTC" } })
    ).body;
    expectProblem(await invite(bare.id, { contactIds: s.contactIds }), "invalid_transition");
    expect((await api("POST", `/v1/sessions/${s.sessionIds[0]}/cancel`, { key: s.key, body: {} })).status).toBe(200);
    const cancelled = await invite(s.programId, { groupIds: [s.groupId] });
    expectProblem(cancelled, "invalid_transition");
    expect(cancelled.body.detail).toContain("no session still to come");
    for (const programId of [s.programId, bare.id])
      expect((await api("GET", `/v1/programs/${programId}/invitation-jobs`, { key: s.key })).body.jobs).toEqual([]);
  });

  it("still makes a job for people who cannot be invited, naming each with the reason", async () => {
    const s = await setup(1, 1, "gone");
    expect((await api("PATCH", `/v1/contacts/${s.contactIds[0]}`, { key: s.key, body: { status: "deactivated" } })).status).toBe(200);
    const res = await api("POST", `/v1/programs/${s.programId}/invitations`, { key: s.key, body: { contactIds: s.contactIds } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ people: 1, total: 0, status: "done" });
    expect((await job(s, res.body.id)).failures).toEqual([
      expect.objectContaining({ contactId: s.contactIds[0], reason: "contact_deactivated" }),
    ]);
  });
});

describe("/admin/programs/{id}", () => {
  it("shows a job's progress, updated in place while it runs, and who could not be invited, and why", async () => {
    const org = await signedInOwner("Forest Camp");
    const s = await setup(3, 2, "admin", org);
    const [gone] = s.contactIds;
    await api("PATCH", `/v1/contacts/${gone}`, { key: s.key, body: { status: "deactivated" } });
    const { sent, env: held } = capturing();
    await createInvitationJob(
      held,
      { orgId: s.orgId, programId: s.programId, trigger: "invitations", contactIds: s.contactIds },
      new Date(),
    );
    const running = await browse("GET", `/admin/programs/${s.programId}`, { cookie: org.owner.cookie });
    expect(running.status).toBe(200);
    expect(running.text).toContain("Inviting 3 people to 2 sessions: 0 of 4");
    // The jobs part is brought up to date by the admin's script (with a Pause button); nothing reloads the page.
    expect(running.headers.get("refresh")).toBeNull();
    expect(running.text).toContain('<div id="jobs" data-live-every="3">');
    await deliver(sent.slice(0, 1));
    expect((await browse("GET", `/admin/programs/${s.programId}`, { cookie: org.owner.cookie })).text).toContain(
      "Inviting 3 people to 2 sessions: 2 of 4",
    );
    await deliver(sent);
    const done = await browse("GET", `/admin/programs/${s.programId}`, { cookie: org.owner.cookie });
    expect(done.text).toContain("Inviting 3 people to 2 sessions: 4 of 4");
    expect(done.text).toContain('<div id="jobs">');
    expect(done.text).not.toContain("data-live-toggle");
    expect(done.text).toContain("People not invited");
    expect(done.text).toMatch(
      /Trainee 0<\/a> &lt;admin0@example.org&gt;<\/td><td data-label="Session">Every session<\/td><td data-label="Reason">Contact deactivated/,
    );
    expect(done.text).toMatch(/Finished on \w+,? \d+ \w+ \d{4} at \d\d:\d\d \(UTC\)/);
    // When the job started, written out too (not 2031-06-30T08:00:00.000Z).
    expect(done.text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect((await browse("GET", "/admin/programs", { cookie: org.owner.cookie })).text).toContain(`/admin/programs/${s.programId}`);
    expect((await browse("GET", `/admin/programs/${(await setup(1, 1, "other")).programId}`, { cookie: org.owner.cookie })).status).toBe(
      404,
    );
  });

  it("says so when a job could invite nobody, instead of a progress of 0 of 0", async () => {
    const org = await signedInOwner("Forest Camp");
    const s = await setup(1, 1, "none", org);
    expect((await api("PATCH", `/v1/contacts/${s.contactIds[0]}`, { key: s.key, body: { status: "deactivated" } })).status).toBe(200);
    const named = await api("POST", `/v1/programs/${s.programId}/invitations`, { key: s.key, body: { contactIds: s.contactIds } });
    expect(named.body).toMatchObject({ people: 1, total: 0 });
    // A job that follows a change may find nobody: a group assigned with nobody in it.
    const empty = (await api("POST", "/v1/groups", { key: s.key, body: { name: "Nobody yet" } })).body;
    await api("POST", `/v1/programs/${s.programId}/groups`, { key: s.key, body: { groupIds: [empty.id] } });
    const page = await browse("GET", `/admin/programs/${s.programId}`, { cookie: org.owner.cookie });
    expect(page.text).toContain("The person chosen could not be invited: see why below.");
    expect(page.text).toContain("Nobody to invite: the groups were empty, or no session was still to come.");
    expect(page.text).not.toContain("0 of 0");
    expect(page.text).toContain("Contact deactivated");
    const french = await browse("GET", `/admin/programs/${s.programId}`, {
      cookie: org.owner.cookie,
      headers: { "accept-language": "fr" },
    });
    expect(french.text).toContain("La personne choisie n’a pas pu être invitée\u00a0: voyez pourquoi ci-dessous.");
  });
});
