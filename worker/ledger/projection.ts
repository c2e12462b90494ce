// The D1 projection: copies of ledger rows for listing and search across sessions. The ledger
// hands rows to a ProjectionWriter after its commits; the D1 writer coalesces them into batches.

import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { contactLinkStatements } from "../contacts/links";
import * as d1 from "../db/schema";
import { type DiscountUse, discountUseStatements } from "../discounts/redemptions";

export type SessionRow = typeof d1.sessions.$inferInsert;
export type RegistrationRow = typeof d1.registrations.$inferInsert;
export type InvitationRow = typeof d1.invitations.$inferInsert;

export type ProjectionRows = {
  sessions: SessionRow[];
  registrations: RegistrationRow[];
  invitations: InvitationRow[];
  /** The discount uses of these registrations, kept in step with them (discounts/redemptions.ts). */
  discountUses?: DiscountUse[];
};

export interface ProjectionWriter {
  write(rows: ProjectionRows): Promise<void>;
}

// D1 binds at most 100 parameters per statement: multi-row inserts are cut to fit.
const MAX_PARAMS = 100;

function chunks<T extends object>(rows: T[]): T[][] {
  if (rows.length === 0) return [];
  const perRow = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Upsert every column but the key from `excluded`, i.e. the new row wins. */
function replaceAll(table: typeof d1.sessions | typeof d1.registrations | typeof d1.invitations, row: object) {
  const set: Record<string, unknown> = {};
  const columns = table as unknown as Record<string, { name: string }>;
  for (const key of Object.keys(row)) {
    if (key === "id") continue;
    set[key] = sql.raw(`excluded."${columns[key]!.name}"`);
  }
  return set;
}

/**
 * Writes the rows, then links each invitation and registration to the org's contact with its
 * address (creating the contact when there is none), in one batch.
 */
export function d1Projection(database: D1Database, now: () => Date = () => new Date()): ProjectionWriter {
  const db = drizzle(database);
  return {
    async write(rows) {
      const statements = [
        ...chunks(rows.sessions).map((c) =>
          db
            .insert(d1.sessions)
            .values(c)
            .onConflictDoUpdate({ target: d1.sessions.id, set: replaceAll(d1.sessions, c[0]!) }),
        ),
        ...chunks(rows.registrations).map((c) =>
          db
            .insert(d1.registrations)
            .values(c)
            .onConflictDoUpdate({ target: d1.registrations.id, set: replaceAll(d1.registrations, c[0]!) }),
        ),
        ...chunks(rows.invitations).map((c) =>
          db
            .insert(d1.invitations)
            .values(c)
            .onConflictDoUpdate({ target: d1.invitations.id, set: replaceAll(d1.invitations, c[0]!) }),
        ),
      ];
      const at = now();
      const links = [
        ...contactLinkStatements(database, "invitations", rows.invitations, at),
        ...contactLinkStatements(database, "registrations", rows.registrations, at),
        ...discountUseStatements(database, rows.discountUses ?? [], at),
      ];
      if (!statements.length) return;
      // One D1 batch (one transaction) for the rows and their contacts.
      const raw = statements.map((statement) => {
        const query = statement.toSQL();
        return database.prepare(query.sql).bind(...query.params);
      });
      await database.batch([...raw, ...links]);
    },
  };
}
