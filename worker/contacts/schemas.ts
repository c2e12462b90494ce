// Request and response shapes of the directory (contacts and groups): they validate at the edge
// and are the OpenAPI document; the admin's forms and the widget's picker use the same ones.

import { z } from "@hono/zod-openapi";
import { because } from "../errors/fields";
import { fieldErrorParts } from "../http/openapi";
import { isPlainText, PLAIN_TEXT } from "../http/text";
import { INVITATION_STATUSES } from "../invitations/statuses";
import { MAX_RECIPIENTS } from "../recipients/parse";
import { REGISTRATION_STATUSES } from "../registrations/statuses";
import { SESSION_STATUSES } from "../sessions/statuses";
import { CONTACT_STATUSES, contactFieldShape } from "./fields";
import { MAX_IMPORT_ROWS } from "./import";

const GroupId = z.string().regex(/^grp_[0-9a-z]{20}$/, "not a group id");
const ContactId = z.string().regex(/^con_[0-9a-z]{20}$/, "not a contact id");
const Country = z
  .string()
  .regex(/^[A-Z]{2}$/, "must be a two-letter country code such as FR or US")
  .openapi({ description: "Reads phone numbers written without + and a country code as numbers of this country.", example: "FR" });

export const GroupRefSchema = z.object({ id: z.string(), name: z.string() }).openapi("GroupRef");

export const ContactSchema = z
  .object({
    id: z.string().openapi({ example: "con_0h4k8m2q9rvt3x7c1a5d" }),
    email: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    phone: z.string().nullable(),
    channel: contactFieldShape.channel,
    locale: contactFieldShape.locale,
    type: z.string(),
    tags: z.array(z.string()),
    groups: z.array(GroupRefSchema),
    externalId: z.string().nullable(),
    notes: z.string().nullable(),
    deactivateAt: z.string().nullable(),
    status: z.enum(CONTACT_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Contact");

/** One contact, every field set directly ("set an account"): nothing is sent to the person. */
export const OneContactBody = z
  .object({ ...contactFieldShape, defaultCountry: Country })
  .partial()
  .strict()
  .openapi("NewContact");

/** Addresses as a person pastes them (the invitations' parser), into groups if given. */
export const PastedContactsBody = z
  .object({
    recipients: z
      .union([z.string().max(100_000), z.array(z.string().max(320)).max(MAX_RECIPIENTS * 2)])
      .openapi({ description: `Up to ${MAX_RECIPIENTS} addresses, as pasted.` }),
    groupIds: z.array(GroupId).max(50).optional(),
    type: contactFieldShape.type.optional(),
    deactivateAt: contactFieldShape.deactivateAt.optional(),
  })
  .strict()
  .openapi("PastedContacts");

export const CreateContactsBody = z.union([PastedContactsBody, OneContactBody]);

export const PastedContactsResult = z
  .object({
    created: z.array(ContactSchema),
    existing: z.array(ContactSchema).openapi({ description: "Addresses already in the directory (added to the groups given)." }),
  })
  .openapi("PastedContactsResult");

export const UpdateContactBody = z
  .object({ ...contactFieldShape, status: z.enum(CONTACT_STATUSES), defaultCountry: Country })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== "defaultCountry"), because("nothing_to_change", "name at least one field to change"))
  .openapi("UpdateContact");

export const ContactQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .openapi({ description: 'Part of a name or an address, in any case, with or without accents ("helene" finds "Hélène").' }),
  group: z.string().max(80).optional(),
  type: z.string().max(40).optional(),
  tag: z.string().max(40).optional(),
  status: z.enum(CONTACT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(400).optional(),
});

export const ContactListSchema = z
  .object({ contacts: z.array(ContactSchema), total: z.number().int(), nextCursor: z.string().nullable() })
  .openapi("ContactList");

export const ImportBody = z
  .object({
    csv: z
      .string()
      .min(1)
      .max(5_000_000)
      .openapi({
        description: `The file's text: a header row, then up to ${MAX_IMPORT_ROWS} rows; comma or semicolon; | separates several values.`,
      }),
    dryRun: z.boolean().default(true),
    defaultCountry: Country.optional(),
    onlyEmptyFields: z.boolean().default(false).openapi({
      description:
        "For contacts already in the directory, set only the fields they have no value for (a type of `member` and a channel of `email`, the defaults, count as none); the values they have stay. Groups are joined either way.",
    }),
  })
  .strict()
  .openapi("ContactImport");

/** Why a cell of an import row was refused. */
export const FieldProblemSchema = z
  .object({
    field: z.string(),
    ...fieldErrorParts,
  })
  .openapi("FieldProblem");

export const ImportRowSchema = z
  .object({
    line: z.number().int(),
    verdict: z.enum(["create", "update", "unchanged", "error"]),
    email: z.string().nullable(),
    contactId: z.string().nullable(),
    changes: z.array(z.string()),
    errors: z.array(FieldProblemSchema),
  })
  .openapi("ImportRow");

export const ImportResultSchema = z
  .object({
    dryRun: z.boolean(),
    applied: z.boolean(),
    counts: z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int(), error: z.number().int() }),
    newGroups: z.array(z.string()),
    rows: z.array(ImportRowSchema),
  })
  .openapi("ContactImportResult");

const GroupName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine(isPlainText, PLAIN_TEXT)
  .refine((v) => !/[\r\n|]/.test(v), because("not_one_line", "must be on one line, without |"));

export const GroupBody = z.object({ name: GroupName }).strict().openapi("NewGroup");

export const GroupSchema = z
  .object({ id: z.string(), name: z.string(), memberCount: z.number().int(), createdAt: z.string(), updatedAt: z.string() })
  .openapi("Group");

export const MembersBody = z
  .object({ contactIds: z.array(ContactId).min(1).max(5000) })
  .strict()
  .openapi("GroupMembers");

export type ContactViewSchema = z.infer<typeof ContactSchema>;

/** One line of a contact's history: an invitation or a registration of its address, in one session. */
export const ContactHistoryItemSchema = z
  .object({
    kind: z.enum(["invitation", "registration"]),
    id: z.string().openapi({ description: "The invitation's or the registration's id (`inv_…`, `reg_…`)." }),
    sessionId: z.string(),
    sessionTitle: z.string(),
    startsAt: z.string(),
    sessionStatus: z.enum(SESSION_STATUSES),
    timeZone: z.string().openapi({ description: "The session's IANA zone, to show its start where it happens." }),
    status: z.union([z.enum(INVITATION_STATUSES), z.enum(REGISTRATION_STATUSES)]).openapi({
      description: "The invitation's status as a reader sees it now (a pending one past its expiry is `expired`), or the registration's.",
    }),
    createdAt: z.string(),
    sentAt: z.string().nullable().openapi({ description: "Invitations: when last sent." }),
    expiresAt: z.string().nullable().openapi({ description: "Invitations: when an unanswered one expires." }),
    updatedAt: z.string().nullable().openapi({ description: "Invitations: the last change." }),
    cancelledAt: z.string().nullable().openapi({ description: "Registrations: when cancelled." }),
  })
  .openapi("ContactHistoryItem");

export const ContactHistorySchema = z
  .object({ contactId: z.string(), items: z.array(ContactHistoryItemSchema).openapi({ description: "Newest session first." }) })
  .openapi("ContactHistory");

export type ContactHistoryItem = z.infer<typeof ContactHistoryItemSchema>;
