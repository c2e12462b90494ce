// Request and response shapes of invitations.

import { z } from "@hono/zod-openapi";
import { because } from "../errors/fields";
import { LOCALES } from "../i18n/locales";
import { CHOSEN_SKIP_REASONS } from "../recipients/chosen";
import { Email, PersonName, PublicRegistrationBody, PublicRegistrationResult, RegistrationSchema } from "../registrations/schemas";
import { PriceSchema } from "../sessions/price";
import { PublicSessionSchema, SeatsSchema } from "../sessions/schemas";
import { DELIVERY_STATUSES, INVITATION_EVENTS, INVITATION_STATUSES } from "./statuses";

const Instant = z.iso.datetime({ offset: true, message: "must be an ISO 8601 instant with a time zone offset" });
const Locale = z.enum(LOCALES);

/** The organiser's own words in an invitation email, each optional: a session's invitations and a program's. */
export const INVITATION_TEXTS = {
  subject: z.string().trim().min(1).max(200).optional(),
  buttonText: z.string().trim().min(1).max(60).optional(),
  message: z.string().trim().max(5000).optional(),
};

/**
 * When invitation emails go: `now`, or `later`, kept "to send" until the organiser sends them (seed 002:
 * "you can also skip this step and send them an invitation later"). A session's invitations and a program's.
 */
export const SendWhen = z.enum(["now", "later"]);

/** New words for an email still to send: a field left out keeps its words; null gives the email's own back. */
export const EDITED_TEXTS = {
  subject: INVITATION_TEXTS.subject.unwrap().nullable().optional(),
  buttonText: INVITATION_TEXTS.buttonText.unwrap().nullable().optional(),
  message: INVITATION_TEXTS.message.unwrap().nullable().optional(),
};

/** PATCH /v1/invitations/{id}: new words for the email of an invitation still to send. */
export const EditInvitationBody = z
  .object(EDITED_TEXTS)
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "Give at least one of subject, buttonText and message." })
  .openapi("EditInvitation", {
    description:
      "The organiser's words in the invitation's email, changed while it is still to send (`draft` or `scheduled`; " +
      "`invalid_transition` once sent). A field left out keeps its words; null gives the email's own back, in the person's language.",
  });

/**
 * Every field of the invite modal, declared once: creating invitations and previewing their email
 * take the same body (the widget sends one to both), so the two routes cannot drift apart.
 */
const invitationFields = {
  recipients: z
    .union([z.string().max(60_000), z.array(z.string().max(400)).max(1000)])
    .optional()
    .openapi({
      description:
        "Addresses separated by commas, semicolons, spaces or new lines (`Name <address>` too), or an array. " +
        "Optional when `contactIds` or `groupIds` choose people.",
      example: "ada@example.org, Grace Hopper <grace@example.org>",
    }),
  contactIds: z
    .array(z.string().max(80))
    .max(1000)
    .optional()
    .openapi({
      description:
        "Contacts of the org to invite (`con_…`), after the pasted addresses; invited under their name. An id that is not the " +
        "org's refuses the request (422 `validation_failed`, each named); a contact without an address (`no_email`, or `phone_only` for an SMS contact) or deactivated is skipped.",
    }),
  groupIds: z
    .array(z.string().max(80))
    .max(100)
    .optional()
    .openapi({
      description:
        "Groups of the org (`grp_…`) whose members to invite, as `contactIds`. With the addresses and the contacts, at most 200 " +
        "people after duplicates go (`too_many_recipients` gives each group's size: a bigger group goes through a program).",
    }),
  holdSeat: z.boolean().default(true),
  discountCode: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .openapi({
      description:
        "A code of the org's catalogue (`/v1/discount-codes`, any case): not archived (`discount_invalid`), valid now (`discount_expired`) " +
        "and not restricted to other sessions (`discount_not_applicable`). Shown in the email and on the link's page, and carried to the registration.",
    }),
  send: SendWhen.default("now"),
  sendAt: Instant.optional(),
  expiresAt: Instant.optional(),
  expiresInDays: z.number().int().min(1).max(365).optional(),
  ...INVITATION_TEXTS,
  locale: Locale.optional().openapi({
    description:
      "The email's language for people who have none of their own: a contact of the org's directory with a language (matched by " +
      "address, pasted or chosen) gets theirs. Default: the org's default language (`defaultLocale`), else English.",
  }),
  requireEmailMatch: z
    .boolean()
    .default(false)
    .openapi({ description: "Only the invited address can accept: accepting asks for a one-time code emailed to it." }),
  allowOverCapacity: z.boolean().default(false),
};

type Timing = {
  send: z.infer<typeof SendWhen>;
  sendAt?: string | undefined;
  expiresAt?: string | undefined;
  expiresInDays?: number | undefined;
};

/** The rules between fields, the same for both routes. */
const coherent = <S extends z.ZodType<Timing>>(schema: S): S =>
  schema
    .refine((b) => !(b.expiresAt && b.expiresInDays), {
      ...because("not_both", "give expiresAt or expiresInDays, not both", { other: "expiresAt" }),
      path: ["expiresInDays"],
    })
    .refine((b) => !(b.sendAt && b.send === "later"), {
      ...because("not_both", "sendAt schedules a send; it cannot be combined with send: later", { other: "send" }),
      path: ["sendAt"],
    });

export const CreateInvitationsBody = coherent(z.object(invitationFields).strict()).openapi("CreateInvitations");

/**
 * The invitation email as recipients will get it: the body of POST /v1/sessions/{id}/invitations,
 * with the recipients optional (the first one's name, when given, is the greeting's). Sending
 * options change nothing but the expiry, counted from the scheduled send.
 */
