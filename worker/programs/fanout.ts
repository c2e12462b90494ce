// Program invitations, fanned out: a job is every (contact, session) pair of a program to invite,
// cut into chunks of some contacts × one session. Each chunk is one message on the
// `rollcall-fanout` queue and one call to that session's ledger (never a request looping over
// ledgers). The job's state lives in D1, so a redelivered or retried message finishes it:
// - a chunk is done once (its row says so, and the job's counters are recomputed from the chunks);
// - a pair is claimed by one job only (invitation_job_pairs), so racing jobs never invite twice;
// - underneath, the ledger skips an address already invited or registered in its session.
// Invitations are created "to send" (drafts); once a job is done, its people get one program email
// each (mailing.ts), through this same queue, unless the job keeps them to send (send: "later")
// until the organiser sends them (sendKeptJob). A job whose chunk was never queued (a send that
// failed) is finished by the cron's sweep (sweepStuckJobs).

import { fieldError } from "../errors/fields";
import { type Failure, fail, type Outcome, ok } from "../errors/problem";
import { isLocale, type Locale } from "../i18n/locales";
import { newId } from "../ids/ids";
import { CreateInvitationsBody } from "../invitations/schemas";
import { invitationDefaults } from "../invitations/service";
import { phoneOnly } from "../recipients/chosen";
import { personName } from "../recipients/parse";
import { type HostReleaseMessage, runHostRelease } from "../sessions/host-release";
import { sessionLedger } from "../sessions/ledger-client";
import { jobContacts, mailPeople, type ProgramMailMessage, queueProgramMail } from "./mailing";
import { programStarted } from "./schedule";
import type { EditedWords } from "./schemas";

/** The queue's name, as in wrangler.toml. */
export const FANOUT_QUEUE = "rollcall-fanout";
/** Contacts per chunk: one ledger call each, well under the 200 recipients a call takes. */
export const CHUNK_SIZE = 50;
/** Messages per `sendBatch` (the queue's limit). */
const SEND_BATCH = 100;
/** Failures listed with a job. */
const FAILURES_LISTED = 1000;

/** One chunk of a job. */
export type FanoutMessage = { jobId: string; seq: number };
/**
 * What the fan-out queue carries: chunks, program emails to send (mailing.ts), and the sessions of
 * a removed member whose host's seat is to be released (sessions/host-release.ts).
 */
export type FanoutQueueMessage = FanoutMessage | ProgramMailMessage | HostReleaseMessage;
/** A job still running this long after it was made has a chunk the queue never got: the cron queues it again. */
export const STUCK_AFTER_MS = 30 * 60_000;
export type JobTrigger = "invitations" | "groups" | "members" | "sessions";

export type JobRequest = {
  orgId: string;
  programId: string;
  trigger: JobTrigger;
  groupIds?: string[] | undefined;
  contactIds?: string[] | undefined;
  /** Only these sessions of the program (a session just attached); all of them otherwise. */
  sessionIds?: string[] | undefined;
  holdSeat?: boolean | undefined;
  /** "later": the program emails wait for sendKeptJob (the invitations are made all the same). */
  send?: "now" | "later" | undefined;
  /** The organiser's words for the program emails naming this job's invitations. */
  subject?: string | undefined;
  buttonText?: string | undefined;
  message?: string | undefined;
};

export type JobView = {
  id: string;
  programId: string;
  trigger: JobTrigger;
  status: "running" | "done";
  holdSeat: boolean;
  send: "now" | "later";
  subject: string | null;
  buttonText: string | null;
  message: string | null;
  people: number;
  sessions: number;
  total: number;
  done: number;
  failed: number;
  createdAt: string;
  finishedAt: string | null;
};

export type JobFailure = {
  contactId: string;
  email: string | null;
  name: string | null;
  sessionId: string | null;
  sessionTitle: string | null;
  reason: string;
};

const json = (value: unknown) => JSON.stringify(value);

type Person = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  status: string;
  channel: string;
  phone: string | null;
};

