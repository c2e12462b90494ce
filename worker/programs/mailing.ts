// Program invitation emails: once a job has created a person's invitations, that person gets ONE
// email for the program (not one per session), in their language, listing the sessions, with one
// link to the program page. The work travels on the `rollcall-fanout` queue like the job's chunks
// (a message names some contacts of one program), never as a loop over ledgers in a request.
//
// Once, whatever the retries and racing paths:
// - each (session, contact) pair is named by one email only: program_mail_pairs' primary key is
//   the claim, taken in the same D1 batch that creates the email's row;
// - an email is `claimed` until it is handed to the mail queue; a try that was interrupted leaves
//   it so, and the cron's pass takes it over after 15 minutes (one statement, so by one try only)
//   and finishes it under the same id (the mail consumer's log sends one id once);
// - a later job (a session attached, a member added) names only the pairs no email named.
// The sessions' invitations are moved from "to send" to sent by their ledgers, without an email of
// their own. A program that has not started waits: the hourly cron sends on its first day. A job
// that keeps its emails to send (send: "later") waits for the organiser (fanout.ts sendKeptJob).

import type { MailMessage } from "../email/message";
import { mailQueues } from "../email/queues";
import { isLocale } from "../i18n/locales";
import { newId, randomSecret, sha256Hex } from "../ids/ids";
import { invitationSettings } from "../orgs/orgs";
import { emailKey } from "../recipients/address";
import { personName } from "../recipients/parse";
import { sessionLedger } from "../sessions/ledger-client";
import { byContact, programStarted } from "./schedule";

/** A fan-out message asking for the program emails of some contacts. */
export type ProgramMailMessage = { kind: "mail"; orgId: string; programId: string; contactIds: string[] };

/** Contacts per message: one D1 batch, one call per session, one mail queue message. */
export const MAIL_CHUNK = 50;
/** An email still `claimed` after this long was interrupted: the cron hands it over again. */
const CLAIM_STALE_MS = 15 * 60_000;

const json = (value: unknown) => JSON.stringify(value);

type ProgramRow = {
  id: string;
  orgId: string;
  name: string;
  startsOn: string;
  endsOn: string | null;
  timeZone: string;
  locale: string | null;
};

async function programRow(db: D1Database, orgId: string, programId: string): Promise<ProgramRow | null> {
  return db
    .prepare(
      "select id, org_id as orgId, name, starts_on as startsOn, ends_on as endsOn, time_zone as timeZone, locale from programs where id = ?1 and org_id = ?2",
    )
    .bind(programId, orgId)
    .first<ProgramRow>();
}

/** Queues the program emails of these contacts (the program's start is checked when they run). */
export async function queueProgramMail(env: Env, orgId: string, programId: string, contactIds: string[]): Promise<void> {
  const messages = [];
  for (let at = 0; at < contactIds.length; at += MAIL_CHUNK)
    messages.push({
      body: { kind: "mail", orgId, programId, contactIds: contactIds.slice(at, at + MAIL_CHUNK) } satisfies ProgramMailMessage,
    });
  for (let at = 0; at < messages.length; at += 100) await env.FANOUT_QUEUE.sendBatch(messages.slice(at, at + 100));
}

/**
 * The pairs of these contacts in this program that an email may name: invited by a job that is
 * done (so every invitation of that job exists) and not keeping its emails to send, not failed,
 * in a session still scheduled and not over, and named by no email yet.
 */
async function unmailedPairs(db: D1Database, programId: string, contactIds: string[], now: Date) {
  const rows = await db
    .prepare(
      `select p.contact_id as contactId, p.session_id as sessionId, j.created_at as jobAt,
         j.subject, j.button_text as buttonText, j.message
       from invitation_job_pairs p
       join invitation_jobs j on j.id = p.job_id and j.status = 'done' and j.send_later = 0
       join program_sessions ps on ps.session_id = p.session_id and ps.program_id = ?1
       join sessions s on s.id = p.session_id
       where p.contact_id in (select value from json_each(?2))
         and s.status = 'scheduled' and julianday(s.starts_at) + s.duration_minutes / 1440.0 > julianday(?3)
         and not exists (select 1 from invitation_job_failures f where f.job_id = p.job_id and f.contact_id = p.contact_id and f.session_id = p.session_id)
         and not exists (select 1 from program_mail_pairs m where m.session_id = p.session_id and m.contact_id = p.contact_id)
       order by p.contact_id, s.starts_at, s.id`,
    )
    .bind(programId, json(contactIds), now.toISOString())
    .all<{ contactId: string; sessionId: string } & MailWords & { jobAt: string }>();
  return rows.results;
}

