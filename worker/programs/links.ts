// The program page's links: a random token (mailing.ts makes one per program email) stored as its
// SHA-256, naming one contact and one program. What a link opens: the program, the person, and the
// sessions their program emails named; nothing for a token that is not ours, a person erased, or a
// program that is over.

import { sha256Hex } from "../ids/ids";
import { personName } from "../recipients/parse";
import { programLinkExpired } from "./schedule";

export type ProgramLink = {
  orgId: string;
  orgName: string;
  programId: string;
  programName: string;
  contactId: string;
  email: string;
  name: string | null;
  /** The person's language, else the program's (its emails' language for them); null: neither has one. */
  locale: string | null;
  /** The sessions this person's program emails named, in order. */
  sessionIds: string[];
};

/** 32 random bytes in base64url: 43 characters. Anything else is refused without a query. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The link's program and person, "expired" once the program is over, or null when the token opens nothing. */
export async function programLink(db: D1Database, token: string, now: Date): Promise<ProgramLink | "expired" | null> {
  if (!TOKEN.test(token)) return null;
  const row = await db
    .prepare(
      `select l.org_id as orgId, o.name as orgName, l.program_id as programId, p.name as programName, p.ends_on as endsOn,
         p.time_zone as timeZone, l.contact_id as contactId, c.email, c.first_name as firstName, c.last_name as lastName, coalesce(c.locale, p.locale) as locale
       from program_links l join programs p on p.id = l.program_id join orgs o on o.id = l.org_id
       join contacts c on c.id = l.contact_id and c.org_id = l.org_id and c.erased_at is null
       where l.token_hash = ?1`,
    )
    .bind(await sha256Hex(token))
    .first<{
      orgId: string;
      orgName: string;
      programId: string;
      programName: string;
      endsOn: string | null;
      timeZone: string;
      contactId: string;
      email: string | null;
      firstName: string | null;
      lastName: string | null;
      locale: string | null;
    }>();
  if (!row?.email) return null;
  const sessions = await db
    .prepare(
      `select s.id, s.starts_at as startsAt, s.duration_minutes as durationMinutes,
         exists (select 1 from program_mail_pairs mp join program_mails m on m.id = mp.mail_id and m.status = 'queued'
                 where mp.session_id = s.id and mp.contact_id = ?2) as named
       from program_sessions ps join sessions s on s.id = ps.session_id where ps.program_id = ?1 order by s.starts_at, s.id`,
    )
    .bind(row.programId, row.contactId)
    .all<{ id: string; startsAt: string; durationMinutes: number; named: number }>();
  const ends = sessions.results.map((s) => Date.parse(s.startsAt) + s.durationMinutes * 60_000);
  const lastEnd = ends.length ? new Date(Math.max(...ends)).toISOString() : null;
  if (programLinkExpired(row, lastEnd, now)) return "expired";
  return {
    orgId: row.orgId,
    orgName: row.orgName,
    programId: row.programId,
    programName: row.programName,
    contactId: row.contactId,
    email: row.email,
    name: personName(row),
    locale: row.locale,
    sessionIds: sessions.results.filter((s) => s.named === 1).map((s) => s.id),
  };
}
