// The D1 projection: copies of ledger rows for listing and search across sessions. The ledger
// hands rows to a ProjectionWriter after its commits; the D1 writer coalesces them into batches.

import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
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

/** What one statement's rows weigh at most as JSON, well under D1's 2 MB for one bound value. */
const STATEMENT_JSON_BYTES = 512 * 1024;

type ProjectedTable = typeof d1.sessions | typeof d1.registrations | typeof d1.invitations;

/**
 * Upserts the rows (the new row wins, every column but the key), as few statements as it takes:
 * the rows travel as one JSON array bound to one parameter, each row an array of its values as
 * SQLite stores them, and `json_each` turns them back into rows. Built per table and set of columns
 * in plain SQL: drizzle's builder would build, for D1's 100 bound parameters, one statement per
 * handful of rows, and spend more CPU building them than D1 spends writing them.
 */
export function upsertStatements(database: D1Database, table: ProjectedTable, rows: readonly object[]): D1PreparedStatement[] {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn | undefined>;
  const groups = new Map<string, { names: string[]; encoded: string[] }>();
  for (const row of rows as readonly Record<string, unknown>[]) {
    const names = Object.keys(row).filter((name) => row[name] !== undefined);
    const values = names.map((name) => {
      const column = columns[name];
      if (!column) throw new Error(`${getTableName(table)} has no column ${name}`);
      const value = row[name];
      return value === null ? null : column.mapToDriverValue(value);
    });
    const key = names.join(",");
    const group = groups.get(key) ?? { names, encoded: [] };
    group.encoded.push(JSON.stringify(values));
    groups.set(key, group);
  }
  const statements: D1PreparedStatement[] = [];
  for (const { names, encoded } of groups.values()) {
    const sqlNames = names.map((name) => `"${columns[name]!.name}"`);
    const set = sqlNames.filter((name) => name !== `"id"`).map((name) => `${name} = excluded.${name}`);
    const text =
      `insert into "${getTableName(table)}" (${sqlNames.join(", ")}) ` +
      `select ${sqlNames.map((_, i) => `r.value ->> ${i}`).join(", ")} from json_each(?1) as r where true ` +
      `on conflict ("id") ${set.length ? `do update set ${set.join(", ")}` : "do nothing"}`;
    let chunk: string[] = [];
    let bytes = 0;
    const flush = () => {
      if (chunk.length) statements.push(database.prepare(text).bind(`[${chunk.join(",")}]`));
      chunk = [];
      bytes = 0;
    };
    for (const row of encoded) {
      if (bytes + row.length > STATEMENT_JSON_BYTES) flush();
      chunk.push(row);
      bytes += row.length + 1;
    }
    flush();
  }
  return statements;
}

/**
 * Writes the rows, then links each invitation and registration to the org's contact with its
 * address (creating the contact when there is none), in one batch.
 */
export function d1Projection(database: D1Database, now: () => Date = () => new Date()): ProjectionWriter {
  return {
    async write(rows) {
      const statements = [
        ...upsertStatements(database, d1.sessions, rows.sessions),
        ...upsertStatements(database, d1.registrations, rows.registrations),
        ...upsertStatements(database, d1.invitations, rows.invitations),
      ];
      const at = now();
      const links = [
        ...contactLinkStatements(database, "invitations", rows.invitations, at),
        ...contactLinkStatements(database, "registrations", rows.registrations, at),
        ...discountUseStatements(database, rows.discountUses ?? [], at),
      ];
      if (!statements.length) return;
      // One D1 batch (one transaction) for the rows and their contacts.
      await database.batch([...statements, ...links]);
    },
  };
}