/** Splits the eligible people into chunks per session: the plan a job is made of. */
export function planChunks(sessionIds: readonly string[], contactIds: readonly string[], size = CHUNK_SIZE) {
  const chunks: { seq: number; sessionId: string; contactIds: string[] }[] = [];
  for (const sessionId of sessionIds)
    for (let at = 0; at < contactIds.length; at += size)
      chunks.push({ seq: chunks.length, sessionId, contactIds: contactIds.slice(at, at + size) });
  return chunks;
}

/** Why a contact cannot be invited at all, or null when they can. */
export function ineligibility(p: Pick<Person, "email" | "status" | "channel" | "phone">): string | null {
  if (p.status !== "active") return "contact_deactivated";
  if (!p.email) return phoneOnly(p) ? "phone_only" : "no_email";
  return null;
}

/**
 * Why an organiser's request (trigger "invitations") would make a job that invites nobody, or null:
 * no session still to come, or nobody in what it names (the program's assigned groups when it
 * names nothing). A job that follows a change (a member joined, a session attached) may be empty:
 * nobody asked for it. People who cannot be invited (no address, deactivated) still make a job,
 * which lists them with the reason.
 */
export function emptyJobRefusal(asked: { sessions: number; people: number; namedNobody: boolean; groupIds: boolean }): Failure | null {
  if (!asked.sessions)
    return fail(
      "invalid_transition",
      "The program has no session still to come (none attached, or every one ended or cancelled): attach one, then invite.",
    ).error;
  if (asked.people) return null;
  if (asked.namedNobody)
    return fail(
      "validation_failed",
      "The program has no group assigned: name groupIds or contactIds, or assign a group to it first.",
      undefined,
      [fieldError("groupIds", "required", "required: the program has no group assigned.")],
    ).error;
  return fail("validation_failed", "The groups and contacts named have nobody in them.", undefined, [
    fieldError(asked.groupIds ? "groupIds" : "contactIds", "too_few", "too few: 1 person at least.", { min: 1 }),
  ]).error;
}

/**
 * Creates a job and queues its chunks: the people of `groupIds` and `contactIds` (the program's
 * assigned groups when neither is given) × the program's sessions that are not cancelled and have
 * not ended. Ids of another org are refused, naming them, and so is an organiser's request that
 * would invite nobody (emptyJobRefusal); nothing is created then.
 */
