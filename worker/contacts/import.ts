// CSV import of contacts, planned as a pure function: the file read into rows (papaparse, which
// knows quoted fields, line breaks inside them and the delimiters spreadsheets export), then each
// row judged against the org's directory as it is. The dry run shows the plan; the real run
// applies that same plan, all or nothing.

import Papa from "papaparse";
import { emailKey } from "../recipients/address";
import { applyFields, type ContactRecord, changedFields, EMPTY_CONTACT, type FieldProblem, onlyMissing, readContactFields } from "./fields";

export const MAX_IMPORT_ROWS = 5000;

export const IMPORT_COLUMNS = [
  "email",
  "firstName",
  "lastName",
  "phone",
  "channel",
  "locale",
  "type",
  "tags",
  "groups",
  "deactivateAt",
  "externalId",
  "notes",
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];

/** The template offered for download: the header and one example row. */
export const IMPORT_TEMPLATE = `${IMPORT_COLUMNS.join(",")}\r\nada@example.org,Ada,Lovelace,+33612345678,email,en,trainee,evening|north,Cohort A,2027-06-30,ID-1,\r\n`;

export type CsvRow = { line: number; cells: Partial<Record<Column, string>> };
/** Why a file as a whole cannot be read: what the admin translates (the API also sends it as `csv`). */
export type CsvProblem =
  | { reason: "not_csv"; line: number; papaCode: string }
  | { reason: "empty" }
  | { reason: "unknown_columns"; columns: string[] }
  | { reason: "no_address_column" }
  | { reason: "too_many_rows"; rows: number; max: number };
export type CsvFile = { ok: true; rows: CsvRow[] } | { ok: false; problem: CsvProblem; message: string };

/** Line number (1-based) of each character offset, for rows whose fields may span lines. */
function lineCounter(text: string) {
  let offset = 0;
  let line = 1;
  return (to: number) => {
    for (; offset < to; offset++) if (text.charCodeAt(offset) === 10) line++;
    return line;
  };
}

/** A CSV text as rows of named cells, or why the file as a whole cannot be read. */
export function readCsv(input: string): CsvFile {
  const text = input.replace(/^\uFEFF/, "");
  const lineAt = lineCounter(text);
  const records: { start: number; data: string[] }[] = [];
  let start = 0;
  const parseErrors: { line: number; code: string; message: string }[] = [];
  Papa.parse<string[]>(text, {
    delimitersToGuess: [",", ";", "\t"],
    step: (result) => {
      const cursor = result.meta.cursor;
      records.push({ start, data: result.data });
      // "Unable to auto-detect delimiting character" (a one-column file) is no fault: "," it is.
      for (const e of result.errors.filter((e) => e.type !== "Delimiter"))
        parseErrors.push({ line: lineAt(start), code: e.code, message: e.message });
      start = cursor;
    },
  });
  const [first] = parseErrors;
  if (first)
    return {
      ok: false,
      problem: { reason: "not_csv", line: first.line, papaCode: first.code },
      message: `The file is not valid CSV (${parseErrors
        .slice(0, 3)
        .map((e) => `line ${e.line}: ${e.message}`)
        .join("; ")}).`,
    };
  const [header, ...body] = records;
  if (!header) return { ok: false, problem: { reason: "empty" }, message: "The file is empty: the first line must name the columns." };
  const names = header.data.map((h) => h.trim());
  const columns: (Column | null)[] = names.map((name) => IMPORT_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase()) ?? null);
  const unknown = names.filter((_, i) => columns[i] === null && names[i] !== "");
  if (unknown.length)
    return {
      ok: false,
      problem: { reason: "unknown_columns", columns: unknown },
      message: `Unknown column${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. The columns are: ${IMPORT_COLUMNS.join(", ")}.`,
    };
  if (!columns.includes("email") && !columns.includes("phone"))
    return {
      ok: false,
      problem: { reason: "no_address_column" },
      message: "The first line must name the columns, with at least email or phone.",
    };
  const rows: CsvRow[] = [];
  for (const record of body) {
    // Papa counts the newline that skips a blank line as a row of one empty cell.
    if (record.data.every((cell) => cell.trim() === "")) continue;
    const cells: CsvRow["cells"] = {};
    columns.forEach((column, i) => {
      if (column && record.data[i] !== undefined) cells[column] = record.data[i];
    });
    // Where the row starts: past the line break that ended the previous one.
    const at = text.startsWith("\r\n", record.start) ? record.start + 2 : text[record.start] === "\n" ? record.start + 1 : record.start;
    rows.push({ line: lineAt(at), cells });
  }
  if (rows.length > MAX_IMPORT_ROWS)
    return {
      ok: false,
      problem: { reason: "too_many_rows", rows: rows.length, max: MAX_IMPORT_ROWS },
      message: `The file has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} at a time.`,
    };
  return { ok: true, rows };
}

const multi = (cell: string) =>
  cell
    .split("|")
    .map((v) => v.trim())
    .filter(Boolean);

