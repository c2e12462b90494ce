// Request and response shapes of sessions. These zod schemas validate at the edge and are the
// source of the OpenAPI document.

import { z } from "@hono/zod-openapi";
import { because } from "../errors/fields";
import { FormSchema, FormViewSchema } from "../forms/schema";
import { isPlainText, isSingleLine, PLAIN_TEXT, SINGLE_LINE } from "../http/text";
import { isIanaTimeZone } from "../time/zoned";
import { BELOW_MINIMUM, MINIMUM_DECISIONS } from "./minimum";
import { PriceSchema, RefundUntilDays } from "./price";
import { canonicalTimeZone, isHttpsUrl, isUrl, MAX_CAPACITY, ONLINE_URL_NOT_HTTPS, sessionCoherence } from "./rules";
import { REGISTRATION_STATES, SESSION_STATUSES } from "./statuses";

export const SessionId = z
  .string()
  .regex(/^ses_[0-9a-z]{20}$/, "not a session id")
  .openapi({ example: "ses_0h4k8m2q9rvt3x7c1a5d" });

/** The `{id}` of every /v1/sessions/{id}/… route. Not SessionId: a malformed id is a 404, not a 422. */
export const SessionParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "ses_0h4k8m2q9rvt3x7c1a5d" }),
});

const Instant = z.iso.datetime({ offset: true, message: "must be an ISO 8601 instant with a time zone offset" });
const TimeZone = z
  .string()
  .max(64)
  .refine(isIanaTimeZone, because("not_a_time_zone", "must be an IANA time zone such as Europe/Paris"))
  .transform(canonicalTimeZone);
const Text = (max: number) => z.string().trim().min(1).max(max).refine(isPlainText, PLAIN_TEXT);

const HostMemberId = z.string().max(64).nullable().openapi({
  description:
    "The member who hosts the session (any member of the org, whatever their role); null: nobody. A host sees and runs only the sessions they host.",
  example: "mem_0h4k8m2q9rvt3x7c1a5d",
});

const sessionFields = {
  // A title becomes an email subject: one line, so it cannot add headers or forge a message body.
  title: Text(200).refine(isSingleLine, SINGLE_LINE).openapi({ example: "Forest camp — week 1" }),
  // Required and not blank (seed 001: "give details and context"); several lines are fine.
  description: Text(5000).openapi({ example: "Five mornings in the woods." }),
  startsAt: Instant.openapi({ example: "2027-07-05T09:00:00+02:00" }),
  timeZone: TimeZone.openapi({ example: "Europe/Paris" }),
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 31),
  minParticipants: z.number().int().min(0).max(MAX_CAPACITY),
  maxParticipants: z.number().int().min(1).max(MAX_CAPACITY).openapi({ description: "The capacity." }),
  hostCountsAsParticipant: z.boolean().openapi({
    description:
      "The host takes one seat. With a hostMemberId, the host holds it as a person: a confirmed registration of source host (never charged, counted once), moved when the session is handed over, released when this is turned off. Turning it on in a full session answers 409 capacity_below_taken, naming the capacity to raise to.",
  }),
  registrationOpensAt: Instant.nullable(),
  registrationClosesAt: Instant.nullable().openapi({ description: "Defaults to startsAt." }),
  registrationCode: z.string().trim().min(1).max(64).nullable(),
  waitlist: z.boolean(),
  confirmByEmail: z.boolean().openapi({
    description:
      "Public registrations hold their seat (or place on the waitlist) for 15 minutes until the registrant confirms the address with the link or code emailed to it; an unconfirmed hold lapses and frees the seat.",
  }),
  listed: z.boolean().openapi({
    description:
      "Shown in the org's public listing (GET /v1/public/orgs/{slug}/sessions, /o/{slug}); false keeps it reachable by its link only.",
  }),
  decisionAt: Instant.nullable().openapi({
    description:
      "When the minimum is decided; null or absent: 48 hours before startsAt. Must be before startsAt (and, in an edit, in the future). A session created after this time is not decided.",
    example: "2027-07-03T09:00:00+02:00",
  }),
  belowMinimum: z.enum(BELOW_MINIMUM).openapi({
    description:
      "At decisionAt, when fewer than minParticipants are confirmed (the host included when counted): `cancel` cancels the session (everyone told, calendar events withdrawn); `ask` emails the org's owners and admins a one-click choice, run anyway or cancel, the first answer winning.",
  }),
  // Tags filter the public listing: one line each, duplicates dropped.
  tags: z
    .array(Text(40).refine(isSingleLine, SINGLE_LINE))
    .max(20)
    .transform((tags) => [...new Set(tags)])
    .openapi({ example: ["outdoors"] }),
  // Where: an address shown to everyone who sees the session (one line: it goes in calendar files).
  location: Text(300)
    .refine(isSingleLine, SINGLE_LINE)
    .nullable()
    .openapi({ example: "Lakeside cabin, 12 Pine Road, Annecy", description: "Where the session takes place; public." }),
  // The meeting link: only confirmed participants get it (their emails, calendar file and page).
  onlineUrl: z
    .string()
    .trim()
    .max(2000)
    .refine(isUrl, { ...because("not_a_url", "must be a URL such as https://meet.example/abc"), abort: true })
    .refine(isHttpsUrl, { message: "must be an https:// URL", params: { code: ONLINE_URL_NOT_HTTPS, problem: "not_https" } })
    .nullable()
    .openapi({
      example: "https://meet.example/forest-camp",
      description:
        "The online meeting link (https only; anything else is refused with online_url_not_https). Never in the public view: only confirmed participants receive it.",
    }),
  // The registration form; null removes it. Answers given before an edit keep their version.
  form: FormSchema.nullable(),
  // What a seat costs; null: free. Registering for a priced session goes through checkout.
  price: PriceSchema.nullable().openapi({
    description: "What a seat costs, in the currency's minor units; null: free (registrations work as for any free session).",
  }),
  refundUntilDays: RefundUntilDays,
};

