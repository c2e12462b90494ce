// A contact's history: every invitation and registration of its address across the org's sessions,
// read from D1's projection (registrations and invitations carry their org and address), newest
// session first. Erased records have lost the address, and with it their place here.

import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { contacts, invitations, registrations, sessions } from "../db/schema";
import { fail, type Outcome, ok } from "../errors/problem";
import { effectiveStatus } from "../invitations/lifecycle";
import type { InvitationStatus } from "../invitations/statuses";
import { sameAddress } from "../privacy/person";
import type { RegistrationStatus } from "../registrations/statuses";
import type { ContactHistoryItem } from "./schemas";

export async function contactHistory(
  database: D1Database,
  orgId: string,
  id: string,
  now: Date,
): Promise<Outcome<{ contactId: string; items: ContactHistoryItem[] }>> {
  const db = drizzle(database);
  const contact = await db
    .select({ email: contacts.email, erasedAt: contacts.erasedAt })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, id)))
    .get();
  if (!contact || contact.erasedAt) return fail("not_found", "No such contact.");
  if (!contact.email) return ok({ contactId: id, items: [] });
  const session = {
    sessionId: sessions.id,
    sessionTitle: sessions.title,
    startsAt: sessions.startsAt,
    sessionStatus: sessions.status,
    timeZone: sessions.timeZone,
  };
  const [invited, registered] = await Promise.all([
    db
      .select({
        ...session,
        id: invitations.id,
        status: invitations.status,
        createdAt: invitations.createdAt,
        sentAt: invitations.sentAt,
        expiresAt: invitations.expiresAt,
        updatedAt: invitations.updatedAt,
      })
      .from(invitations)
      .innerJoin(sessions, eq(sessions.id, invitations.sessionId))
      .where(and(eq(invitations.orgId, orgId), eq(sessions.orgId, orgId), sameAddress(invitations.email, contact.email))),
    db
      .select({
        ...session,
        id: registrations.id,
        status: registrations.status,
        createdAt: registrations.createdAt,
        cancelledAt: registrations.cancelledAt,
      })
      .from(registrations)
      .innerJoin(sessions, eq(sessions.id, registrations.sessionId))
      .where(and(eq(registrations.orgId, orgId), eq(sessions.orgId, orgId), sameAddress(registrations.email, contact.email))),
  ]);
  const items: ContactHistoryItem[] = [
    ...invited.map((i) => ({
      ...i,
      kind: "invitation" as const,
      status: effectiveStatus({ status: i.status as InvitationStatus, expiresAt: i.expiresAt }, now),
      cancelledAt: null,
    })),
    ...registered.map((r) => ({
      ...r,
      kind: "registration" as const,
      status: r.status as RegistrationStatus,
      sentAt: null,
      expiresAt: null,
      updatedAt: null,
    })),
  ];
  // Newest session first; within a session, the latest record first.
  items.sort((a, b) => b.startsAt.localeCompare(a.startsAt) || b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  return ok({ contactId: id, items });
}

/** A contact's newest invitation, as the contacts list shows it (seed 002: "Invite Pending", "Invite Expired"). */
export type LatestInvitation = { status: InvitationStatus; sessionId: string; sessionTitle: string };

/**
 * The newest invitation of each of these contacts (by the contact each invitation was matched to),
 * its status as a reader sees it now: one query for a page of the list.
 */
export async function latestInvitations(
  database: D1Database,
  orgId: string,
  contactIds: string[],
  now: Date,
): Promise<Map<string, LatestInvitation>> {
  if (!contactIds.length) return new Map();
  const rows = await database
    .prepare(
      `select contactId, status, expiresAt, sessionId, sessionTitle from (
         select i.contact_id as contactId, i.status, i.expires_at as expiresAt, s.id as sessionId, s.title as sessionTitle,
           row_number() over (partition by i.contact_id order by i.created_at desc, i.id desc) as n
         from invitations i join sessions s on s.id = i.session_id and s.org_id = i.org_id
         where i.org_id = ?1 and i.erased_at is null and i.contact_id in (select value from json_each(?2))
       ) where n = 1`,
    )
    .bind(orgId, JSON.stringify(contactIds))
    .all<{ contactId: string; status: InvitationStatus; expiresAt: string | null; sessionId: string; sessionTitle: string }>();
  return new Map(
    rows.results.map((r) => [r.contactId, { status: effectiveStatus(r, now), sessionId: r.sessionId, sessionTitle: r.sessionTitle }]),
  );
}
