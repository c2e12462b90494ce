// The directory's operations, for the API and the hosted admin alike: each reads what it needs,
// decides with the plain functions of fields.ts and import.ts, and writes through store.ts.

import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { isUniqueViolation } from "../db/errors";
import { contacts, groupMembers } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { erasePerson, fewAtATime, sessionsHolding } from "../privacy/person";
import { inviteJoined } from "../programs/fanout";
import { emailKey } from "../recipients/address";
import { decideRecipients } from "../recipients/decide";
import { sessionLedger } from "../sessions/ledger-client";
import type { Clock } from "../time/clock";
import { contactEventRow } from "../webhooks/contact-events";
import type { SessionDeactivation } from "./deactivation";
import { applyFields, type ContactFieldsValue, type ContactRecord, EMPTY_CONTACT, emailKeyOf, type FieldProblem } from "./fields";
import { listGroups } from "./groups";
import { groupNameKey, type ImportPlan, planImport, readCsv } from "./import";
import {
  applyImport,
  type ContactView,
  contactsByEmail,
  createContacts,
  directoryFor,
  type Membership,
  readContact,
  recordOf,
  runBatch,
  saveContact,
} from "./store";

const fieldProblems = (problems: FieldProblem[]) =>
  fail(
    "validation_failed",
    "Some fields are missing or invalid.",
    undefined,
    problems.map(({ field, ...problem }) => ({ path: field, ...problem })),
  );

/** Group ids or names as the org's group ids; an unknown one is a field problem. */
async function resolveGroups(database: D1Database, orgId: string, refs: string[] | undefined): Promise<Outcome<string[] | undefined>> {
  if (refs === undefined) return ok(undefined);
  const all = await listGroups(database, orgId);
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const ref of refs) {
    const group = all.find((g) => g.id === ref) ?? all.find((g) => groupNameKey(g.name) === groupNameKey(ref));
    if (group) ids.push(group.id);
    else unknown.push(ref);
  }
  if (unknown.length) {
    const groups = unknown.map((u) => `“${u}”`).join(", ");
    return fieldProblems([{ field: "groups", code: "group_not_found", message: `has no group ${groups}`, params: { groups } }]);
  }
  return ok([...new Set(ids)]);
}

async function addressTaken(database: D1Database, orgId: string, record: ContactRecord, exceptId?: string): Promise<string | null> {
  const key = emailKeyOf(record);
  if (!key) return null;
  const [found] = await contactsByEmail(database, orgId, [key]);
  return found && found.id !== exceptId ? found.id : null;
}

const taken = (contactId: string) => fail("contact_exists", "A contact of the organisation already has this email address.", { contactId });

/**
 * One contact with every field set directly. Nothing is sent to the person, unless a group given
 * is assigned to a program: they are invited to it, as anyone who joins that group.
 */
export async function createOneContact(
  env: Env,
  orgId: string,
  input: ContactFieldsValue & { defaultCountry?: string },
  now: Date,
): Promise<Outcome<ContactView>> {
  const database = env.DB;
  const applied = applyFields(EMPTY_CONTACT, input, { defaultCountry: input.defaultCountry });
  if (!applied.ok) return fieldProblems(applied.problems);
  const groups = await resolveGroups(database, orgId, input.groups);
  if (!groups.ok) return groups;
  const existing = await addressTaken(database, orgId, applied.record);
  if (existing) return taken(existing);
  const { ids, joined } = await createContacts(database, orgId, [applied.record], groups.value ?? [], now);
  await inviteJoined(env, orgId, joined, now);
  return ok((await readContact(database, orgId, ids[0]!))!);
}

/** A name as pasted ("Ada Lovelace", "Lovelace, Ada") into first and last names. */
export function splitName(name: string | null): Pick<ContactRecord, "firstName" | "lastName"> {
  const text = name?.trim();
  if (!text) return { firstName: null, lastName: null };
  const comma = text.indexOf(",");
  if (comma > 0) return { firstName: text.slice(comma + 1).trim() || null, lastName: text.slice(0, comma).trim() };
  const space = text.lastIndexOf(" ");
  return space > 0 ? { firstName: text.slice(0, space), lastName: text.slice(space + 1) } : { firstName: text, lastName: null };
}

