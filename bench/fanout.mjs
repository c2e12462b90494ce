// Program invitations at the size SPEC names: a group of 500 contacts invited to a program of 12
// sessions, all through the API as a provider would (POST /v1/groups, /v1/contacts into the group,
// 12 × POST /v1/sessions, POST /v1/programs, attach the sessions, POST /v1/programs/{id}/invitations
// with the group), then the job polled until it is done. Figures: the time until every invitation
// exists (the job done, and every session's list holding its 500), the (contact, session) pairs
// invited twice (must be 0), and the program emails in the local outbox: one per person (500),
// counted through the dev outbox's own list (/dev/mail.json; another process opening the local D1
// file while the server writes it locks the server out: SQLITE_BUSY), with the time until the last.
//
// `npm run bench -- fanout` runs it alone.

import { target } from "./lib/report.mjs";

export const title = "Program fan-out: 500 contacts × 12 sessions, one email per person";

const PEOPLE = 500;
const SESSIONS = 12;
const JOB_LIMIT_MS = 5 * 60_000;

/** @param {import("./run.mjs").BenchContext} ctx */
export async function run(ctx) {
  const key = await ctx.newOrg("Fan-out benchmark");
  const api = (/** @type {string} */ method, /** @type {string} */ path, /** @type {any} */ options = {}) =>
    ctx.api(method, path, { ...options, key });
  const label = `fanout${Date.now().toString(36)}`;
  const group = await api("POST", "/v1/groups", { body: { name: "Cohort" }, expect: 201 });
  const addresses = Array.from({ length: PEOPLE }, (_, i) => `Trainee ${i} <${label}-${i}@bench.example>`);
  for (let at = 0; at < PEOPLE; at += 200)
    await api("POST", "/v1/contacts", { body: { recipients: addresses.slice(at, at + 200), groupIds: [group.id] }, expect: 201 });
  const sessionIds = [];
  for (let i = 0; i < SESSIONS; i++) {
    const session = await api("POST", "/v1/sessions", {
      expect: 201,
      body: {
        title: `Week ${i + 1}`,
        description: "Created by the benchmark.",
        startsAt: new Date(Date.now() + (30 + 7 * i) * 86_400_000).toISOString(),
        timeZone: "UTC",
        durationMinutes: 60,
        minParticipants: 0,
        maxParticipants: 600,
      },
    });
    sessionIds.push(session.id);
  }
  const today = new Date().toISOString().slice(0, 10);
  const program = await api("POST", "/v1/programs", { body: { name: "Benchmark program", startsOn: today, timeZone: "UTC" }, expect: 201 });
  await api("POST", `/v1/programs/${program.id}/sessions`, { body: { sessionIds }, expect: 200 });

  const started = performance.now();
  const job = await api("POST", `/v1/programs/${program.id}/invitations`, { body: { groupIds: [group.id] }, expect: 202 });
  let state = job;
  while (state.status !== "done") {
    if (performance.now() - started > JOB_LIMIT_MS)
      throw new Error(`the job was not done after ${JOB_LIMIT_MS / 1000} s: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 250));
    state = (await api("GET", `/v1/programs/${program.id}/invitation-jobs/${job.id}`)).job;
  }
  const jobMs = performance.now() - started;

  // The program emails, as the dev outbox kept them (one row per message id). When they stop
  // coming for 20 s, the hourly cron is run once by hand (/__scheduled): its pass queues what no
  // email named yet, as it would in production within the hour.
  /** @type {{ emails: number, people: number } | null} */
  let outbox = null;
  let mailMs = 0;
  let lastCount = -1;
  let lastChange = performance.now();
  /** @type {number | null} */
  let cronAt = null;
  /** @type {number | null} */
  let beforeCron = null;
  while (performance.now() - started < JOB_LIMIT_MS) {
    const counted = await countProgramMail(ctx.url, label);
    if (!counted) {
      // A failed look is tried again on the next round.
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    outbox = counted;
    mailMs = performance.now() - started;
    if (outbox.emails >= PEOPLE) break;
    if (outbox.emails !== lastCount) {
      lastCount = outbox.emails;
      lastChange = performance.now();
    } else if (cronAt === null && performance.now() - lastChange > 20_000) {
      beforeCron = outbox.emails;
      cronAt = performance.now() - started;
      const res = await fetch(new URL("/__scheduled?cron=17+*+*+*+*", ctx.url));
      ctx.print(`  program emails stalled at ${beforeCron} after ${(cronAt / 1000).toFixed(1)} s: the cron run by hand (${res.status})`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  // A second look a little later: a duplicate sent late would show here.
  await new Promise((r) => setTimeout(r, 3000));
  const settled = (await countProgramMail(ctx.url, label)) ?? outbox;

  // Every session's own list, once the mail has settled (on a busy machine a list read while the
  // emails are rendered can wait long): the invitations, sent by now, and any pair invited twice.
  let invitations = 0;
  let sent = 0;
  let duplicates = 0;
  for (const sessionId of sessionIds) {
    const list = (await api("GET", `/v1/sessions/${sessionId}/invitations`)).invitations;
    const keys = list.map((/** @type {{ email: string }} */ i) => i.email.toLowerCase());
    invitations += keys.length;
    sent += list.filter((/** @type {{ status: string }} */ i) => i.status === "sent").length;
    duplicates += keys.length - new Set(keys).size;
  }

  ctx.print(
    `  job: ${state.total} pairs (${state.people} people × ${state.sessions} sessions), done ${state.done}, failed ${state.failed}`,
  );
  ctx.print(`  every invitation created (the job done) after ${(jobMs / 1000).toFixed(1)} s`);
  ctx.print(
    `  invitations listed: ${invitations} (expected ${PEOPLE * SESSIONS}), ${sent} sent; duplicate (contact, session) pairs: ${duplicates}`,
  );
  ctx.print(
    settled
      ? `  program emails in the outbox: ${settled.emails} to ${settled.people} people (last after ${(mailMs / 1000).toFixed(1)} s)`
      : "  program emails in the outbox: unknown (the dev outbox did not answer)",
  );
  return [
    target(
      "fan-out: every invitation exists",
      invitations === PEOPLE * SESSIONS && state.failed === 0,
      `${invitations} in ${(jobMs / 1000).toFixed(1)} s`,
    ),
    target("fan-out: no (contact, session) pair invited twice", duplicates === 0, `${duplicates} duplicates`),
    target(
      "fan-out: one program email per person",
      settled?.emails === PEOPLE && settled?.people === PEOPLE,
      `${settled?.emails ?? "?"} emails`,
    ),
  ];
}

/** @param {string} url @param {string} label @returns {Promise<{ emails: number, people: number } | null>} */
async function countProgramMail(url, label) {
  const res = await fetch(new URL("/dev/mail.json?template=program_invitation&bodies=none&limit=500", url)).catch((error) => {
    console.error(`GET /dev/mail.json failed: ${error.cause ?? error}`);
    return null;
  });
  if (!res) return null;
  if (!res.ok) {
    console.error(`GET /dev/mail.json answered ${res.status}`);
    return null;
  }
  const { messages } = /** @type {{ messages: { to: string }[] }} */ (await res.json());
  const mine = messages.filter((m) => m.to.startsWith(`${label}-`));
  return { emails: mine.length, people: new Set(mine.map((m) => m.to)).size };
}