/** Who hosts the session: sessions/service.ts writes it to D1's session_hosts, not the ledger. */
const hostField = { hostMemberId: HostMemberId };

export const CreateSessionBody = z
  .object({
    ...sessionFields,
    hostCountsAsParticipant: sessionFields.hostCountsAsParticipant.default(false),
    registrationOpensAt: sessionFields.registrationOpensAt.optional(),
    registrationClosesAt: sessionFields.registrationClosesAt.optional(),
    registrationCode: sessionFields.registrationCode.optional(),
    waitlist: sessionFields.waitlist.default(true),
    confirmByEmail: sessionFields.confirmByEmail.default(false),
    listed: sessionFields.listed.default(true),
    tags: sessionFields.tags.default([]),
    decisionAt: sessionFields.decisionAt.optional(),
    belowMinimum: sessionFields.belowMinimum.default("cancel"),
    location: sessionFields.location.default(null),
    onlineUrl: sessionFields.onlineUrl.default(null),
    form: sessionFields.form.optional(),
    price: sessionFields.price.default(null),
    refundUntilDays: sessionFields.refundUntilDays.default(null),
    hostMemberId: hostField.hostMemberId.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    for (const e of sessionCoherence(body)) ctx.addIssue({ code: "custom", path: [e.path], ...because(e.code, e.message) });
  })
  .openapi("CreateSession");

export const UpdateSessionBody = z
  .object({ ...sessionFields, ...hostField })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, because("nothing_to_change", "name at least one field to change"))
  .openapi("UpdateSession");

export type CreateSessionInput = z.infer<typeof CreateSessionBody>;
export type UpdateSessionInput = z.infer<typeof UpdateSessionBody>;

/** A price as the API answers it (currency upper-case, amount in minor units). */
export const PriceViewSchema = z
  .object({ amount: z.number().int().openapi({ example: 2500 }), currency: z.string().openapi({ example: "EUR" }) })
  .openapi("Price");

export const SeatsSchema = z
  .object({
    capacity: z.number().int(),
    confirmed: z.number().int(),
    held: z.number().int().openapi({ description: "Seats held by invitations and by registrations awaiting email confirmation." }),
    host: z.number().int().openapi({ description: "1 when the host takes a seat." }),
    available: z.number().int(),
    waitlisted: z.number().int(),
  })
  .openapi("Seats");

export const RegistrationStateSchema = z.enum(REGISTRATION_STATES);