/**
 * Contacts from pasted addresses: any invalid address refuses the whole paste (nothing created);
 * an address already in the directory is reported as existing and joins the groups given. Those
 * who joined a group assigned to a program are invited to it.
 */
export async function createPastedContacts(
  env: Env,
  orgId: string,
  input: { recipients: string | string[]; groupIds?: string[]; type?: string; deactivateAt?: string | null },
  now: Date,
): Promise<Outcome<{ created: ContactView[]; existing: ContactView[] }>> {
  const database = env.DB;
  const parsed = decideRecipients(input.recipients);
  if (!parsed.ok) return parsed;
  const groups = await resolveGroups(database, orgId, input.groupIds);
  if (!groups.ok) return groups;
  const groupIds = groups.value ?? [];
  const found = await contactsByEmail(
    database,
    orgId,
    parsed.value.recipients.map((r) => emailKey(r.email)),
  );
  const existingByKey = new Map(found.map((f) => [f.emailKey, f.id]));
  const fresh = parsed.value.recipients.filter((r) => !existingByKey.has(emailKey(r.email)));
  const records = fresh.map(
    (r): ContactRecord => ({
      ...EMPTY_CONTACT,
      ...splitName(r.name),
      email: r.email.trim(),
      type: input.type ?? EMPTY_CONTACT.type,
      deactivateAt: input.deactivateAt ?? null,
    }),
  );
  const existingIds = [...existingByKey.values()];
  const { ids, joined } = await createContacts(database, orgId, records, groupIds, now, existingIds);
  await inviteJoined(env, orgId, joined, now);
  const read = async (list: string[]) => (await Promise.all(list.map((id) => readContact(database, orgId, id)))).filter((c) => c !== null);
  return ok({ created: await read(ids), existing: await read(existingIds) });
}

/**
 * An edit: fields laid over the stored contact; `groups` replaces its groups; `status` (de)activates
 * now. Deactivating first closes what the address has open in the org's sessions (see
 * releaseInSessions): a ledger that fails throws before anything is saved, and a retry finishes.
 */
export async function editContact(
  env: Env,
  orgId: string,
  id: string,
  input: ContactFieldsValue & { status?: "active" | "deactivated"; defaultCountry?: string },
  now: Date,
): Promise<Outcome<ContactView>> {
  const database = env.DB;
  const row = await drizzle(database)
    .select()
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, id), sql`${contacts.erasedAt} is null`))
    .get();
  if (!row) return fail("not_found", "No such contact.");
  const applied = applyFields(recordOf(row), input, { defaultCountry: input.defaultCountry });
  if (!applied.ok) return fieldProblems(applied.problems);
  const groups = await resolveGroups(database, orgId, input.groups);
  if (!groups.ok) return groups;
  const existing = await addressTaken(database, orgId, applied.record, id);
  if (existing) return taken(existing);
  const record = { ...applied.record };
  if (input.status === "deactivated" && row.status === "active") record.deactivateAt = now.toISOString();
  if (input.status === "active") record.deactivateAt = null;
  // Run again on a contact already deactivated, it closes what was opened for the address since.
  if (input.status === "deactivated" && row.email) await releaseInSessions(env, orgId, row.email, now);
  const joined = await saveContact(database, orgId, id, record, groups.value, now);
  if (input.status && input.status !== row.status) await setStatus(database, orgId, id, input.status, now);
  await inviteJoined(env, orgId, joined, now);
  return ok((await readContact(database, orgId, id))!);
}

/**
 * Closes what an address still has open in the org's sessions, each session's ledger deciding
 * (ledger/deactivation.ts): pending invitations cancelled, registrations to sessions not yet
 * started cancelled with the usual emails. Throws when a ledger fails (nothing is marked then).
 */