export async function createInvitationJob(env: Env, req: JobRequest, now: Date): Promise<Outcome<JobView>> {
  const db = env.DB;
  const program = await db.prepare("select id from programs where id = ?1 and org_id = ?2").bind(req.programId, req.orgId).first();
  if (!program) return fail("not_found", "No such program.");
  const groupIds = [...new Set(req.groupIds ?? [])];
  const contactIds = [...new Set(req.contactIds ?? [])];
  if (groupIds.length) {
    const own = await db
      .prepare("select id from groups where org_id = ?1 and id in (select value from json_each(?2))")
      .bind(req.orgId, json(groupIds))
      .all<{ id: string }>();
    const found = new Set(own.results.map((g) => g.id));
    const unknown = groupIds.filter((g) => !found.has(g));
    if (unknown.length) return fail("validation_failed", "Some group ids are not groups of this org.", { unknown });
  }
  if (contactIds.length) {
    const own = await db
      .prepare("select id from contacts where org_id = ?1 and erased_at is null and id in (select value from json_each(?2))")
      .bind(req.orgId, json(contactIds))
      .all<{ id: string }>();
    const found = new Set(own.results.map((c) => c.id));
    const unknown = contactIds.filter((c) => !found.has(c));
    if (unknown.length) return fail("validation_failed", "Some contact ids are not contacts of this org.", { unknown });
  }
  const everyone = !req.groupIds && !req.contactIds;
  const people = await db
    .prepare(
      `select id, email, first_name as firstName, last_name as lastName, status, channel, phone from contacts
       where org_id = ?1 and erased_at is null and (
         id in (select value from json_each(?2))
         or id in (select contact_id from group_members where group_id in (select value from json_each(?3)))
         or (?4 and id in (select m.contact_id from group_members m join program_groups g on g.group_id = m.group_id where g.program_id = ?5))
       ) order by id`,
    )
    .bind(req.orgId, json(contactIds), json(groupIds), everyone ? 1 : 0, req.programId)
    .all<Person>();
  const sessions = await db
    .prepare(
      `select s.id from program_sessions p join sessions s on s.id = p.session_id
       where p.program_id = ?1 and s.org_id = ?2 and s.status = 'scheduled'
         and julianday(s.starts_at) + s.duration_minutes / 1440.0 > julianday(?3)
         and (?4 is null or s.id in (select value from json_each(?4)))
       order by s.starts_at, s.id`,
    )
    .bind(req.programId, req.orgId, now.toISOString(), req.sessionIds ? json(req.sessionIds) : null)
    .all<{ id: string }>();
  const sessionIds = sessions.results.map((s) => s.id);
  const refusal =
    req.trigger === "invitations" &&
    emptyJobRefusal({ sessions: sessionIds.length, people: people.results.length, namedNobody: everyone, groupIds: groupIds.length > 0 });
  if (refusal) return { ok: false, error: refusal };
  const eligible = people.results.filter((p) => !ineligibility(p)).map((p) => p.id);
  const refused = people.results.flatMap((p) => {
    const reason = ineligibility(p);
    return reason ? [{ contactId: p.id, reason }] : [];
  });
  const chunks = planChunks(sessionIds, eligible);
  const total = eligible.length * sessionIds.length;
  const id = newId("job");
  const at = now.toISOString();
  const holdSeat = req.holdSeat ?? false;
  await db.batch([
    db
      .prepare(
        `insert into invitation_jobs (id, org_id, program_id, trigger, hold_seat, subject, button_text, message,
           people, sessions, total, done, failed, status, created_at, finished_at, send_later)
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12, ?13, ?14, ?15, ?16)`,
      )
      .bind(
        id,
        req.orgId,
        req.programId,
        req.trigger,
        holdSeat ? 1 : 0,
        req.subject || null,
        req.buttonText || null,
        req.message || null,
        people.results.length,
        sessionIds.length,
        total,
        0,
        chunks.length ? "running" : "done",
        at,
        chunks.length ? null : at,
        req.send === "later" ? 1 : 0,
      ),
    db
      .prepare(
        `insert into invitation_job_chunks (job_id, seq, session_id, contact_ids, status, done, failed)
         select ?1, json_extract(value, '$.seq'), json_extract(value, '$.sessionId'), json(json_extract(value, '$.contactIds')), 'pending', 0, 0
         from json_each(?2)`,
      )
      .bind(id, json(chunks)),
    db
      .prepare(
        `insert into invitation_job_failures (job_id, contact_id, session_id, reason)
         select ?1, json_extract(value, '$.contactId'), '', json_extract(value, '$.reason') from json_each(?2)`,
      )
      .bind(id, json(refused)),
  ]);
  for (let at = 0; at < chunks.length; at += SEND_BATCH)
    await env.FANOUT_QUEUE.sendBatch(
      chunks.slice(at, at + SEND_BATCH).map((c) => ({ body: { jobId: id, seq: c.seq } satisfies FanoutMessage })),
    );
  return ok((await readJob(db, req.orgId, req.programId, id))!.job);
}

/** What a chunk's ledger call does; a test may put a fault in its place. */
export type ChunkInviter = (
  env: Env,
  args: {
    orgId: string;
    sessionId: string;
    recipients: { contactId: string; email: string; name: string | null }[];
    holdSeat: boolean;
    /** The program's language, for people without their own; none: the org's. */
    locale?: Locale | undefined;
  },
) => Promise<Outcome<{ skipped: { email: string }[]; invitations: { email: string }[] }>>;

