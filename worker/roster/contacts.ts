// Which contact of the directory each roster row is: the ledger knows people by address only, the
// D1 projection links each invitation and registration to its org's contact (contacts/links.ts).

/**
 * The contact id of each invitation and registration of a session that has one, by row id. A row
 * the projection has not written yet, or an erased one, has none.
 */
export async function rosterContactIds(db: D1Database, orgId: string, sessionId: string): Promise<Map<string, string>> {
  const { results } = await db
    .prepare(
      `select id, contact_id as contactId from registrations where org_id = ?1 and session_id = ?2 and contact_id is not null
       union all
       select id, contact_id as contactId from invitations where org_id = ?1 and session_id = ?2 and contact_id is not null`,
    )
    .bind(orgId, sessionId)
    .all<{ id: string; contactId: string }>();
  return new Map(results.map((r) => [r.id, r.contactId]));
}