async function releaseInSessions(env: Env, orgId: string, email: string, now: Date): Promise<SessionDeactivation[]> {
  const ids = await sessionsHolding(env.DB, orgId, email, now);
  const outcomes = await fewAtATime(ids, async (sessionId) => {
    const outcome = (await sessionLedger(env, sessionId).deactivatePerson(orgId, email)) as Outcome<SessionDeactivation>;
    return outcome.ok ? outcome.value : null;
  });
  return outcomes.filter((o): o is SessionDeactivation => o !== null);
}

/** Contacts deactivated per scheduled run at most; a backlog continues at the next run. */
export const DEACTIVATIONS_PER_RUN = 200;

export type DeactivationReport = { contacts: number; invitationsCancelled: number; registrationsCancelled: number; failed: number };

/**
 * The hourly run (worker/index.ts `scheduled`): every active contact whose `deactivateAt` has come
 * is deactivated — what its address has open in the org's sessions closed, then the contact marked
 * deactivated and out of its groups. A contact whose ledgers fail stays active and is tried again at
 * the next run; the others go on. Idempotent: a second run finds no contact due.
 */
export async function deactivateDue(env: Env, now: Date): Promise<DeactivationReport> {
  const due = await drizzle(env.DB)
    .select({ id: contacts.id, orgId: contacts.orgId, email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.status, "active"), lte(contacts.deactivateAt, now.toISOString()), isNull(contacts.erasedAt)))
    .orderBy(asc(contacts.deactivateAt))
    .limit(DEACTIVATIONS_PER_RUN);
  const report: DeactivationReport = { contacts: 0, invitationsCancelled: 0, registrationsCancelled: 0, failed: 0 };
  for (const contact of due) {
    try {
      const changed = contact.email ? await releaseInSessions(env, contact.orgId, contact.email, now) : [];
      await setStatus(env.DB, contact.orgId, contact.id, "deactivated", now);
      report.contacts++;
      for (const c of changed) {
        report.invitationsCancelled += c.invitationsCancelled;
        report.registrationsCancelled += c.registrationsCancelled;
      }
    } catch (error) {
      console.error(`deactivation of ${contact.id} failed`, error);
      report.failed++;
    }
  }
  return report;
}

/**
 * Marks a contact (de)activated. A deactivation also writes its `contact.deactivated` event to the
 * outbox in the same batch, and only if the contact was still active when the batch ran (two
 * deactivations racing announce one).
 */
async function setStatus(database: D1Database, orgId: string, id: string, status: "active" | "deactivated", now: Date) {
  const db = drizzle(database);
  const at = now.toISOString();
  const row = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, id)))
    .get();
  const event =
    status === "deactivated" && row ? contactEventRow(orgId, "contact.deactivated", { ...row, status: "deactivated" }, at) : null;
  await runBatch(database, [
    ...(event
      ? [
          database
            .prepare(
              `insert into webhook_outbox (id, org_id, type, data, created_at)
               select ?1, ?2, ?3, ?4, ?5 where exists (select 1 from contacts where id = ?6 and org_id = ?2 and status = 'active')`,
            )
            .bind(event.id, orgId, event.type, event.data, at, id),
        ]
      : []),
    database.prepare("update contacts set status = ?1, updated_at = ?2 where org_id = ?3 and id = ?4").bind(status, at, orgId, id),
    // A deactivated contact leaves its groups (its history stays).
    ...(status === "deactivated"
      ? [database.prepare("delete from group_members where org_id = ?1 and contact_id = ?2").bind(orgId, id)]
      : []),
  ]);
}

/**
 * Erases a contact's personal data: the row stays (so counts and history keep their shape) with
 * every personal field blank, out of its groups and of every list.
 */
