// GET /v1/sessions/{id}/roster and roster.csv.

import { createRoute, z } from "@hono/zod-openapi";
import { orgAccess } from "../auth/middleware";
import { unwrap } from "../errors/problem";
import { answerColumns } from "../forms/display";
import { AnswerValue, FormViewSchema } from "../forms/schema";
import { router } from "../http/app";
import { AUTH_PROBLEMS, jsonResponse, problems } from "../http/openapi";
import { DELIVERY_STATUSES, INVITATION_STATUSES } from "../invitations/statuses";
import { RegistrationPayment } from "../registrations/schemas";
import { REGISTRATION_SOURCES, REGISTRATION_STATUSES } from "../registrations/statuses";
import { adminLedger } from "../sessions/ledger-client";
import { SessionParam, SessionSchema } from "../sessions/schemas";
import { withHost } from "../sessions/service";
import { SMS_FALLBACKS } from "../sms/channel";
import { invitationChannelsOf } from "../sms/log";
import { rosterContactIds } from "./contacts";
import { rosterCsv } from "./csv";
import { rosterFilename } from "./filename";
import { ROSTER_FLAGS, ROSTER_GROUPS } from "./groups";
import { rosterPayments, rosterRows } from "./roster";

const RosterRowSchema = z
  .object({
    group: z.enum(ROSTER_GROUPS),
    kind: z.enum(["registration", "invitation"]),
    id: z.string(),
    name: z.string(),
    email: z.string(),
    status: z.enum([...REGISTRATION_STATUSES, ...INVITATION_STATUSES.filter((st) => st !== "accepted")]),
    waitlistPosition: z.number().int().nullable(),
    source: z.enum([...REGISTRATION_SOURCES, "invitation_holding_seat"]),
    delivery: z.enum(DELIVERY_STATUSES).nullable(),
    invitedEmail: z.string().nullable(),
    flags: z.array(z.enum(ROSTER_FLAGS)),
    createdAt: z.string(),
    cancelledAt: z.string().nullable(),
    sendAt: z.string().nullable().openapi({ description: "When a scheduled invitation goes out; null on every other row." }),
    answers: z
      .record(z.string(), AnswerValue)
      .nullable()
      .openapi({ description: "A registration's answers to the registration form, keyed by field key; null on invitations." }),
    formVersion: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The form version (in `formVersions`) the answers were given against." }),
    discountCode: z.string().nullable().openapi({
      description: "The registration's discount code, or the one the invitation offers (from the org's `/v1/discount-codes`).",
    }),
    payment: RegistrationPayment.nullable().openapi({
      description:
        "A registration's money in a priced session: what it owes (the price less its discount), and whether that is pending, paid, refund_due, refunded or unpaid. Null on invitations and free registrations.",
    }),
    contactId: z.string().nullable().openapi({
      description: "The person's contact in the directory (`con_…`), when the row is linked to one; null for an erased row.",
      example: "con_0h4k8m2q9rvt3x7c1a5d",
    }),
    channel: z
      .enum(["email", "sms"])
      .nullable()
      .openapi({
        description:
          "On an invitation whose person chose SMS: how its latest message went, `sms` or `email` (see `smsFallback`). " +
          "Null on every other row, and before any message went.",
      }),
    smsFallback: z
      .enum(SMS_FALLBACKS)
      .nullable()
      .openapi({
        description:
          "Why a person who chose SMS got an email instead: `no_phone` (no number on their contact), `invalid_phone`, " +
          "`opted_out` (their number replied STOP). Null when the message went by SMS, and on every other row.",
      }),
  })
  .openapi("RosterRow");

const RosterMailSchema = z
  .object({
    waiting: z.number().int().openapi({ description: "Emails held back for more than a minute: the mail queue is not taking them." }),
    failed: z
      .number()
      .int()
      .openapi({ description: "Emails that could not be sent; `POST /v1/sessions/{id}/mail/redrive` sends them again." }),
  })
  .openapi("RosterMail");

const RosterPaymentsSchema = z
  .object({
    currency: z.string().openapi({ example: "EUR" }),
    paid: z.number().int().openapi({
      description: "Every payment taken, in minor units: registrations paid, including those owed or made back since.",
      example: 4750,
    }),
    refunded: z.number().int().openapi({ description: "What went back, in minor units.", example: 2500 }),
    net: z.number().int().openapi({ description: "What stays paid so far: `paid` less `refunded`.", example: 2250 }),
  })
  .openapi("RosterPayments");

const roster = createRoute({
  method: "get",
  path: "/sessions/{id}/roster",
  operationId: "getRoster",
  tags: ["Roster"],
  summary: "Registrations and invitations of a session, grouped",
  ...orgAccess("roster:read"),
  request: { params: SessionParam },
  responses: {
    200: jsonResponse(
      z
        .object({
          session: SessionSchema,
          rows: z.array(RosterRowSchema),
          mail: RosterMailSchema,
          formVersions: z.array(FormViewSchema).openapi({
            description: "Every version of the registration form, oldest first: a removed field's answers keep their label.",
          }),
          payments: z.array(RosterPaymentsSchema).openapi({
            description:
              "The money of a priced session's registrations, per currency (one, unless the price changed currency): paid, refunded, and what stays paid. Empty for a free session.",
          }),
        })
        .openapi("Roster"),
      "The roster",
    ),
    ...problems(...AUTH_PROBLEMS, "not_found", "session_not_found", "token_wrong_session"),
  },
});

const rosterCsvRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/roster.csv",
  operationId: "exportRosterCsv",
  tags: ["Roster"],
  summary: "The roster as CSV (UTF-8, RFC 4180)",
  description:
    "A download named after the session: its title and its date in its zone, e.g. `forest-camp-week-1-2031-07-05.csv`. " +
    "Amounts are in the currency's major unit (`25.00`): `price` (the session's when the registration's amount was set), `amount_due` (less the discount of `discount_code`), " +
    "`amount_paid`, `refunded_amount`; cells a spreadsheet would run as a formula start with `'`.",
  ...orgAccess("roster:read"),
  request: { params: SessionParam },
  responses: {
    200: { content: { "text/csv": { schema: z.string() } }, description: "CSV" },
    ...problems(...AUTH_PROBLEMS, "not_found", "session_not_found", "token_wrong_session"),
  },
});

export const rosterRoutes = router()
  .openapi(roster, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    const { session, registrations, invitations, mail, formVersions } = unwrap(await ledger.roster(org.orgId));
    const [contactIds, channels, hosted] = await Promise.all([
      rosterContactIds(c.env.DB, org.orgId, session.id),
      invitationChannelsOf(c.env.DB, session.id),
      withHost(c.env.DB, org.orgId, session),
    ]);
    const rows = rosterRows(registrations, invitations, contactIds, channels);
    return c.json({ session: unwrap(hosted), rows, mail, formVersions, payments: rosterPayments(rows) }, 200);
  })
  .openapi(rosterCsvRoute, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    const { session, registrations, invitations, formVersions } = unwrap(await ledger.roster(org.orgId));
    const filename = rosterFilename(session);
    return c.body(rosterCsv(rosterRows(registrations, invitations), answerColumns(formVersions), session.price), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
    });
  });