/** The organiser's own words for a program email; null: the email's own. */
export type MailWords = { subject: string | null; buttonText: string | null; message: string | null };

/**
 * The words of one person's email: those of the newest job among its pairs that gave any (a
 * provider's "invite to the program" with a subject, then a member added to a group, keeps the
 * provider's words); the defaults when none did.
 */
export function wordsOf(pairs: readonly (MailWords & { jobAt: string })[]): MailWords {
  const worded = pairs.filter((p) => p.subject || p.buttonText || p.message);
  const newest = worded.reduce<(typeof worded)[number] | null>((a, p) => (a && a.jobAt >= p.jobAt ? a : p), null);
  return { subject: newest?.subject ?? null, buttonText: newest?.buttonText ?? null, message: newest?.message ?? null };
}

type Contact = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  status: string;
};

/**
 * Sends the program emails of these contacts: claims their new pairs, has each session's ledger
 * mark their invitations sent (no per-session email), and hands one email per person to the mail
 * queue. Throws when a ledger or D1 cannot be reached: the queue delivers the message again (for
 * pairs not claimed yet), and the cron finishes the emails this try had claimed.
 */
export async function mailPeople(env: Env, msg: ProgramMailMessage, now: Date): Promise<{ queued: number }> {
  const db = env.DB;
  // Whoever queued the message checked that the program has started (afterChunk, the cron).
  const program = await programRow(db, msg.orgId, msg.programId);
  if (!program) return { queued: 0 };
  const contactIds = [...new Set(msg.contactIds)];

  // Claim: an email row per person with new pairs, and its pairs, each pair by one email only.
  const at = now.toISOString();
  const pairs = await unmailedPairs(db, program.id, contactIds, now);
  const claims = [...byContact(pairs)].map(([contactId, sessionIds]) => ({
    id: newId("pml"),
    contactId,
    sessionIds,
    words: wordsOf(pairs.filter((p) => p.contactId === contactId)),
  }));
  if (claims.length)
    await db.batch(
      claims.flatMap(({ id, contactId, sessionIds, words }) => {
        return [
          db
            .prepare(
              `insert into program_mails (id, org_id, program_id, contact_id, status, subject, button_text, message, created_at)
               values (?1, ?2, ?3, ?4, 'claimed', ?5, ?6, ?7, ?8)`,
            )
            .bind(id, program.orgId, program.id, contactId, words.subject, words.buttonText, words.message, at),
          db
            .prepare(
              `insert into program_mail_pairs (session_id, contact_id, mail_id, program_id)
               select value, ?1, ?2, ?3 from json_each(?4) where true on conflict do nothing`,
            )
            .bind(contactId, id, program.id, json(sessionIds)),
        ];
      }),
    );

  // The emails this try finishes: those it just claimed, and those a try interrupted long enough
  // ago left claimed, taken over in one statement (a row is taken by one try only).
  const taken = await db
    .prepare(
      `update program_mails set created_at = ?1
       where program_id = ?2 and status = 'claimed' and created_at <= ?3 and contact_id in (select value from json_each(?4))
       returning id`,
    )
    .bind(at, program.id, new Date(now.getTime() - CLAIM_STALE_MS).toISOString(), json(contactIds))
    .all<{ id: string }>();
  const mine = [...claims.map((c) => c.id), ...taken.results.map((r) => r.id)];
  if (!mine.length) return { queued: 0 };
  const open = await db
    .prepare(
      `select m.id, m.contact_id as contactId, p.session_id as sessionId, m.subject, m.button_text as buttonText, m.message,
         exists (select 1 from program_mails e where e.program_id = m.program_id and e.contact_id = m.contact_id and e.status = 'queued') as more
       from program_mails m left join program_mail_pairs p on p.mail_id = m.id
       left join sessions s on s.id = p.session_id
       where m.id in (select value from json_each(?1)) and m.status = 'claimed'
       order by m.id, s.starts_at, s.id`,
    )
    .bind(json(mine))
    .all<{ id: string; contactId: string; sessionId: string | null; more: number } & MailWords>();
  if (!open.results.length) return { queued: 0 };
  const mails = new Map<string, { contactId: string; sessionIds: string[]; more: boolean; words: MailWords }>();
  for (const row of open.results) {
    const { subject, buttonText, message } = row;
    const mail = mails.get(row.id) ?? {
      contactId: row.contactId,
      sessionIds: [],
      more: row.more === 1,
      words: { subject, buttonText, message },
    };
    if (row.sessionId) mail.sessionIds.push(row.sessionId);
    mails.set(row.id, mail);
  }
  const people = await db
    .prepare(
      `select id, email, first_name as firstName, last_name as lastName, locale, status from contacts
       where org_id = ?1 and erased_at is null and id in (select value from json_each(?2))`,
    )
    .bind(program.orgId, json([...new Set([...mails.values()].map((m) => m.contactId))]))
    .all<Contact>();
  const contacts = new Map(people.results.filter((c) => c.email && c.status === "active").map((c) => [c.id, c]));

  // Each session's ledger moves these people's invitations to sent, and says whose it named.
  const bySession = new Map<string, string[]>();
  for (const mail of mails.values()) {
    const email = contacts.get(mail.contactId)?.email;
    if (email) for (const sessionId of mail.sessionIds) bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), email]);
  }
  const answers = await Promise.all(
    [...bySession].map(
      async ([sessionId, emails]) => [sessionId, await sessionLedger(env, sessionId).sendForProgram(program.orgId, emails)] as const,
    ),
  );
  const sent = new Map(
    answers.flatMap(([sessionId, a]) =>
      a.ok ? [[sessionId, { session: a.value.session, sent: new Map(a.value.sent.map((i) => [i.key, i])) }] as const] : [],
    ),
  );

  // One email per person, naming the sessions whose ledger sent their invitation, in their
  // language, else the program's, else the org's.
  const fallback = isLocale(program.locale) ? program.locale : (await invitationSettings(db, program.orgId)).locale;
  const messages: MailMessage<"program_invitation">[] = [];
  const links: { hash: string; mailId: string; contactId: string }[] = [];
  const empty: string[] = [];
  for (const [mailId, mail] of mails) {
    const contact = contacts.get(mail.contactId);
    const named = contact?.email
      ? mail.sessionIds.flatMap((id) => {
          const s = sent.get(id);
          const invitation = s?.sent.get(emailKey(contact.email!));
          return s && invitation ? [{ id, ...s.session, invitation }] : [];
        })
      : [];
    if (!contact?.email || !named.length) {
      empty.push(mailId);
      continue;
    }
    const token = randomSecret(32);
    links.push({ hash: await sha256Hex(token), mailId, contactId: contact.id });
    messages.push({
      id: mailId,
      template: "program_invitation",
      to: contact.email,
      locale: isLocale(contact.locale) ? contact.locale : fallback,
      // The org's sender settings and mail budget are found through a session of the program.
      sessionId: named[0]!.id,
      data: {
        name: personName(contact),
        programName: program.name,
        link: `${named[0]!.baseUrl}/programs/i/${token}`,
        more: mail.more,
        sessions: named.map(({ title, startsAt, durationMinutes, timeZone, location }) => ({
          title,
          startsAt,
          durationMinutes,
          timeZone,
          location,
        })),
        ...answerBy(named.map((s) => s.invitation)),
        ...mail.words,
      },
    });
  }
  if (links.length)
    await db
      .prepare(
        `insert into program_links (token_hash, org_id, program_id, contact_id, mail_id, created_at)
         select json_extract(value, '$.hash'), ?1, ?2, json_extract(value, '$.contactId'), json_extract(value, '$.mailId'), ?3 from json_each(?4)`,
      )
      .bind(program.orgId, program.id, at, json(links))
      .run();
  // A bundle is one provider request: at most 100 emails (MAIL_CHUNK keeps it at 50).
  if (messages.length) await mailQueues(env).send({ messages });
  await db.batch([
    db
      .prepare(
        "update program_mails set status = 'queued', queued_at = ?2 where id in (select value from json_each(?1)) and status = 'claimed'",
      )
      .bind(json(messages.map((m) => m.id)), at),
    db
      .prepare(
        "update program_mails set status = 'empty', queued_at = ?2 where id in (select value from json_each(?1)) and status = 'claimed'",
      )
      .bind(json(empty), at),
  ]);
  return { queued: messages.length };
}

