// People chosen from the directory for an invitation: contacts by id and whole groups. The choice
// is decided by a plain function over the rows (decideChosen); loadChosen only reads them.

import { and, eq, isNotNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { contacts, groupMembers, groups } from "../db/schema";
import { type FieldError, fieldError } from "../errors/fields";
import { fail, type Outcome, ok } from "../errors/problem";
import type { Locale } from "../i18n/locales";
import { emailKey } from "./address";
import { personName } from "./parse";

/**
 * `phone_only`: a contact reached by SMS who has no email address. Sessions know people by their
 * address (invitations, registrations, one-time codes, the roster, erasure), so such a contact
 * cannot be invited until an address is added to it; their messages then still go by text.
 */
export const CHOSEN_SKIP_REASONS = ["no_email", "deactivated", "phone_only"] as const;
export type ChosenSkipReason = (typeof CHOSEN_SKIP_REASONS)[number];

/** A contact as the choice needs it; `groupId` is set when it came in through a group. */
export type ChosenRow = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  status: "active" | "deactivated";
  deactivateAt: string | null;
  channel: "email" | "sms";
  phone: string | null;
};

export type ChosenRows = {
  /** The org's contacts (not erased) among the ids asked for. */
  contacts: ChosenRow[];
  /** The org's groups among the ids asked for. */
  groupIds: string[];
  /** Members of those groups, each group's in name order. */
  members: (ChosenRow & { groupId: string })[];
};

/** `at`: the place among the chosen (1, 2…), which follows the pasted addresses' positions. */
export type ChosenPerson = { contactId: string; email: string; name: string | null; at: number };
export type ChosenSkip = { contactId: string; email: string; reason: ChosenSkipReason; at: number };
/** In the order asked: the contacts, then each group's members; a contact counted once. */
export type Chosen = { people: ChosenPerson[]; skipped: ChosenSkip[]; groupSizes: { id: string; size: number }[] };

/** Reached by SMS and by nothing else: no address to key an invitation by. */
export const phoneOnly = (row: { email: string | null; channel: string; phone: string | null }) =>
  !row.email && row.channel === "sms" && !!row.phone;

/** Deactivated already, or due to be (the hourly job may not have passed yet). */
const isDeactivated = (row: ChosenRow, now: Date) =>
  row.status === "deactivated" || (row.deactivateAt !== null && Date.parse(row.deactivateAt) <= now.getTime());

/**
 * Contacts and groups chosen for an invitation: an id that is not the org's (unknown, another
 * org's, erased) refuses the request, every one named; a contact without an address or
 * deactivated is skipped with its reason; a contact chosen twice (by id and through a group, or
 * in two groups) counts once.
 */
export function decideChosen(
  asked: { contactIds: readonly string[]; groupIds: readonly string[] },
  rows: ChosenRows,
  now: Date,
): Outcome<Chosen> {
  const byId = new Map(rows.contacts.map((r) => [r.id, r]));
  const ownGroups = new Set(rows.groupIds);
  const errors: FieldError[] = [
    ...asked.contactIds.flatMap((id, i) =>
      byId.has(id) ? [] : [fieldError(`contactIds.${i}`, "not_yours", `no contact ${id} in this org`, { id })],
    ),
    ...asked.groupIds.flatMap((id, i) =>
      ownGroups.has(id) ? [] : [fieldError(`groupIds.${i}`, "not_yours", `no group ${id} in this org`, { id })],
    ),
  ];
  if (errors.length)
    return fail(
      "validation_failed",
      `${errors.length} of the chosen contacts or groups are not this org's; nothing was created.`,
      undefined,
      errors,
    );
  const seen = new Set<string>();
  const chosen: Chosen = { people: [], skipped: [], groupSizes: [] };
  const take = (row: ChosenRow) => {
    if (seen.has(row.id)) return;
    seen.add(row.id);
    const at = seen.size;
    const reason = isDeactivated(row, now) ? "deactivated" : row.email ? null : phoneOnly(row) ? "phone_only" : "no_email";
    if (reason) chosen.skipped.push({ contactId: row.id, email: row.email ?? "", reason, at });
    else chosen.people.push({ contactId: row.id, email: row.email!, name: personName(row), at });
  };
  for (const id of asked.contactIds) take(byId.get(id)!);
  for (const id of new Set(asked.groupIds)) {
    const members = rows.members.filter((m) => m.groupId === id);
    chosen.groupSizes.push({ id, size: members.length });
    for (const member of members) take(member);
  }
  return ok(chosen);
}

const chosenColumns = {
  id: contacts.id,
  email: contacts.email,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  status: contacts.status,
  deactivateAt: contacts.deactivateAt,
  channel: contacts.channel,
  phone: contacts.phone,
};

const within = (column: unknown, ids: readonly string[]) => sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`;

/** The rows decideChosen needs: the org's own contacts and groups among the ids, and the groups' members. */
export async function loadChosen(
  database: D1Database,
  orgId: string,
  asked: { contactIds: readonly string[]; groupIds: readonly string[] },
): Promise<ChosenRows> {
  const db = drizzle(database);
  const [own, ownGroups, members] = await Promise.all([
    asked.contactIds.length
      ? db
          .select(chosenColumns)
          .from(contacts)
          .where(and(eq(contacts.orgId, orgId), sql`${contacts.erasedAt} is null`, within(contacts.id, asked.contactIds)))
      : [],
    asked.groupIds.length
      ? db
          .select({ id: groups.id })
          .from(groups)
          .where(and(eq(groups.orgId, orgId), within(groups.id, asked.groupIds)))
      : [],
    asked.groupIds.length
      ? db
          .select({ ...chosenColumns, groupId: groupMembers.groupId })
          .from(groupMembers)
          .innerJoin(contacts, eq(contacts.id, groupMembers.contactId))
          .where(
            and(
              eq(groupMembers.orgId, orgId),
              eq(contacts.orgId, orgId),
              sql`${contacts.erasedAt} is null`,
              within(groupMembers.groupId, asked.groupIds),
            ),
          )
          .orderBy(contacts.lastName, contacts.firstName, contacts.id)
      : [],
  ]);
  return { contacts: own, groupIds: ownGroups.map((g) => g.id), members };
}

/**
 * The language each of these addresses chose as a contact of the org (by `emailKey`; contacts
 * without one left out): an invitation speaks its recipient's language, whoever sends it.
 */
export async function contactLocales(database: D1Database, orgId: string, emails: readonly string[]): Promise<Record<string, Locale>> {
  if (emails.length === 0) return {};
  const keys = [...new Set(emails.map(emailKey))];
  const rows = await drizzle(database)
    .select({ key: contacts.emailKey, locale: contacts.locale })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), within(contacts.emailKey, keys), isNotNull(contacts.locale)))
    .all();
  return Object.fromEntries(rows.flatMap((r) => (r.key && r.locale ? [[r.key, r.locale]] : [])));
}
