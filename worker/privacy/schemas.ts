// Request and response shapes of a person's data: the export (everything the org holds about one
// address) and the erasure.

import { z } from "@hono/zod-openapi";
import { LOCALES } from "../i18n/locales";
import { InvitationSchema } from "../invitations/schemas";
import { Email, RegistrationSchema } from "../registrations/schemas";
import { CANCELLED_BY } from "../registrations/statuses";
import { SessionId } from "../sessions/schemas";
import { SESSION_STATUSES } from "../sessions/statuses";

export const ExportBody = z.object({ email: Email }).strict().openapi("PersonExportRequest");

export const EraseBody = z
  .object({
    email: Email,
    sessionId: SessionId.optional().openapi({
      description: "Only this session. Without it, every session of the organisation (an API key only: a widget token names its session).",
    }),
  })
  .strict()
  .openapi("ErasureRequest");

export const PersonInSessionSchema = z
  .object({
    session: z.object({
      id: z.string(),
      title: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      timeZone: z.string(),
      status: z.enum(SESSION_STATUSES),
    }),
    registrations: z.array(RegistrationSchema.extend({ locale: z.enum(LOCALES), cancelledBy: z.enum(CANCELLED_BY).nullable() })),
    invitations: z.array(InvitationSchema),
  })
  .openapi("PersonInSession");

export type PersonInSession = z.infer<typeof PersonInSessionSchema>;

export const MailRecordSchema = z
  .object({
    messageId: z.string(),
    template: z.string(),
    subject: z.string().nullable(),
    sessionId: z.string().nullable(),
    invitationId: z.string().nullable(),
    status: z.string(),
    statusAt: z.string(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .openapi("MailRecord");

export type MailRecord = z.infer<typeof MailRecordSchema>;

export const PersonExportSchema = z
  .object({
    email: z.string(),
    exportedAt: z.string(),
    org: z.object({ id: z.string(), name: z.string() }),
    sessions: z.array(PersonInSessionSchema),
    mail: z
      .array(MailRecordSchema)
      .openapi({ description: "Emails sent to the address about the organisation's sessions (the mail log)." }),
  })
  .openapi("PersonExport");

export type PersonExport = z.infer<typeof PersonExportSchema>;

export const SessionErasureSchema = z
  .object({
    sessionId: z.string(),
    registrations: z.number().int(),
    invitations: z.number().int(),
    invitationsCancelled: z.number().int().openapi({ description: "Pending invitations cancelled because their address is gone." }),
  })
  .openapi("SessionErasure");

export type SessionErasure = z.infer<typeof SessionErasureSchema>;

export const ErasureSchema = z
  .object({
    erasedAt: z.string(),
    sessions: z.array(SessionErasureSchema).openapi({ description: "The sessions where something was erased (none when erased before)." }),
    registrations: z.number().int(),
    invitations: z.number().int(),
    invitationsCancelled: z.number().int(),
    mailLog: z.number().int().openapi({ description: "Entries of the mail log removed." }),
    smsLog: z.number().int().openapi({
      description: "Texts (SMS) removed from the SMS log: those that stood for mail to the address, number and text with them.",
    }),
  })
  .openapi("Erasure");

export type Erasure = z.infer<typeof ErasureSchema>;

export type PurgeCounts = { registrations: number; invitations: number };
