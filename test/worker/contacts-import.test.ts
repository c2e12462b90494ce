// CSV import planning, on files as spreadsheets really export them (test/fixtures: a French Excel
// export with a byte-order mark and semicolons, a Google Sheets export with CRLF).
import { describe, expect, it } from "vitest";
import { EMPTY_CONTACT, readContactFields } from "../../worker/contacts/fields";
import { type Directory, planImport, readCsv } from "../../worker/contacts/import";
import excelFr from "../fixtures/contacts-excel-fr.csv?raw";
import googleEn from "../fixtures/contacts-google-en.csv?raw";

const emptyDirectory = (): Directory => ({ byEmail: new Map(), byExternalId: new Map(), groupsById: new Map(), groupsByName: new Map() });

describe("readContactFields", () => {
  it("gives the first problem of each field, with its code, and the fields that pass", () => {
    const read = readContactFields({
      firstName: "a".repeat(101),
      type: "",
      tags: ["a|b"],
      groups: Array.from({ length: 51 }, (_, i) => `Group ${i}`),
      notes: "bell\u0007",
    });
    expect(read.problems.map((p) => [p.field, p.code, p.params])).toEqual([
      ["firstName", "too_long", { max: 100 }],
      ["type", "required", undefined],
      ["tags", "has_separator", undefined],
      ["groups", "too_many", { max: 50 }],
      ["notes", "not_plain_text", undefined],
    ]);
    // The fields that pass are read all the same, so the rules across fields can still run on them.
    expect(readContactFields({ email: "ada@example.org", deactivateAt: "2027-06-30", type: "" })).toEqual({
      value: { email: "ada@example.org", deactivateAt: "2027-06-30T00:00:00.000Z" },
      problems: [{ field: "type", code: "required", message: expect.any(String) }],
    });
  });
});

