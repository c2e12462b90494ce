// What the participant picker has chosen, and what that comes to: the contact and group ids the
// invitation endpoint takes, the people they name (a contact chosen alone and a whole group's
// members counted once) and their addresses. Plain functions, no DOM, no I/O.

import { personName, recipientOf } from "../../worker/recipients/parse";
import type { Body } from "../api/client";

export type Contact = Body<"/v1/contacts", "$get">["contacts"][number];
export type Group = Body<"/v1/groups", "$get">["groups"][number];

/** A contact as the picker keeps it. */
export type Person = { id: string; name: string | null; email: string | null };

/** A whole group, chosen as one: its active members as far as fetched, and how many it has in all. */
export type GroupChoice = { id: string; name: string; total: number; members: Person[] };

export type Selection = { contacts: ReadonlyMap<string, Person>; groups: ReadonlyMap<string, GroupChoice> };

/**
 * The `detail` of `rollcall-picked`. `<rollcall-invite>` sends `contactIds` and `groupIds` (the
 * endpoint reads a group's members as it sends); `recipients` carries every chosen person who has
 * an address ("Name" <address>), for a page that invites them its own way.
 */
export type Picked = {
  contactIds: string[];
  groupIds: string[];
  /** Everyone chosen, once each: the contacts chosen alone and the members of the groups chosen. */
  people: Person[];
  /** Members of a chosen group beyond those fetched (a group over the limit is not listed in full). */
  unlisted: number;
  /** Every chosen person who has an address, as the endpoint's `recipients` take them. */
  recipients: string[];
  /** How many people that is, `unlisted` included: what counts against the limit. */
  count: number;
  /** Chosen people without an email address: not invited by address. */
  withoutEmail: number;
};

export const EMPTY: Selection = { contacts: new Map(), groups: new Map() };

export const personOf = (contact: Contact): Person => ({ id: contact.id, name: personName(contact), email: contact.email });

/** How a person is shown and announced: their name, else their address. */
export const labelOf = (person: Person): string => person.name ?? person.email ?? person.id;

/** One address as the invitation endpoint parses it (the parser's own writing of it). */
export { recipientOf };

/** The selection with one contact in or out. */
export function toggleContact(selection: Selection, person: Person, on = !selection.contacts.has(person.id)): Selection {
  const contacts = new Map(selection.contacts);
  if (on) contacts.set(person.id, person);
  else contacts.delete(person.id);
  return { ...selection, contacts };
}

/** The selection with these contacts in (those already in stay). */
export function addContacts(selection: Selection, people: Person[]): Selection {
  const contacts = new Map(selection.contacts);
  for (const person of people) contacts.set(person.id, person);
  return { ...selection, contacts };
}

/** The selection with a whole group in, or out (by id). */
export function setGroup(selection: Selection, id: string, choice: GroupChoice | null): Selection {
  const groups = new Map(selection.groups);
  if (choice) groups.set(id, choice);
  else groups.delete(id);
  return { ...selection, groups };
}

/** What a selection comes to. */
export function picked(selection: Selection): Picked {
  const people = new Map<string, Person>();
  let unlisted = 0;
  for (const group of selection.groups.values()) {
    for (const member of group.members) people.set(member.id, member);
    unlisted += Math.max(0, group.total - group.members.length);
  }
  for (const person of selection.contacts.values()) people.set(person.id, person);
  const everyone = [...people.values()];
  const recipients = everyone.flatMap((p) => (p.email ? [recipientOf(p.name, p.email)] : []));
  return {
    contactIds: [...selection.contacts.keys()],
    groupIds: [...selection.groups.keys()],
    people: everyone,
    unlisted,
    recipients,
    count: everyone.length + unlisted,
    withoutEmail: everyone.length - recipients.length,
  };
}
