// The directory in D1: contacts, groups and who is in which. Plain functions over the database;
// what to write was decided before (fields.ts, import.ts). Bulk writes travel as one JSON
// parameter per statement (json_each), so D1's limit on bound parameters never splits a batch
// and a batch stays one transaction.

import { and, asc, eq, exists, getTableColumns, gt, inArray, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { integer, sqliteTable } from "drizzle-orm/sqlite-core";
import { contacts, contactTags, groupMembers, groups } from "../db/schema";
import { newId } from "../ids/ids";
import { contactEventRow } from "../webhooks/contact-events";
import { outboxInserts } from "../webhooks/outbox";
import { type ContactRecord, type ContactStatus, emailKeyOf, searchText } from "./fields";
import { type Directory, type ExistingContact, groupNameKey, type ImportPlan } from "./import";
import { DRIVEN_PAGE_LIMIT, type SearchDriver, searchDriver, searchTerm, trigramPhrase } from "./search";

export type GroupRef = { id: string; name: string };

export type ContactView = ContactRecord & {
  id: string;
  groups: GroupRef[];
  status: ContactStatus;
  createdAt: string;
  updatedAt: string;
};

type ContactRow = typeof contacts.$inferSelect;

export const recordOf = (row: ContactRow): ContactRecord => ({
  email: row.email,
  firstName: row.firstName,
  lastName: row.lastName,
  phone: row.phone,
  channel: row.channel,
  locale: row.locale,
  type: row.type,
  tags: row.tags,
  externalId: row.externalId,
  notes: row.notes,
  deactivateAt: row.deactivateAt,
});

const viewOf = (row: ContactRow, groupRefs: GroupRef[]): ContactView => ({
  id: row.id,
  ...recordOf(row),
  groups: groupRefs,
  status: row.status,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const json = (value: unknown) => JSON.stringify(value);
const CHUNK = 500;
const chunks = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/** The groups of each of these contacts. */
async function groupsOf(database: D1Database, contactIds: string[]): Promise<Map<string, GroupRef[]>> {
  const out = new Map<string, GroupRef[]>();
  if (!contactIds.length) return out;
  const rows = await drizzle(database)
    .select({ contactId: groupMembers.contactId, id: groups.id, name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(sql`${groupMembers.contactId} in (select value from json_each(${json(contactIds)}))`)
    .orderBy(asc(groups.name));
  for (const r of rows) out.set(r.contactId, [...(out.get(r.contactId) ?? []), { id: r.id, name: r.name }]);
  return out;
}

export async function readContact(database: D1Database, orgId: string, id: string): Promise<ContactView | null> {
  const row = await drizzle(database)
    .select()
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, id), isNull(contacts.erasedAt)))
    .get();
  if (!row) return null;
  return viewOf(row, (await groupsOf(database, [row.id])).get(row.id) ?? []);
}

export type ContactQuery = {
  q?: string;
  group?: string;
  /** One type, or any of several (the admin's "membre" is also the stored "member"). */
  type?: string | string[];
  tag?: string;
  status?: ContactStatus;
  /** Only contacts with an email address (the admin's invitation search). */
  withEmail?: boolean;
  limit: number;
  cursor?: string;
};

/** SQLite's order for text (BINARY: UTF-8 bytes, i.e. code points), which JS's `<` is not past U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

/** The trigram index of contacts.search (migrations/0010_contact_search.sql), as far as queries need it. */
const contactSearch = sqliteTable("contact_search", { rowid: integer("rowid").notNull() });

/**
 * A contact's groups as one JSON text, so that a page of contacts comes with its groups in one
 * statement. Written out in full: drizzle leaves columns unqualified in a select list, where `id`
 * would be ambiguous.
 */
const groupsJson = sql<string>`(select json_group_array(json_object('id', g.id, 'name', g.name))
  from group_members m join groups g on g.id = m.group_id where m.contact_id = contacts.id)`;

const byName = [asc(contacts.lastName), asc(contacts.firstName), asc(contacts.id)];

/**
 * The statements of a page of contacts (search.ts decides which set to start from):
 * - `count`, every match: from the driver's candidates when there is one (a CROSS JOIN, so SQLite
 *   keeps that order), else through the org's index;
 * - `walkedPage` and `drivenPage`, the page (one more than asked, to know whether another follows;
 *   the cursor is the last row's sort key) with each contact's groups: walked in name order
 *   through contacts_org_list until full, or taken among the driver's candidates and sorted.
 * Every filter reads indexed columns, so contacts' rows are read only for the page itself.
 * Built apart from running them so that the benchmark can show their query plans.
 */
export function contactListStatements(db: DrizzleD1Database, orgId: string, query: ContactQuery) {
  const driver = searchDriver(query);
  const term = searchTerm(query.q);
  /** The filters, but for the one the driver already applies. */
  const filters = (applied: SearchDriver): SQL[] => {
    const list: SQL[] = [eq(contacts.orgId, orgId), isNull(contacts.erasedAt)];
    if (query.status) list.push(eq(contacts.status, query.status));
    if (query.withEmail) list.push(isNotNull(contacts.email));
    if (query.type) list.push(typeof query.type === "string" ? eq(contacts.type, query.type) : inArray(contacts.type, query.type));
    // EXISTS, probed per candidate: an IN list here would let SQLite start from it instead of
    // the driver (it carries contacts.id = list over to the join).
    if (query.tag && applied !== "tag")
      list.push(
        exists(
          db
            .select({ one: sql`1` })
            .from(contactTags)
            .where(and(eq(contactTags.orgId, orgId), eq(contactTags.tag, query.tag), eq(contactTags.contactId, contacts.id))),
        ),
      );
    if (query.group && applied !== "group")
      list.push(
        exists(
          db
            .select({ one: sql`1` })
            .from(groupMembers)
            .where(and(eq(groupMembers.groupId, query.group), eq(groupMembers.contactId, contacts.id))),
        ),
      );
    if (term && applied !== "text") list.push(sql`instr(${contacts.search}, ${term}) > 0`);
    return list;
  };
  /** The driver's candidates, and what joins them to their contacts. */
  const drive = {
    group: () => ({
      table: groupMembers,
      on: [eq(groupMembers.groupId, query.group ?? ""), eq(contacts.id, groupMembers.contactId)],
    }),
    tag: () => ({
      table: contactTags,
      on: [eq(contactTags.orgId, orgId), eq(contactTags.tag, query.tag ?? ""), eq(contacts.id, contactTags.contactId)],
    }),
    text: () => ({
      table: contactSearch,
      on: [sql`${contactSearch} match ${trigramPhrase(term ?? "")}`, sql`${contacts}.rowid = ${contactSearch}.rowid`],
    }),
  };
  const cursor = query.cursor
    ? [
        gt(
          sql`coalesce(${contacts.lastName}, '') || char(31) || coalesce(${contacts.firstName}, '') || char(31) || ${contacts.id}`,
          query.cursor,
        ),
      ]
    : [];
  const countAll = sql<number>`count(*)`.as("n");
  const source = driver ? drive[driver]() : null;
  /** Every match, counted: from the driver's candidates, or through the org's index. */
  const count = source
    ? db
        .select({ n: countAll })
        .from(source.table)
        .crossJoin(contacts)
        .where(and(...source.on, ...filters(driver)))
    : db
        .select({ n: countAll })
        .from(contacts)
        .where(and(...filters(null)));
  /** The page's ids walked in name order; with a driver, only when its count (t.n) is large. */
  const walkedIds = db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(...filters(null), ...cursor, ...(driver ? [sql`t.n > ${DRIVEN_PAGE_LIMIT[driver]}`] : [])))
    .orderBy(...byName)
    .limit(query.limit + 1);
  /** The page's ids picked among the driver's candidates and sorted, when they are few. */
  const drivenIds =
    source && driver
      ? db
          .select({ id: contacts.id })
          .from(source.table)
          .crossJoin(contacts)
          .where(and(...source.on, ...filters(driver), ...cursor, sql`t.n <= ${DRIVEN_PAGE_LIMIT[driver]}`))
          .orderBy(...byName)
          .limit(query.limit + 1)
      : null;
  const pageIds = drivenIds ? sql`(select id from ${drivenIds} union all select id from ${walkedIds})` : walkedIds;
  /**
   * One statement, one round trip: the count (t, one row) left-joined to the page's contacts, so
   * that an empty page still carries its count. Of the two ways to the page, each guarded by t.n,
   * only the one whose guard holds runs: a condition that reads no table of its loop is tested
   * once, before the loop.
   */
  const page = db
    .select({ total: sql<number>`t.n`, ...getTableColumns(contacts), groups: groupsJson })
    .from(sql`${count} as t`)
    .leftJoin(contacts, inArray(contacts.id, pageIds))
    .orderBy(...byName);
  return { driver, count, page };
}

/** Contacts in name order, filtered, a page at a time, with the count of every match. */
export async function listContacts(
  database: D1Database,
  orgId: string,
  query: ContactQuery,
): Promise<{ contacts: ContactView[]; total: number; nextCursor: string | null }> {
  const rows = await contactListStatements(drizzle(database), orgId, query).page;
  const total = rows[0]?.total ?? 0;
  const found = rows.flatMap(({ total: _, groups: groupList, ...row }) => (row.id === null ? [] : [{ row: row as ContactRow, groupList }]));
  const more = found.length > query.limit;
  const shown = found.slice(0, query.limit);
  const last = shown.at(-1)?.row;
  return {
    contacts: shown.map(({ row, groupList }) =>
      viewOf(
        row,
        (JSON.parse(groupList) as GroupRef[]).sort((a, b) => compareCodePoints(a.name, b.name)),
      ),
    ),
    total,
    nextCursor: more && last ? `${last.lastName ?? ""}\u001f${last.firstName ?? ""}\u001f${last.id}` : null,
  };
}

/** The part of the directory a set of addresses and external ids touches, for planning an import. */
export async function directoryFor(database: D1Database, orgId: string, emailKeys: string[], externalIds: string[]): Promise<Directory> {
  const db = drizzle(database);
  const rows = await db
    .select()
    .from(contacts)
    .where(
      and(
        eq(contacts.orgId, orgId),
        isNull(contacts.erasedAt),
        or(
          sql`${contacts.emailKey} in (select value from json_each(${json(emailKeys)}))`,
          sql`${contacts.externalId} in (select value from json_each(${json(externalIds)}))`,
        ),
      ),
    );
  const memberships = await groupsOf(
    database,
    rows.map((r) => r.id),
  );
  const allGroups = await db.select({ id: groups.id, name: groups.name }).from(groups).where(eq(groups.orgId, orgId));
  const directory: Directory = { byEmail: new Map(), byExternalId: new Map(), groupsById: new Map(), groupsByName: new Map() };
  for (const row of rows) {
    const existing: ExistingContact = {
      id: row.id,
      record: recordOf(row),
      groupIds: (memberships.get(row.id) ?? []).map((g) => g.id),
      status: row.status,
    };
    if (row.emailKey) directory.byEmail.set(row.emailKey, existing);
    if (row.externalId) directory.byExternalId.set(row.externalId, existing);
  }
  for (const group of allGroups) {
    directory.groupsById.set(group.id, group);
    directory.groupsByName.set(groupNameKey(group.name), group);
  }
  return directory;
}

type ContactWrite = { id: string; record: ContactRecord; status?: ContactStatus };

/**
 * Statements inserting new contacts, chunked, each chunk one statement followed by the outbox rows
 * of its `contact.created` events (so the events exist exactly when the contacts do).
 */
function insertContacts(database: D1Database, orgId: string, writes: ContactWrite[], now: string): D1PreparedStatement[] {
  return chunks(writes).flatMap((chunk) => {
    const rows = chunk.map(({ id, record, status }) => ({
      ...record,
      id,
      emailKey: emailKeyOf(record),
      search: searchText(record),
      status: status ?? "active",
      tags: json(record.tags),
    }));
    const insert = database
      .prepare(
        `insert into contacts (id, org_id, email, email_key, first_name, last_name, phone, channel, locale, type, tags,
           external_id, notes, deactivate_at, status, search, created_at, updated_at)
         select r.value ->> 'id', ?1, r.value ->> 'email', r.value ->> 'emailKey', r.value ->> 'firstName', r.value ->> 'lastName',
           r.value ->> 'phone', r.value ->> 'channel', r.value ->> 'locale', r.value ->> 'type', r.value ->> 'tags',
           r.value ->> 'externalId', r.value ->> 'notes', r.value ->> 'deactivateAt', r.value ->> 'status', r.value ->> 'search', ?2, ?2
         from json_each(?3) as r`,
      )
      .bind(orgId, now, json(rows));
    const events = rows.map((r) => contactEventRow(orgId, "contact.created", { ...r, createdAt: now }, now));
    return [insert, ...outboxInserts(database, events)];
  });
}

/** Statements updating contacts' own fields, chunked. */
function updateContacts(database: D1Database, orgId: string, writes: ContactWrite[], now: string): D1PreparedStatement[] {
  return chunks(writes).map((chunk) => {
    const rows = chunk.map(({ id, record }) => ({
      ...record,
      id,
      emailKey: emailKeyOf(record),
      search: searchText(record),
      tags: json(record.tags),
    }));
    return database
      .prepare(
        `update contacts set
           email = r.value ->> 'email', email_key = r.value ->> 'emailKey', first_name = r.value ->> 'firstName',
           last_name = r.value ->> 'lastName', phone = r.value ->> 'phone', channel = r.value ->> 'channel', locale = r.value ->> 'locale',
           type = r.value ->> 'type', tags = r.value ->> 'tags', external_id = r.value ->> 'externalId', notes = r.value ->> 'notes',
           deactivate_at = r.value ->> 'deactivateAt', search = r.value ->> 'search', updated_at = ?2
         from json_each(?3) as r
         where contacts.id = r.value ->> 'id' and contacts.org_id = ?1`,
      )
      .bind(orgId, now, json(rows));
  });
}

/** A contact in a group. */
export type Membership = { groupId: string; contactId: string };

/** Statements adding memberships (an existing one stays as it was); each returns those it added. */
export function addMemberships(database: D1Database, orgId: string, pairs: Membership[], now: string): D1PreparedStatement[] {
  return chunks(pairs).map((chunk) =>
    database
      .prepare(
        `insert into group_members (group_id, contact_id, org_id, added_at)
         select p.value ->> 'groupId', p.value ->> 'contactId', ?1, ?2 from json_each(?3) as p
         where true on conflict do nothing returning group_id as groupId, contact_id as contactId`,
      )
      .bind(orgId, now, json(chunk)),
  );
}

/**
 * Runs `statements`, then the membership statements of addMemberships, as one transaction (D1's
 * batch); returns the memberships that were new (people who just joined a group).
 */
export async function writeWithMemberships(
  database: D1Database,
  statements: D1PreparedStatement[],
  memberships: D1PreparedStatement[],
): Promise<Membership[]> {
  const all = [...statements, ...memberships];
  if (!all.length) return [];
  const results = await database.batch<Membership>(all);
  return results.slice(statements.length).flatMap((r) => r.results);
}

/** Runs statements as one transaction (D1's batch), none at all being fine. */
export async function runBatch(database: D1Database, statements: D1PreparedStatement[]) {
  if (statements.length) await database.batch(statements);
}

/** Applies an import plan in one transaction: new groups, new contacts, updates, memberships (the new ones returned). */
export async function applyImport(database: D1Database, orgId: string, plan: ImportPlan, now: Date): Promise<Membership[]> {
  const at = now.toISOString();
  const newGroupIds = new Map(plan.newGroups.map((name) => [name, newId("grp")]));
  const creates: ContactWrite[] = [];
  const updates: ContactWrite[] = [];
  const pairs: Membership[] = [];
  for (const row of plan.rows) {
    if (row.verdict === "error" || !row.record) continue;
    const id = row.contactId ?? newId("con");
    if (row.verdict === "create") creates.push({ id, record: row.record });
    else if (row.verdict === "update") updates.push({ id, record: row.record });
    for (const groupId of [...row.joinGroupIds, ...row.joinGroupNames.map((n) => newGroupIds.get(n)!)])
      pairs.push({ groupId, contactId: id });
  }
  const groupInserts = [...newGroupIds].map(([name, id]) =>
    database
      .prepare("insert into groups (id, org_id, name, name_key, created_at, updated_at) values (?1, ?2, ?3, ?4, ?5, ?5)")
      .bind(id, orgId, name, groupNameKey(name), at),
  );
  return writeWithMemberships(
    database,
    [...groupInserts, ...insertContacts(database, orgId, creates, at), ...updateContacts(database, orgId, updates, at)],
    addMemberships(database, orgId, pairs, at),
  );
}

/** Saves an edited contact; `groupIds`, when given, becomes its whole set of groups. Returns the groups it joined. */
export async function saveContact(
  database: D1Database,
  orgId: string,
  id: string,
  record: ContactRecord,
  groupIds: string[] | undefined,
  now: Date,
): Promise<Membership[]> {
  const at = now.toISOString();
  const statements = updateContacts(database, orgId, [{ id, record }], at);
  if (groupIds)
    statements.push(
      database
        .prepare("delete from group_members where contact_id = ?1 and group_id not in (select value from json_each(?2))")
        .bind(id, json(groupIds)),
    );
  const pairs = (groupIds ?? []).map((groupId) => ({ groupId, contactId: id }));
  return writeWithMemberships(database, statements, addMemberships(database, orgId, pairs, at));
}

/** Contacts of the org with these addresses (as `emailKey` folds them). */
export async function contactsByEmail(database: D1Database, orgId: string, keys: string[]) {
  if (!keys.length) return [];
  return drizzle(database)
    .select({ id: contacts.id, emailKey: contacts.emailKey })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), sql`${contacts.emailKey} in (select value from json_each(${json(keys)}))`));
}

/**
 * New contacts for these records, in one batch with their groups, and the existing contacts
 * `alsoJoining` added to the same groups: the new contacts' ids, in order, and who joined a group.
 */
export async function createContacts(
  database: D1Database,
  orgId: string,
  records: ContactRecord[],
  groupIds: string[],
  now: Date,
  alsoJoining: string[] = [],
): Promise<{ ids: string[]; joined: Membership[] }> {
  const at = now.toISOString();
  const writes = records.map((record) => ({ id: newId("con"), record }));
  const ids = writes.map((w) => w.id);
  const pairs = [...ids, ...alsoJoining].flatMap((contactId) => groupIds.map((groupId) => ({ groupId, contactId })));
  const joined = await writeWithMemberships(
    database,
    insertContacts(database, orgId, writes, at),
    addMemberships(database, orgId, pairs, at),
  );
  return { ids, joined };
}

/** The org's groups among these ids (to refuse an unknown or foreign one). */
export async function groupsIn(database: D1Database, orgId: string, ids: string[]): Promise<GroupRef[]> {
  if (!ids.length) return [];
  return drizzle(database)
    .select({ id: groups.id, name: groups.name })
    .from(groups)
    .where(and(eq(groups.orgId, orgId), inArray(groups.id, ids)));
}