/** A name the address parser reads back as a name: no brackets, quotes or separators. */
const plainName = (name: string | null) =>
  name
    ?.replace(/[<>"',;\r\n\t]+/g, " ")
    .replace(/\s+/g, " ")
    .trim() || null;

export const ledgerInviter: ChunkInviter = async (env, { orgId, sessionId, recipients, holdSeat, locale }) => {
  const input = CreateInvitationsBody.parse({
    recipients: recipients.map((r) => (plainName(r.name) ? `${plainName(r.name)} <${r.email}>` : r.email)),
    holdSeat,
    send: "later",
  });
  const defaults = await invitationDefaults(env.DB, orgId, recipients, locale);
  return sessionLedger(env, sessionId).createInvitations(orgId, { ...input, ...defaults }, "system");
};

/**
 * Runs one chunk, at most once: a chunk already done does nothing. Pairs another job claimed first
 * count as done here (that job invites them). A refusal by the ledger (the session is full, was
 * cancelled…) is recorded per person and the chunk is done; an exception leaves it pending, for the
 * queue to deliver again.
 */
export async function runChunk(env: Env, msg: FanoutMessage, now: Date, inviter: ChunkInviter = ledgerInviter): Promise<"ran" | "already"> {
  const db = env.DB;
  const chunk = await db
    .prepare(
      `select c.session_id as sessionId, c.contact_ids as contactIds, c.status, j.org_id as orgId, j.hold_seat as holdSeat,
         p.locale
       from invitation_job_chunks c join invitation_jobs j on j.id = c.job_id left join programs p on p.id = j.program_id
       where c.job_id = ?1 and c.seq = ?2`,
    )
    .bind(msg.jobId, msg.seq)
    .first<{ sessionId: string; contactIds: string; status: string; orgId: string; holdSeat: number; locale: string | null }>();
  if (!chunk || chunk.status === "done") return "already";
  const ids = JSON.parse(chunk.contactIds) as string[];
  await db
    .prepare(
      `insert into invitation_job_pairs (session_id, contact_id, job_id, org_id)
       select ?1, value, ?2, ?3 from json_each(?4) where true on conflict do nothing`,
    )
    .bind(chunk.sessionId, msg.jobId, chunk.orgId, json(ids))
    .run();
  const mine = await db
    .prepare(
      `select c.id as contactId, c.email, c.first_name as firstName, c.last_name as lastName, c.status, c.channel, c.phone
       from invitation_job_pairs p join contacts c on c.id = p.contact_id
       where p.session_id = ?1 and p.job_id = ?2 and p.contact_id in (select value from json_each(?3))`,
    )
    .bind(chunk.sessionId, msg.jobId, json(ids))
    .all<{
      contactId: string;
      email: string | null;
      firstName: string | null;
      lastName: string | null;
      status: string;
      channel: string;
      phone: string | null;
    }>();
  const failures: { contactId: string; reason: string }[] = [];
  const recipients: { contactId: string; email: string; name: string | null }[] = [];
  for (const p of mine.results) {
    // Deactivated or erased since the job was made.
    const reason = ineligibility(p);
    if (reason) failures.push({ contactId: p.contactId, reason });
    else recipients.push({ contactId: p.contactId, email: p.email!, name: personName(p) });
  }
  if (recipients.length) {
    const result = await inviter(env, {
      orgId: chunk.orgId,
      sessionId: chunk.sessionId,
      recipients,
      holdSeat: chunk.holdSeat === 1,
      locale: isLocale(chunk.locale) ? chunk.locale : undefined,
    });
    if (!result.ok) for (const r of recipients) failures.push({ contactId: r.contactId, reason: result.error.code });
  }
  const at = now.toISOString();
  await db.batch([
    db
      .prepare(
        `insert into invitation_job_failures (job_id, contact_id, session_id, reason)
         select ?1, json_extract(value, '$.contactId'), ?2, json_extract(value, '$.reason') from json_each(?3) where true
         on conflict do nothing`,
      )
      .bind(msg.jobId, chunk.sessionId, json(failures)),
    db
      .prepare(
        "update invitation_job_chunks set status = 'done', done = ?3, failed = ?4, done_at = ?5 where job_id = ?1 and seq = ?2 and status = 'pending'",
      )
      .bind(msg.jobId, msg.seq, ids.length - failures.length, failures.length, at),
    db
      .prepare(
        `update invitation_jobs set
           done = (select coalesce(sum(done), 0) from invitation_job_chunks where job_id = ?1),
           failed = (select coalesce(sum(failed), 0) from invitation_job_chunks where job_id = ?1),
           status = case when exists (select 1 from invitation_job_chunks where job_id = ?1 and status = 'pending') then 'running' else 'done' end,
           finished_at = case when exists (select 1 from invitation_job_chunks where job_id = ?1 and status = 'pending') then null else coalesce(finished_at, ?2) end
         where id = ?1`,
      )
      .bind(msg.jobId, at),
  ]);
  await afterChunk(env, msg.jobId, now);
  return "ran";
}

/**
 * Once a job is done, its people's program emails are queued (when the program has started; the
 * cron sends on its first day otherwise), unless they are kept to send. Two chunks finishing at
 * once may both queue them: the emails' claims keep it to one each.
 */
async function afterChunk(env: Env, jobId: string, now: Date): Promise<void> {
  const job = await env.DB.prepare(
    `select j.status, j.send_later as sendLater, j.org_id as orgId, p.id as programId, p.starts_on as startsOn, p.time_zone as timeZone
     from invitation_jobs j join programs p on p.id = j.program_id where j.id = ?1`,
  )
    .bind(jobId)
    .first<{ status: string; sendLater: number; orgId: string; programId: string; startsOn: string; timeZone: string }>();
  if (job?.status !== "done" || job.sendLater || !programStarted(job, now)) return;
  await queueProgramMail(env, job.orgId, job.programId, await jobContacts(env.DB, jobId));
}

/**
 * Sends the program emails a job kept (send: "later"), with new words when given (a field left out
 * keeps the job's; null, the email's own): from now on they go like any job's, at once when the
 * job is done and the program has started, else when it is done, or on the program's first day.
 * Sending again changes nothing; new words for emails no longer kept are refused, unless they are
 * the words already there (the same request sent again). Whichever of this and the job's last
 * chunk comes second sees both the job done and its emails released (each writes before it
 * reads), so neither can leave them behind; both queuing them is harmless (the emails' claims).
 */
export async function sendKeptJob(
  env: Env,
  orgId: string,
  programId: string,
  jobId: string,
  now: Date,
  words: EditedWords = {},
): Promise<Outcome<JobView>> {
  const given = (value: string | null | undefined) => [value === undefined ? 0 : 1, value ?? null] as const;
  const released = await env.DB.prepare(
    `update invitation_jobs set send_later = 0,
       subject = case when ?4 then ?5 else subject end,
       button_text = case when ?6 then ?7 else button_text end,
       message = case when ?8 then ?9 else message end
     where id = ?1 and org_id = ?2 and program_id = ?3 and send_later = 1 returning id`,
  )
    .bind(jobId, orgId, programId, ...given(words.subject), ...given(words.buttonText), ...given(words.message))
    .first();
  if (released) await afterChunk(env, jobId, now);
  const found = await readJob(env.DB, orgId, programId, jobId);
  if (!found) return fail("not_found", "No such invitation job.");
  const changed = (["subject", "buttonText", "message"] as const).some((k) => words[k] !== undefined && words[k] !== found.job[k]);
  if (!released && changed)
    return fail("invalid_transition", "This job's program emails are no longer kept to send: their words cannot change.");
  return ok(found.job);
}

/**
 * The cron's sweep: chunks of jobs still running well after they were made (their queue message
 * was never sent, or was given up on) are queued again. A chunk done in the meantime does nothing
 * when it comes, so queuing one twice costs a read.
 */
export async function sweepStuckJobs(env: Env, now: Date): Promise<{ jobs: number; chunks: number }> {
  const stuck = await env.DB.prepare(
    `select c.job_id as jobId, c.seq from invitation_job_chunks c join invitation_jobs j on j.id = c.job_id
     where j.status = 'running' and j.created_at <= ?1 and c.status = 'pending' order by c.job_id, c.seq limit 5000`,
  )
    .bind(new Date(now.getTime() - STUCK_AFTER_MS).toISOString())
    .all<FanoutMessage>();
  for (let at = 0; at < stuck.results.length; at += SEND_BATCH)
    await env.FANOUT_QUEUE.sendBatch(stuck.results.slice(at, at + SEND_BATCH).map((c) => ({ body: { jobId: c.jobId, seq: c.seq } })));
  return { jobs: new Set(stuck.results.map((c) => c.jobId)).size, chunks: stuck.results.length };
}

/** The queue's consumer: each message is acknowledged once its chunk is done, or retried. */
export async function handleFanoutQueue(batch: MessageBatch<FanoutQueueMessage>, env: Env, inviter?: ChunkInviter): Promise<void> {
  for (const message of batch.messages) {
    try {
      const body = message.body;
      if ("kind" in body && body.kind === "host_left") await runHostRelease(env, body);
      else if ("kind" in body) await mailPeople(env, body, new Date());
      else await runChunk(env, body, new Date(), inviter);
      message.ack();
    } catch (error) {
      console.error("fan-out message failed; the queue will deliver it again", message.body, error);
      message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}

type JobRow = Omit<JobView, "holdSeat" | "send"> & { holdSeat: number; sendLater: number };

const jobColumns = `id, program_id as programId, trigger, status, hold_seat as holdSeat, send_later as sendLater, subject, button_text as buttonText,
  message, people, sessions, total, done, failed, created_at as createdAt, finished_at as finishedAt`;
const viewOf = ({ sendLater, ...row }: JobRow): JobView => ({ ...row, holdSeat: row.holdSeat === 1, send: sendLater ? "later" : "now" });

/** A program's jobs, newest first. */
export async function listJobs(db: D1Database, orgId: string, programId: string): Promise<Outcome<JobView[]>> {
  const program = await db.prepare("select id from programs where id = ?1 and org_id = ?2").bind(programId, orgId).first();
  if (!program) return fail("not_found", "No such program.");
  const rows = await db
    .prepare(`select ${jobColumns} from invitation_jobs where org_id = ?1 and program_id = ?2 order by created_at desc, id limit 100`)
    .bind(orgId, programId)
    .all<JobRow>();
  return ok(rows.results.map(viewOf));
}

/** One job with the people it could not invite, and why. */
export async function readJob(
  db: D1Database,
  orgId: string,
  programId: string,
  jobId: string,
): Promise<{ job: JobView; failures: JobFailure[] } | null> {
  const row = await db
    .prepare(`select ${jobColumns} from invitation_jobs where id = ?1 and org_id = ?2 and program_id = ?3`)
    .bind(jobId, orgId, programId)
    .first<JobRow>();
  if (!row) return null;
  const failures = await db
    .prepare(
      `select f.contact_id as contactId, c.email, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) as name,
         nullif(f.session_id, '') as sessionId, s.title as sessionTitle, f.reason
       from invitation_job_failures f left join contacts c on c.id = f.contact_id left join sessions s on s.id = f.session_id
       where f.job_id = ?1 order by c.email, f.session_id limit ${FAILURES_LISTED}`,
    )
    .bind(jobId)
    .all<JobFailure>();
  return { job: viewOf(row), failures: failures.results.map((f) => ({ ...f, name: f.name || null })) };
}

/**
 * People who just joined groups, however they joined (the group's members, a paste or a contact
 * made with groups, an edit of a contact's groups, an import): a job per program those groups are
 * assigned to, for them alone (the pairs already taken by another job are left to it).
 */
export async function inviteJoined(
  env: Env,
  orgId: string,
  joined: readonly { groupId: string; contactId: string }[],
  now: Date,
): Promise<void> {
  if (!joined.length) return;
  const assigned = await env.DB.prepare(
    `select g.program_id as programId, g.group_id as groupId from program_groups g
     where g.org_id = ?1 and g.group_id in (select value from json_each(?2))
       and exists (select 1 from program_sessions s where s.program_id = g.program_id)`,
  )
    .bind(orgId, json([...new Set(joined.map((j) => j.groupId))]))
    .all<{ programId: string; groupId: string }>();
  const people = new Map<string, Set<string>>();
  for (const { programId, groupId } of assigned.results) {
    const set = people.get(programId) ?? new Set<string>();
    for (const j of joined) if (j.groupId === groupId) set.add(j.contactId);
    people.set(programId, set);
  }
  for (const [programId, contactIds] of people)
    await createInvitationJob(env, { orgId, programId, trigger: "members", contactIds: [...contactIds] }, now);
}