export async function eraseContact(database: D1Database, orgId: string, id: string, now: Date): Promise<Outcome<{ id: string }>> {
  const db = drizzle(database);
  const at = now.toISOString();
  const [erased] = await db.batch([
    db
      .update(contacts)
      .set({
        email: null,
        emailKey: null,
        firstName: null,
        lastName: null,
        phone: null,
        externalId: null,
        notes: null,
        tags: [],
        search: "",
        status: "deactivated",
        erasedAt: at,
        updatedAt: at,
      })
      .where(and(eq(contacts.orgId, orgId), eq(contacts.id, id), sql`${contacts.erasedAt} is null`))
      .returning({ id: contacts.id }),
    db.delete(groupMembers).where(and(eq(groupMembers.orgId, orgId), eq(groupMembers.contactId, id))),
  ]);
  return erased.length ? ok({ id }) : fail("not_found", "No such contact.");
}

/**
 * Erases a contact everywhere: first its address from every session of the org (each ledger, then
 * D1's copies and the mail log, as privacy's erasure does), then the contact itself. A ledger that
 * fails throws before the contact is touched, so the contact stays whole and a retry finishes the
 * job (what was already erased is not found again).
 */
export async function eraseContactEverywhere(env: Env, orgId: string, id: string, clock: Clock): Promise<Outcome<{ id: string }>> {
  const row = await drizzle(env.DB)
    .select({ email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, id), sql`${contacts.erasedAt} is null`))
    .get();
  if (!row) return fail("not_found", "No such contact.");
  if (row.email) {
    const erased = await erasePerson(env, orgId, row.email, null, clock);
    if (!erased.ok) return erased;
  }
  return eraseContact(env.DB, orgId, id, clock.now());
}

export type ImportOutcome = { dryRun: boolean; applied: boolean; plan: ImportPlan };

/**
 * A CSV import: always planned first; a dry run stops there, a real run applies the plan when no
 * row is in error (all or nothing) and refuses with every row's verdict otherwise. Running the
 * same file again finds every row unchanged and writes nothing. People who joined a group assigned
 * to a program are invited to it.
 */
export async function importContacts(
  env: Env,
  orgId: string,
  input: { csv: string; dryRun: boolean; defaultCountry?: string; onlyEmptyFields?: boolean },
  now: Date,
): Promise<Outcome<ImportOutcome>> {
  const database = env.DB;
  const file = readCsv(input.csv);
  if (!file.ok) return fail("invalid_csv", file.message, { csv: file.problem });
  const keys = file.rows.flatMap((r) => (r.cells.email?.trim() ? [emailKey(r.cells.email)] : []));
  const externalIds = file.rows.flatMap((r) => (r.cells.externalId?.trim() ? [r.cells.externalId.trim()] : []));
  const plan = planImport(file.rows, await directoryFor(database, orgId, keys, externalIds), {
    defaultCountry: input.defaultCountry,
    onlyEmptyFields: input.onlyEmptyFields,
  });
  if (input.dryRun) return ok({ dryRun: true, applied: false, plan });
  if (plan.counts.error)
    return fail("import_has_errors", `${plan.counts.error} of ${plan.rows.length} rows have errors; nothing was imported.`, {
      result: { dryRun: false, applied: false, counts: plan.counts, newGroups: plan.newGroups, rows: plan.rows.map(publicRow) },
    });
  let joined: Membership[];
  try {
    joined = await applyImport(database, orgId, plan, now);
  } catch (error) {
    // Another import or edit wrote one of these addresses between the plan and the write.
    if (isUniqueViolation(error))
      return fail(
        "idempotency_conflict",
        "The directory changed while the file was being imported; nothing was imported. Run the import again.",
      );
    throw error;
  }
  await inviteJoined(env, orgId, joined, now);
  return ok({ dryRun: false, applied: true, plan });
}

export const publicRow = (row: ImportPlan["rows"][number]) => ({
  line: row.line,
  verdict: row.verdict,
  email: row.email,
  contactId: row.contactId,
  changes: row.changes,
  errors: row.errors,
});

export const importResult = ({ dryRun, applied, plan }: ImportOutcome) => ({
  dryRun,
  applied,
  counts: plan.counts,
  newGroups: plan.newGroups,
  rows: plan.rows.map(publicRow),
});