export const PreviewInvitationsBody = coherent(
  z
    .object({
      ...invitationFields,
      recipients: invitationFields.recipients,
      name: z.string().trim().min(1).max(200).optional().openapi({ description: "A recipient's name, to preview the greeting." }),
    })
    .strict(),
).openapi("InvitationPreviewRequest");

export type PreviewInvitationsInput = z.infer<typeof PreviewInvitationsBody>;

export type CreateInvitationsInput = z.infer<typeof CreateInvitationsBody>;

/**
 * What the ledger takes to create invitations: the request, with what the org and its directory
 * add (invitations/service.ts): the link's template, and the language of each address that has one.
 */
export type NewInvitationsInput = CreateInvitationsInput & {
  linkTemplate: string | null;
  locales?: Record<string, z.infer<typeof Locale>>;
};

export const InvitationStatusSchema = z.enum(INVITATION_STATUSES);
export const DeliveryStatusSchema = z.enum(DELIVERY_STATUSES);

export const InvitationSchema = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    holdSeat: z.boolean(),
    discountCode: z.string().nullable(),
    status: InvitationStatusSchema,
    delivery: DeliveryStatusSchema.nullable(),
    sendAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    sendCount: z.number().int(),
    expiresAt: z.string().nullable(),
    subject: z.string().nullable(),
    buttonText: z.string().nullable(),
    message: z.string().nullable(),
    locale: Locale,
    requireEmailMatch: z.boolean(),
    raisedCapacity: z.number().int(),
    registrationId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    reopenedAt: z.string().nullable().openapi({ description: "When the invited person last re-opened it after declining." }),
    erasedAt: z.string().nullable().openapi({ description: "When the person's data was erased or purged; name and email are then empty." }),
  })
  .openapi("Invitation");

export type InvitationView = z.infer<typeof InvitationSchema>;

export const SkippedSchema = z
  .object({
    email: z.string(),
    position: z.number().int(),
    reason: z.enum(["duplicate", "already_invited", "already_registered", ...CHOSEN_SKIP_REASONS]).openapi({
      description:
        "`no_email`, `deactivated` and `phone_only` concern contacts chosen by `contactIds` or `groupIds`. `phone_only`: the contact is " +
        "reached by SMS and has no email address; sessions know people by their address, so add one to the contact to invite them " +
        "(their messages still go by text).",
    }),
    contactId: z.string().optional().openapi({ description: "The contact skipped, when it was chosen from the directory." }),
  })
  .openapi("SkippedRecipient");

export const CreateInvitationsResult = z
  .object({
    invitations: z.array(InvitationSchema),
    skipped: z.array(SkippedSchema),
    seats: SeatsSchema,
    capacityRaisedBy: z.number().int(),
  })
  .openapi("CreatedInvitations");

export const BulkBody = z.object({ ids: z.array(z.string().max(80)).max(1000).optional() }).strict();

export const BulkResult = z
  .object({
    invitations: z.array(InvitationSchema),
    skipped: z.array(z.object({ id: z.string(), code: z.string(), detail: z.string() })),
  })
  .openapi("BulkInvitationResult");

/** What the invitation link shows: the session's public face and the invitation, email masked. */
export const InviteLinkSchema = z
  .object({
    session: PublicSessionSchema,
    invitation: z.object({
      status: InvitationStatusSchema,
      name: z.string().nullable(),
      emailMasked: z.string(),
      holdSeat: z.boolean(),
      discountCode: z.string().nullable(),
      toPay: PriceSchema.nullable().openapi({
        description:
          "What accepting costs now: the session's price less the invitation's discount code as the catalogue quotes it today " +
          "(the whole price when the code is no longer usable: accepting then says why); null in a free session.",
      }),
      expiresAt: z.string().nullable(),
      requireEmailMatch: z.boolean(),
      message: z.string().nullable(),
      locale: Locale.openapi({
        description: "The language the invitation was sent in: its page speaks it when the browser asks for none of Rollcall's.",
      }),
      reopenable: z.boolean().openapi({
        description: "Declined, and may be re-opened now (POST …/reopen): not expired, a seat or the waitlist left, no newer invitation.",
      }),
    }),
  })
  .openapi("InviteLink");

export const AcceptBody = z
  .object({
    name: PersonName.optional(),
    email: Email.optional().openapi({ description: "Defaults to the invited address." }),
    code: z
      .string()
      .regex(/^\d{6}$/, "must be the six digits of the one-time code (emailed or texted)")
      .optional(),
    locale: Locale.optional(),
    // Priced sessions: where checkout sends the person back, as for a public registration.
    returnUrl: PublicRegistrationBody.shape.returnUrl,
    // The session's questions, answered as on a public registration (a declined invitation answers none).
    answers: PublicRegistrationBody.shape.answers,
    formVersion: PublicRegistrationBody.shape.formVersion,
  })
  .strict()
  .openapi("AcceptInvitation");

export type AcceptInput = z.infer<typeof AcceptBody>;

export const AcceptResult = z
  .object({
    registration: RegistrationSchema.pick({ id: true, name: true, email: true, status: true, waitlistPosition: true, discountCode: true }),
    manageToken: z.string(),
    // Priced sessions with something owed (the price less the invitation's discount): pending_payment, as a public registration.
    payment: PublicRegistrationResult.shape.payment,
    checkoutUrl: PublicRegistrationResult.shape.checkoutUrl,
  })
  .openapi("AcceptedInvitation");

export const DeclineBody = z
  .object({
    code: z
      .string()
      .regex(/^\d{6}$/, "must be the six digits of the one-time code (emailed or texted)")
      .optional(),
  })
  .strict()
  .openapi("DeclineInvitation");

export const InvitationHistorySchema = z
  .object({ events: z.array(z.object({ at: z.string(), event: z.enum(INVITATION_EVENTS) })) })
  .openapi("InvitationHistory");
