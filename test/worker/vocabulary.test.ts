// Each vocabulary is declared once, as a const array beside its concept. The D1 schema imports no
// other folder (everything else imports it), so where it spells a vocabulary out, these tests keep
// its words equal to the declared ones.
import { getTableColumns } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as d1 from "../../worker/db/schema";
import type { Locale } from "../../worker/i18n/locales";
import { LOCALES } from "../../worker/i18n/locales";
import { DELIVERY_STATUSES } from "../../worker/invitations/statuses";

describe("the D1 schema's words", () => {
  it("stores exactly the delivery statuses in the mail log", () => {
    expect(getTableColumns(d1.mailLog).status.enumValues).toEqual([...DELIVERY_STATUSES]);
  });

  it("types an org's default locale as one of the locales", () => {
    type Stored = NonNullable<d1.OrgSettings["defaultLocale"]>;
    const same: [Stored] extends [Locale] ? ([Locale] extends [Stored] ? true : false) : false = true;
    expect(same).toBe(true);
    expect(LOCALES).toEqual(["en", "fr"]);
  });

  it("stores exactly the locales as a contact's and a program's language", () => {
    expect(getTableColumns(d1.contacts).locale.enumValues).toEqual([...LOCALES]);
    expect(getTableColumns(d1.programs).locale.enumValues).toEqual([...LOCALES]);
  });
});
