// Statements whose SQL is built once per store, not once per call: the single-row writes of the
// registration path, and the drain's reads and writes (reusedStatements, at the end).
//
// drizzle builds a statement's SQL text from its query tree every time it runs it; on the
// registration path that cost more CPU than SQLite writing the rows. A write here is built by
// drizzle the first time a row with the same set of columns is written (one placeholder per
// column), then only runs again with the new values, straight through the store's `exec` (so the
// store still counts it): drizzle's prepared queries would fill their placeholders and map their
// values again at every run. It is the statement drizzle would have built for that row: the
// columns left out get their defaults (or null) as before.

import { and, asc, type Column, eq, getTableColumns, getTableName, gt, inArray, is, Placeholder, type SQL, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as t from "./schema";

type Values = Record<string, unknown>;
/** A placeholder for each column (the row's columns only, in fact: drizzle asks a type of every one). */
type Placeholders<T extends SQLiteTable> = { [K in keyof T["$inferInsert"]]: SQL };

/** What a table's rows are bound with: its columns by name, checked once for JavaScript defaults. */
type TableColumns = { name: string; columns: Record<string, Column | undefined> };

/** A statement's SQL, and what it binds in order: a column's value by name, or a constant drizzle put there (a default). */
type Compiled = { text: string; binds: ({ name: string } | { value: unknown })[] };

/** The store's `exec` (ledger/store.ts): SQLite's, counted. */
export type Exec = (query: string, ...bindings: unknown[]) => SqlStorageCursor<Record<string, SqlStorageValue>>;

export class PreparedWrites {
  private readonly statements = new Map<string, Compiled>();
  private readonly tables = new Map<SQLiteTable, TableColumns>();

  constructor(
    private readonly db: DrizzleSqliteDODatabase<typeof t>,
    private readonly exec: Exec,
  ) {}

  /** Inserts one row. */
  insert<T extends SQLiteTable>(table: T, row: T["$inferInsert"]): void {
    const { key, names, values } = this.bind("insert", table, row);
    this.run(key, () => this.db.insert(table).values(placeholders<T>(names)), values);
  }

  /** Inserts one row unless a unique index refuses it (on conflict do nothing): whether it was inserted. */
  insertUnlessConflict<T extends SQLiteTable>(table: T, row: T["$inferInsert"]): boolean {
    const { key, names, values } = this.bind("insert unless conflict", table, row);
    const id = getTableColumns(table).id as SQLiteColumn;
    const inserted = this.run(
      key,
      () => this.db.insert(table).values(placeholders<T>(names)).onConflictDoNothing().returning({ id }),
      values,
    );
    return inserted.toArray().length > 0;
  }

  /** Sets these columns on every row of the table (the session table has one). */
  updateAll<T extends SQLiteTable>(table: T, set: Partial<T["$inferInsert"]>): void {
    const { key, names, values } = this.bind("update", table, set);
    this.run(key, () => this.db.update(table).set(placeholders<T>(names)), values);
  }

  private run(key: string, build: () => { toSQL(): { sql: string; params: unknown[] } }, values: Values) {
    let compiled = this.statements.get(key);
    if (!compiled) {
      const { sql: text, params } = build().toSQL();
      compiled = { text, binds: params.map((param) => (is(param, Placeholder) ? { name: param.name } : { value: param })) };
      this.statements.set(key, compiled);
    }
    return this.exec(compiled.text, ...compiled.binds.map((bind) => ("name" in bind ? values[bind.name] : bind.value)));
  }

  /**
   * The row's defined columns, and their values as SQLite receives them. A value is encoded the way
   * drizzle encodes it when it builds the statement (json as text, booleans as 0/1), and null stays
   * null: drizzle's own placeholders would pass null through the column's encoder (a json column
   * would get the text 'null', a boolean 0).
   */
  private bind<T extends SQLiteTable>(kind: string, table: T, row: Values) {
    const { name: tableName, columns } = this.columnsOf(table);
    const values: Values = {};
    const names: string[] = [];
    // In the row's own order: a row built by the same code has its columns in the same order.
    for (const name of Object.keys(row)) {
      const column = columns[name];
      const value = row[name];
      if (!column || value === undefined) continue;
      names.push(name);
      values[name] = value === null ? null : column.mapToDriverValue(value);
    }
    return { key: `${kind} ${tableName} ${names.join(",")}`, names, values };
  }

  /**
   * A default computed in JavaScript ($defaultFn, $onUpdateFn) would be computed once, when the
   * statement is built, and then written into every row: none of these tables has one, and any
   * that gains one is refused here, at its first write.
   */
  private columnsOf(table: SQLiteTable): TableColumns {
    let known = this.tables.get(table);
    if (!known) {
      const columns: Record<string, Column | undefined> = getTableColumns(table);
      const name = getTableName(table);
      for (const [column, definition] of Object.entries(columns))
        if (definition && (definition.defaultFn || definition.onUpdateFn))
          throw new Error(`${name}.${column} has a default computed in JavaScript: it cannot be written through a prepared statement`);
      known = { name, columns };
      this.tables.set(table, known);
    }
    return known;
  }
}

/** One placeholder per column, named after it: built only when a statement is first prepared. */
function placeholders<T extends SQLiteTable>(names: string[]): Placeholders<T> {
  return Object.fromEntries(names.map((name) => [name, sql`${sql.placeholder(name)}`])) as Placeholders<T>;
}

/** `in` this placeholder's JSON array: one statement for any number of values. */
const inJson = (name: string) => sql`(select value from json_each(${sql.placeholder(name)}))`;

/**
 * The reads and writes a drain makes after every burst of commits (and the session view's read of
 * its capacity changes), their SQL built once per store: drizzle would build each again at every
 * drain. Limits and id lists are bound: a list as one JSON array.
 */
export function reusedStatements(db: DrizzleSqliteDODatabase<typeof t>) {
  const limit = sql.placeholder("limit");
  const markProjected = (table: typeof t.registrations | typeof t.invitations) =>
    db
      .update(table)
      .set({ projectedVersion: sql`${sql.placeholder("version")}` })
      .where(and(inArray(table.id, inJson("ids")), eq(table.version, sql`${sql.placeholder("version")}`)))
      .prepare();
  return {
    staleRegistrations: db
      .select()
      .from(t.registrations)
      .where(gt(t.registrations.version, t.registrations.projectedVersion))
      .limit(limit)
      .prepare(),
    staleInvitations: db
      .select()
      .from(t.invitations)
      .where(gt(t.invitations.version, t.invitations.projectedVersion))
      .limit(limit)
      .prepare(),
    markProjected: { registrations: markProjected(t.registrations), invitations: markProjected(t.invitations) },
    capacityChanges: db.select().from(t.capacityChanges).orderBy(asc(t.capacityChanges.id)).prepare(),
    outboxMail: db.select().from(t.mailOutbox).orderBy(asc(t.mailOutbox.id)).limit(limit).prepare(),
    deleteOutboxMail: db
      .delete(t.mailOutbox)
      .where(inArray(t.mailOutbox.id, inJson("ids")))
      .prepare(),
    outboxEvents: db.select().from(t.eventOutbox).orderBy(asc(t.eventOutbox.id)).limit(limit).prepare(),
    deleteOutboxEvents: db
      .delete(t.eventOutbox)
      .where(inArray(t.eventOutbox.id, inJson("ids")))
      .prepare(),
    outboxRefunds: db.select().from(t.refundOutbox).orderBy(asc(t.refundOutbox.createdAt)).limit(limit).prepare(),
    deleteOutboxRefunds: db
      .delete(t.refundOutbox)
      .where(inArray(t.refundOutbox.registrationId, inJson("ids")))
      .prepare(),
  };
}