export const MinimumSchema = z
  .object({
    decisionAt: z.string().openapi({ description: "When the minimum is (or was) decided." }),
    decision: z.enum(["pending", ...MINIMUM_DECISIONS]).openapi({
      description:
        "`pending` until decisionAt (or when there is nothing to decide: no minimum, or a session created after decisionAt); `asked`: the members were asked and none has answered yet; `run` or `cancelled`: final.",
    }),
    askedAt: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable().openapi({ description: "`system`, or the address of the member who answered." }),
    moreNeeded: z.number().int().openapi({ description: "Participants still needed for the minimum; 0 once met or decided." }),
  })
  .openapi("MinimumDecision");

/** A session as its ledger knows it (no host: D1's session_hosts says who hosts it). */
export const SessionSnapshotSchema = z.object({
  id: SessionId,
  title: z.string(),
  description: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
  durationMinutes: z.number().int(),
  minParticipants: z.number().int(),
  maxParticipants: z.number().int(),
  hostCountsAsParticipant: z.boolean(),
  registrationOpensAt: z.string().nullable(),
  registrationClosesAt: z.string(),
  registrationCode: z.string().nullable(),
  waitlist: z.boolean(),
  confirmByEmail: z.boolean(),
  listed: z.boolean(),
  tags: z.array(z.string()),
  decisionAt: z.string().nullable().openapi({ description: "As set; null: 48 hours before startsAt (see minimum.decisionAt)." }),
  belowMinimum: z.enum(BELOW_MINIMUM),
  minimum: MinimumSchema,
  location: z.string().nullable(),
  onlineUrl: z.string().nullable(),
  form: FormViewSchema.nullable().openapi({ description: "The registration form's current version; null: no form." }),
  price: PriceViewSchema.nullable().openapi({ description: "What a seat costs; null: free." }),
  refundUntilDays: z.number().int().nullable(),
  status: z.enum(SESSION_STATUSES),
  seats: SeatsSchema,
  registrationState: RegistrationStateSchema,
  capacityChanges: z.array(z.object({ at: z.string(), actor: z.string(), from: z.number(), to: z.number(), reason: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullable(),
});

/** A session as the provider sees it: the ledger's view and who hosts it. */
export const SessionSchema = SessionSnapshotSchema.extend({ hostMemberId: HostMemberId }).openapi("Session");

export const PublicSessionSchema = z
  .object({
    id: SessionId,
    title: z.string(),
    description: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    timeZone: z.string(),
    durationMinutes: z.number().int(),
    registrationOpensAt: z.string().nullable(),
    registrationClosesAt: z.string(),
    registrationCodeRequired: z.boolean(),
    waitlist: z.boolean(),
    confirmByEmail: z.boolean().openapi({ description: "Registrations are held until the registrant confirms the address by email." }),
    location: z.string().nullable(),
    online: z.boolean().openapi({ description: "The session has a meeting link; confirmed participants receive it by email." }),
    form: FormViewSchema.nullable().openapi({ description: "The questions a registration answers (`answers`); null: none." }),
    price: PriceViewSchema.nullable().openapi({ description: "What a seat costs, in the currency's minor units; null: free." }),
    refundUntilDays: z.number().int().nullable().openapi({
      description: "Full refund of a participant's own cancellation until this many days before the start; null: none.",
    }),
    status: z.enum(SESSION_STATUSES),
    seats: SeatsSchema.pick({ capacity: true, available: true, waitlisted: true, confirmed: true }),
    registrationState: RegistrationStateSchema,
    minParticipants: z.number().int(),
    moreNeeded: z.number().int().openapi({
      description: "Participants still needed for the session to run, before its minimum is decided; 0 once met or decided.",
    }),
  })
  .openapi("PublicSession");

export type SessionView = z.infer<typeof SessionSnapshotSchema>;
/** The provider's view: the ledger's and who hosts the session. */
export type ProviderSessionView = z.infer<typeof SessionSchema>;
export type PublicSessionView = z.infer<typeof PublicSessionSchema>;

export const SessionListSchema = z.object({ sessions: z.array(SessionSchema), nextCursor: z.string().nullable() }).openapi("SessionList");