describe("readCsv", () => {
  it("reads a French Excel export: BOM, semicolons, accents, a quoted ; and a line break inside a field", () => {
    const file = readCsv(excelFr);
    if (!file.ok) throw new Error(file.message);
    expect(file.rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(file.rows[0]!.cells).toMatchObject({
      email: "chloe.dubois@example.org",
      firstName: "Chloé",
      notes: "Allergie aux arachides; vient en bus",
    });
    expect(file.rows[2]!.cells).toMatchObject({ email: "o'brien@example.org", firstName: "Siobhán", notes: "Two lines:\nsecond line" });
  });

  it("numbers the rows after a field that spans lines by the line they start on", () => {
    const file = readCsv('email,notes\r\na@example.org,"one\r\ntwo\r\nthree"\r\nb@example.org,\r\n');
    if (!file.ok) throw new Error(file.message);
    expect(file.rows.map((r) => [r.line, r.cells.email])).toEqual([
      [2, "a@example.org"],
      [5, "b@example.org"],
    ]);
  });

  it("refuses an unknown column, naming it and the columns it knows", () => {
    const file = readCsv("email,shoeSize\na@example.org,42\n");
    expect(file).toEqual({
      ok: false,
      problem: { reason: "unknown_columns", columns: ["shoeSize"] },
      message: expect.stringContaining("Unknown column: shoeSize. The columns are: email, firstName"),
    });
  });

  it("refuses more than 5,000 rows", () => {
    const rows = Array.from({ length: 5001 }, (_, i) => `p${i}@example.org`).join("\n");
    expect(readCsv(`email\n${rows}\n`)).toEqual({
      ok: false,
      problem: { reason: "too_many_rows", rows: 5001, max: 5000 },
      message: expect.stringContaining("5001 rows; at most 5000"),
    });
  });
});

describe("planImport", () => {
  it("plans the French export: phones in E.164, | multi-values, groups created by name", () => {
    const file = readCsv(excelFr);
    if (!file.ok) throw new Error(file.message);
    const plan = planImport(file.rows, emptyDirectory());
    expect(plan.counts).toEqual({ create: 3, update: 0, unchanged: 0, error: 0 });
    expect(plan.rows[0]!.record).toMatchObject({
      phone: "+33612345678",
      channel: "sms",
      locale: "fr",
      type: "trainee",
      tags: ["photographie", "nord"],
      externalId: "ID 5162",
      deactivateAt: "2027-06-30T00:00:00.000Z",
    });
    expect(plan.rows[2]!.record).toMatchObject({ phone: "+353851234567", type: "mentor" });
    expect(plan.newGroups).toEqual(["Cohorte A", "Cohorte B", "Mentors"]);
  });

  it("plans the Google export: a local phone read with the default country, the repeated address and the bad one in error with their lines", () => {
    const file = readCsv(googleEn);
    if (!file.ok) throw new Error(file.message);
    const plan = planImport(file.rows, emptyDirectory(), { defaultCountry: "US" });
    expect(plan.rows.map((r) => [r.line, r.verdict])).toEqual([
      [2, "create"],
      [3, "error"],
      [4, "error"],
    ]);
    expect(plan.rows[0]!.record?.phone).toBe("+14155550123");
    expect(plan.rows[1]!.errors).toEqual([
      { field: "email", code: "duplicate_in_file", message: "is also on line 2; keep one row per person", params: { line: 2 } },
    ]);
    expect(plan.rows[2]!.errors).toEqual([
      {
        field: "email",
        code: "email_invalid",
        message: expect.stringContaining("is not a valid email address"),
        params: { reason: "no_at" },
      },
    ]);
  });

  it("names a phone without a country code when no default country is given", () => {
    const file = readCsv(googleEn);
    if (!file.ok) throw new Error(file.message);
    const plan = planImport(file.rows, emptyDirectory());
    expect(plan.rows[0]!.errors).toEqual([
      { field: "phone", code: "phone_needs_country", message: expect.stringContaining("must start with + and the country code") },
    ]);
  });

  it("reports every error of a row, not only the first", () => {
    const file = readCsv("email,phone,channel,locale\nnope,12,fax,de\n");
    if (!file.ok) throw new Error(file.message);
    const fields = planImport(file.rows, emptyDirectory()).rows[0]!.errors.map((e) => e.field);
    expect(fields.sort()).toEqual(["channel", "email", "locale", "phone"]);
  });

  it("names each problem with a stable code and what its sentence names", () => {
    const longTag = "t".repeat(41);
    const file = readCsv(
      `email,firstName,phone,channel,locale,tags,deactivateAt\nnope,Ada,12,fax,de,${longTag},soon\nada@example.org,"Ada\nLovelace"\n`,
    );
    if (!file.ok) throw new Error(file.message);
    const [first, second] = planImport(file.rows, emptyDirectory()).rows;
    const codes = (row: typeof first) => Object.fromEntries(row!.errors.map((e) => [e.field, [e.code, e.params]]));
    expect(codes(first)).toEqual({
      email: ["email_invalid", { reason: "no_at" }],
      phone: ["phone_needs_country", undefined],
      channel: ["not_an_option", { options: "email, sms" }],
      locale: ["not_an_option", { options: "en, fr" }],
      tags: ["too_long", { max: 40 }],
      deactivateAt: ["not_a_date", undefined],
    });
    expect(codes(second)).toEqual({ firstName: ["not_one_line", undefined] });
  });

  it("judges rows against the directory: unchanged when equal, update naming the changed fields, blank cells left alone", () => {
    const directory = emptyDirectory();
    directory.byEmail.set("ada@example.org", {
      id: "con_1",
      status: "active",
      groupIds: [],
      record: {
        email: "ada@example.org",
        firstName: "Ada",
        lastName: "Lovelace",
        phone: null,
        channel: "email",
        locale: "en",
        type: "member",
        tags: ["b", "a"],
        externalId: null,
        notes: "keep me",
        deactivateAt: null,
      },
    });
    const file = readCsv("email,firstName,lastName,tags,notes\nADA@example.org,Ada,Lovelace,a|b,\nada2@example.org,Ada,Two,,\n");
    if (!file.ok) throw new Error(file.message);
    expect(planImport(file.rows, directory).rows.map((r) => r.verdict)).toEqual(["unchanged", "create"]);
    const changed = readCsv("email,firstName\nada@example.org,Augusta\n");
    if (!changed.ok) throw new Error(changed.message);
    const row = planImport(changed.rows, directory).rows[0]!;
    expect(row).toMatchObject({ verdict: "update", contactId: "con_1", changes: ["firstName"] });
    expect(row.record?.notes).toBe("keep me");
  });

  it("fills in only what an existing contact lacks when asked, keeping the values it has", () => {
    const directory = emptyDirectory();
    directory.groupsByName.set("cohort a", { id: "grp_a", name: "Cohort A" });
    directory.byEmail.set("ada@example.org", {
      id: "con_1",
      status: "active",
      groupIds: [],
      record: { ...EMPTY_CONTACT, email: "ada@example.org", firstName: "Ada", tags: ["kept"], locale: "en" },
    });
    const file = readCsv(
      "email,firstName,lastName,phone,locale,type,tags,groups\nada@example.org,Augusta,Lovelace,+33612345678,fr,mentor,new,Cohort A\n",
    );
    if (!file.ok) throw new Error(file.message);
    const [row] = planImport(file.rows, directory, { onlyEmptyFields: true }).rows;
    // Empty before (last name, phone) or a default (the type member): filled; set (first name, language, tags): kept; the group joined.
    expect(row).toMatchObject({ verdict: "update", changes: ["lastName", "phone", "type", "groups"] });
    expect(row!.record).toMatchObject({
      firstName: "Ada",
      lastName: "Lovelace",
      phone: "+33612345678",
      locale: "en",
      type: "mentor",
      tags: ["kept"],
    });
    // Without the option the file's values win.
    expect(planImport(file.rows, directory).rows[0]!.record).toMatchObject({ firstName: "Augusta", locale: "fr", tags: ["new"] });
    // A contact that has everything the file gives is left unchanged.
    const same = readCsv("email,firstName\nada@example.org,Someone else\n");
    if (!same.ok) throw new Error(same.message);
    expect(planImport(same.rows, directory, { onlyEmptyFields: true }).rows[0]!.verdict).toBe("unchanged");
  });

  it("refuses a group id that is not the org's", () => {
    const file = readCsv("email,groups\na@example.org,grp_00000000000000000000\n");
    if (!file.ok) throw new Error(file.message);
    expect(planImport(file.rows, emptyDirectory()).rows[0]!.errors).toEqual([
      {
        field: "groups",
        code: "group_not_found",
        message: "has no group with the id grp_00000000000000000000",
        params: { groups: "grp_00000000000000000000" },
      },
    ]);
  });
});