/** A row's cells in the API's shape: an empty cell leaves that field as it is. */
function cellsToFields(cells: CsvRow["cells"]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(cells) as [Column, string][]) {
    const cell = raw.trim();
    if (cell === "") continue;
    if (column === "tags" || column === "groups") fields[column] = multi(cell);
    else if (column === "channel" || column === "locale") fields[column] = cell.toLowerCase();
    else fields[column] = cell;
  }
  return fields;
}

export type ExistingContact = { id: string; record: ContactRecord; groupIds: string[]; status: "active" | "deactivated" };
export type ExistingGroup = { id: string; name: string };

export type Directory = {
  byEmail: Map<string, ExistingContact>;
  byExternalId: Map<string, ExistingContact>;
  groupsById: Map<string, ExistingGroup>;
  groupsByName: Map<string, ExistingGroup>;
};

export const groupNameKey = (name: string) => name.trim().normalize("NFC").toLowerCase();

export type RowVerdict = "create" | "update" | "unchanged" | "error";

export type PlannedRow = {
  line: number;
  verdict: RowVerdict;
  email: string | null;
  /** The contact updated or left unchanged. */
  contactId: string | null;
  /** The fields an update changes, and "groups" when it joins a group. */
  changes: string[];
  errors: FieldProblem[];
  /** The record to write (create and update). */
  record?: ContactRecord;
  /** Existing group ids and names of groups to create, that the contact joins. */
  joinGroupIds: string[];
  joinGroupNames: string[];
};

export type ImportPlan = {
  rows: PlannedRow[];
  /** Groups named in the file that do not exist yet (created by the real run). */
  newGroups: string[];
  counts: Record<RowVerdict, number>;
};

/**
 * Every row's verdict against `directory`. A row matches an existing contact by address, else by
 * externalId; an address that two rows share is an error on the later one, naming the first.
 * With `onlyEmptyFields`, an existing contact takes only the fields it has no value for.
 */
export function planImport(
  rows: CsvRow[],
  directory: Directory,
  options: { defaultCountry?: string | null; onlyEmptyFields?: boolean } = {},
): ImportPlan {
  const seen = new Map<string, number>();
  const newGroups = new Map<string, string>();
  const planned = rows.map((row): PlannedRow => {
    // Each cell on its own, so a row reports every bad cell and the good ones are still checked
    // together (a phone's format, an SMS contact's phone).
    const { value: fields, problems: errors } = readContactFields(cellsToFields(row.cells));
    const email = typeof row.cells.email === "string" && row.cells.email.trim() ? row.cells.email.trim() : null;
    const key = email ? emailKey(email) : null;
    const externalId = row.cells.externalId?.trim() || null;
    if (key) {
      const first = seen.get(key);
      if (first !== undefined)
        errors.push({
          field: "email",
          code: "duplicate_in_file",
          message: `is also on line ${first}; keep one row per person`,
          params: { line: first },
        });
      else seen.set(key, row.line);
    }
    const existing = (key && directory.byEmail.get(key)) || (!key && externalId && directory.byExternalId.get(externalId)) || undefined;
    const joinGroupIds: string[] = [];
    const joinGroupNames: string[] = [];
    for (const ref of fields.groups ?? []) {
      const byId = directory.groupsById.get(ref);
      const byName = directory.groupsByName.get(groupNameKey(ref));
      if (byId) joinGroupIds.push(byId.id);
      else if (byName) joinGroupIds.push(byName.id);
      else if (/^grp_/.test(ref))
        errors.push({ field: "groups", code: "group_not_found", message: `has no group with the id ${ref}`, params: { groups: ref } });
      else {
        if (!newGroups.has(groupNameKey(ref))) newGroups.set(groupNameKey(ref), ref);
        joinGroupNames.push(newGroups.get(groupNameKey(ref))!);
      }
    }
    // Filling in only what an existing contact lacks leaves the values it has alone.
    const wanted = existing && options.onlyEmptyFields ? onlyMissing(fields, existing.record) : fields;
    const applied = applyFields(existing?.record ?? EMPTY_CONTACT, wanted, options);
    if (!applied.ok) errors.push(...applied.problems.filter((p) => !errors.some((e) => e.field === p.field)));
    const base = { line: row.line, email, contactId: existing?.id ?? null, joinGroupIds: [...new Set(joinGroupIds)], joinGroupNames };
    if (errors.length || !applied.ok) return { ...base, verdict: "error", changes: [], errors };
    const joins = base.joinGroupIds.filter((id) => !existing?.groupIds.includes(id)).length + joinGroupNames.length;
    if (!existing) return { ...base, verdict: "create", changes: [], errors, record: applied.record };
    const changes: string[] = changedFields(existing.record, applied.record);
    if (joins) changes.push("groups");
    return { ...base, verdict: changes.length ? "update" : "unchanged", changes, errors, record: applied.record };
  });
  const counts: Record<RowVerdict, number> = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const row of planned) counts[row.verdict]++;
  // Groups only rows in error would have created are not created.
  const wanted = new Set(planned.filter((r) => r.verdict !== "error").flatMap((r) => r.joinGroupNames));
  return { rows: planned, newGroups: [...newGroups.values()].filter((name) => wanted.has(name)), counts };
}
