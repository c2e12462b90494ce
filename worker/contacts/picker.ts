// What the invite modal's picker shows of a contact to a host (issue 17 item 2): the org's contacts
// to choose from, without what the org keeps for itself about them (its notes, its own reference).

import type { ContactView } from "./store";

export type Contact = ContactView;

/** A contact as a host's picker receives it. */
export function pickerView(contact: Contact): Contact {
  return { ...contact, notes: null, externalId: null };
}
