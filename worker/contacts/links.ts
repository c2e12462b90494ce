// Every address invited or registered becomes (or matches) a contact of its org, and the
// invitation or registration keeps that contact's id. The D1 projection adds these statements to
// the batch that writes the rows, so a row and its contact land together or not at all.

import { newId } from "../ids/ids";
import { contactEventRow } from "../webhooks/contact-events";
import { DEFAULT_TYPE, emailKeyOf, searchText } from "./fields";
import { splitName } from "./service";

/** A projected invitation or registration, as far as its contact is concerned. */
export type LinkedRow = { id: string; orgId: string; email: string; name?: string | null; erasedAt?: string | null };

export type ContactSource = "invitation" | "registration";

type NewContact = {
  id: string;
  orgId: string;
  email: string;
  emailKey: string;
  firstName: string | null;
  lastName: string | null;
  search: string;
  createdFrom: ContactSource;
};

/**
 * The contacts to create if missing (one per org and address, the first row's name) and each
 * row's key; erased rows (no address) get none, and lose the one they had.
 */
export function contactLinks(rows: readonly LinkedRow[], source: ContactSource) {
  const contacts = new Map<string, NewContact>();
  const links: { id: string; orgId: string; emailKey: string }[] = [];
  const unlinked: string[] = [];
  for (const row of rows) {
    const emailKey = row.erasedAt || !row.email ? null : emailKeyOf({ email: row.email });
    if (!emailKey) {
      unlinked.push(row.id);
      continue;
    }
    links.push({ id: row.id, orgId: row.orgId, emailKey });
    const slot = `${row.orgId} ${emailKey}`;
    if (contacts.has(slot)) continue;
    const email = row.email.trim();
    const names = splitName(row.name ?? null);
    contacts.set(slot, {
      id: newId("con"),
      orgId: row.orgId,
      email,
      emailKey,
      ...names,
      search: searchText({ ...names, email }),
      createdFrom: source,
    });
  }
  return { contacts: [...contacts.values()], links, unlinked };
}

/**
 * The statements that create the missing contacts (an existing contact of that address, in any
 * state, is kept as it is) and set `contact_id` on the rows: to run after the rows are written,
 * in the same batch.
 */
export function contactLinkStatements(
  database: D1Database,
  table: "invitations" | "registrations",
  rows: readonly LinkedRow[],
  now: Date,
): D1PreparedStatement[] {
  const { contacts, links, unlinked } = contactLinks(rows, table === "invitations" ? "invitation" : "registration");
  const unlink = unlinked.length
    ? [
        database
          .prepare(`update ${table} set contact_id = null where id in (select value from json_each(?1)) and contact_id is not null`)
          .bind(JSON.stringify(unlinked)),
      ]
    : [];
  if (!links.length) return unlink;
  return [
    ...unlink,
    database
      .prepare(
        `insert into contacts (id, org_id, email, email_key, first_name, last_name, channel, locale, type, tags, status, search,
           created_at, updated_at, created_from)
         select r.value ->> 'id', r.value ->> 'orgId', r.value ->> 'email', r.value ->> 'emailKey', r.value ->> 'firstName',
           r.value ->> 'lastName', 'email', null, ?1, '[]', 'active', r.value ->> 'search', ?2, ?2, r.value ->> 'createdFrom'
         from json_each(?3) as r
         where true on conflict do nothing`,
      )
      .bind(DEFAULT_TYPE, now.toISOString(), JSON.stringify(contacts)),
    // Their contact.created events: only for the contacts this batch created (a new id exists
    // only if its insert was not skipped for an address already there).
    database
      .prepare(
        `insert into webhook_outbox (id, org_id, type, data, created_at)
         select e.value ->> 'id', e.value ->> 'orgId', e.value ->> 'type', e.value ->> 'data', e.value ->> 'createdAt'
         from json_each(?1) as e where exists (select 1 from contacts where id = e.value ->> 'contactId')`,
      )
      .bind(
        JSON.stringify(
          contacts.map((c) => ({
            ...contactEventRow(
              c.orgId,
              "contact.created",
              { ...c, type: DEFAULT_TYPE, status: "active", createdAt: now.toISOString() },
              now.toISOString(),
            ),
            contactId: c.id,
          })),
        ),
      ),
    database
      .prepare(
        `update ${table} set contact_id = c.id
         from json_each(?1) as l join contacts as c on c.org_id = l.value ->> 'orgId' and c.email_key = l.value ->> 'emailKey'
         where ${table}.id = l.value ->> 'id' and ${table}.contact_id is not c.id`,
      )
      .bind(JSON.stringify(links)),
  ];
}
