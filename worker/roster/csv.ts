// The roster as CSV: RFC 4180 quoting (papaparse), UTF-8 with a byte-order mark so spreadsheet
// programs read accents right, and cells that a spreadsheet would run as formulas defused.

import Papa from "papaparse";
import { type AnswerColumn, formatAnswer } from "../forms/display";
import { askedPrice, minorDigits, type Price } from "../sessions/price";
import { amountPaid, type RosterRow } from "./roster";

const FORMULA_START = /^[=+\-@\t\r]/;
const defuse = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

export const ROSTER_COLUMNS = [
  "group",
  "name",
  "email",
  "status",
  "waitlist_position",
  "source",
  "delivery",
  "invited_email",
  "flags",
  "created_at",
  "cancelled_at",
  "discount_code",
  "amount_due",
  "amount_paid",
  "currency",
  "payment_status",
  "refunded_amount",
  "price",
] as const;

/** An amount in minor units as a spreadsheet reads it: 2500 EUR is 25.00, 2500 JPY is 2500. */
function major(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return "";
  const digits = minorDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/**
 * The roster as CSV: the fixed columns, then one column per registration form field ever asked
 * (`answerColumns`, headed by its label), answers written as people read them. A row's `price` is
 * what it was asked before any discount (askedPrice, from its own and the session's `price`).
 */
export function rosterCsv(rows: RosterRow[], answerColumns: AnswerColumn[] = [], price: Price | null = null): string {
  const data = rows.map((r) =>
    [
      r.group,
      r.name,
      r.email,
      r.status,
      r.waitlistPosition ?? "",
      r.source,
      r.delivery ?? "",
      r.invitedEmail ?? "",
      r.flags.join(" "),
      r.createdAt,
      r.cancelledAt ?? "",
      r.discountCode ?? "",
      major(r.payment?.amountDue, r.payment?.currency ?? ""),
      major(amountPaid(r.payment), r.payment?.currency ?? ""),
      r.payment?.currency ?? "",
      r.payment?.status ?? "",
      major(r.payment?.refundedAmount, r.payment?.currency ?? ""),
      major(askedPrice(r.payment?.price ?? null, r.payment?.currency ?? null, price)?.amount, r.payment?.currency ?? ""),
      ...answerColumns.map((c) => {
        const value = r.answers?.[c.key];
        return value === undefined ? "" : formatAnswer(c.field, value, "en");
      }),
    ].map((v) => defuse(String(v))),
  );
  const fields = [...ROSTER_COLUMNS, ...answerColumns.map((c) => defuse(c.label))];
  return `\uFEFF${Papa.unparse({ fields, data }, { newline: "\r\n", quotes: false })}\r\n`;
}