/**
 * Until when the person may answer: the first of their invitations to expire, and whether every
 * one holds a seat meanwhile (the email says a seat is kept, or only that the invitation is valid).
 */
export function answerBy(invitations: readonly { expiresAt: string | null; holdSeat: boolean }[]): {
  expiresAt: string | null;
  holdSeat: boolean;
} {
  const expiries = invitations.flatMap((i) => (i.expiresAt ? [i.expiresAt] : [])).sort((a, b) => Date.parse(a) - Date.parse(b));
  return { expiresAt: expiries[0] ?? null, holdSeat: invitations.length > 0 && invitations.every((i) => i.holdSeat) };
}

/**
 * The cron's part: people with pairs no email named yet in programs that have started (a program
 * whose first day has come, a job whose trigger was lost) and emails left `claimed` by an
 * interrupted try. Queues a mail message per program and 50 people; answers how many people.
 */
export async function queueDueProgramMail(env: Env, now: Date): Promise<{ programs: number; people: number }> {
  const db = env.DB;
  // Programs whose first day may have come somewhere (UTC+14 is a day ahead of UTC).
  const tomorrow = new Date(now.getTime() + 24 * 3_600_000).toISOString().slice(0, 10);
  const due = await db
    .prepare(
      `select distinct pr.id as programId, pr.org_id as orgId, pr.starts_on as startsOn, pr.time_zone as timeZone, p.contact_id as contactId
       from invitation_job_pairs p
       join invitation_jobs j on j.id = p.job_id and j.status = 'done' and j.send_later = 0
       join programs pr on pr.id = j.program_id and pr.starts_on <= ?1
       join program_sessions ps on ps.session_id = p.session_id and ps.program_id = pr.id
       join sessions s on s.id = p.session_id
       where s.status = 'scheduled' and julianday(s.starts_at) + s.duration_minutes / 1440.0 > julianday(?2)
         and not exists (select 1 from invitation_job_failures f where f.job_id = p.job_id and f.contact_id = p.contact_id and f.session_id = p.session_id)
         and not exists (select 1 from program_mail_pairs m where m.session_id = p.session_id and m.contact_id = p.contact_id)
       union
       select pr.id, pr.org_id, pr.starts_on, pr.time_zone, m.contact_id
       from program_mails m join programs pr on pr.id = m.program_id
       where m.status = 'claimed' and m.created_at <= ?3
       limit 20000`,
    )
    .bind(tomorrow, now.toISOString(), new Date(now.getTime() - CLAIM_STALE_MS).toISOString())
    .all<{ programId: string; orgId: string; startsOn: string; timeZone: string; contactId: string }>();
  const programs = new Map<string, { orgId: string; contactIds: string[] }>();
  for (const row of due.results) {
    if (!programStarted(row, now)) continue;
    const entry = programs.get(row.programId) ?? { orgId: row.orgId, contactIds: [] };
    entry.contactIds.push(row.contactId);
    programs.set(row.programId, entry);
  }
  for (const [programId, { orgId, contactIds }] of programs) await queueProgramMail(env, orgId, programId, contactIds);
  return { programs: programs.size, people: [...programs.values()].reduce((n, p) => n + p.contactIds.length, 0) };
}

/** The people of a job, for their emails once it is done. */
export async function jobContacts(db: D1Database, jobId: string): Promise<string[]> {
  const rows = await db
    .prepare("select distinct value as contactId from invitation_job_chunks c, json_each(c.contact_ids) where c.job_id = ?1")
    .bind(jobId)
    .all<{ contactId: string }>();
  return rows.results.map((r) => r.contactId);
}
