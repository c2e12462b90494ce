// Request and response shapes of registrations (public, by the provider, and the roster rows).

import { z } from "@hono/zod-openapi";
import { because } from "../errors/fields";
import { AnswersInput, AnswerValue } from "../forms/schema";
import { isPlainText, PLAIN_TEXT } from "../http/text";
import { LOCALES, type Locale } from "../i18n/locales";
import { PAYMENT_STATUSES } from "../payments/decide";
import { isEmail } from "../recipients/address";
import type { PublicSessionView } from "../sessions/schemas";
import { REGISTRATION_SOURCES, REGISTRATION_STATUSES } from "./statuses";

export const Email = z
  .string()
  .trim()
  .max(254, "must be at most 254 characters")
  .refine(isEmail, because("email_invalid", "must be an email address"))
  .openapi({ example: "ada@example.org" });

export const PersonName = z.string().trim().min(1).max(200).refine(isPlainText, PLAIN_TEXT).openapi({ example: "Ada Lovelace" });

export const PublicRegistrationBody = z
  .object({
    name: PersonName,
    email: Email,
    code: z.string().trim().max(64).optional(),
    locale: z.enum(LOCALES).optional().openapi({ description: "Language of the emails the registrant receives." }),
    answers: AnswersInput.optional(),
    formVersion: z.number().int().min(1).nullable().optional().openapi({
      description:
        "The form version the page showed (the session's `form.version`, null for none): when it is no longer current, 409 form_changed.",
    }),
    discountCode: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .openapi({
        description:
          "A discount code the registrant typed (any case), for a priced session: refused with 422 `discount_invalid` (unknown or archived), " +
          "`discount_expired` (outside its window), `discount_exhausted` (used up) or `discount_not_applicable` (other sessions, another currency, a free session).",
        example: "EARLY10",
      }),
    returnUrl: z
      .string()
      .max(2000)
      .refine(isWebUrl, because("not_a_url", "must be an absolute http:// or https:// URL"))
      .optional()
      .openapi({
        description:
          "Priced sessions: the page to come back to after checkout (`<rollcall-join>` sends the page it is on), with `rollcall_checkout=paid` or `cancelled` appended. " +
          "Used only when its origin is one the org lists for its widget (`embedOrigins`); otherwise the session's hosted page /s/{id}.",
        example: "https://example.org/classes/pottery",
      }),
  })
  .strict()
  .openapi("PublicRegistration");

/** An absolute http(s) URL. */
function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

export const ProviderRegistrationBody = z
  .object({
    name: PersonName,
    email: Email,
    locale: z.enum(LOCALES).optional(),
    allowOverCapacity: z.boolean().default(false),
  })
  .strict()
  .openapi("ProviderRegistration");

export type PublicRegistrationInput = z.infer<typeof PublicRegistrationBody>;
export type ProviderRegistrationInput = z.infer<typeof ProviderRegistrationBody>;

export const RegistrationPayment = z
  .object({
    amountDue: z.number().int().openapi({ description: "The price less any discount, in minor units (0: a discount covered it all)." }),
    price: z.number().int().nullable().openapi({
      description:
        "The session's price when this amount was set, before the discount, in minor units: it stays when the session's price changes. Null for a registration made before Rollcall kept it.",
    }),
    currency: z.string(),
    status: z.enum(PAYMENT_STATUSES).openapi({
      description:
        "`pending` (owed, not paid yet), `paid`, `refund_due` (to be paid back), `refunded`, `unpaid` (cancelled before it was paid).",
    }),
    paidAt: z.string().nullable(),
    refundDueAt: z.string().nullable(),
    refundedAt: z.string().nullable(),
    refundedAmount: z.number().int().nullable(),
  })
  .openapi("RegistrationPayment");

export const RegistrationSchema = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    name: z.string(),
    email: z.string(),
    status: z.enum(REGISTRATION_STATUSES),
    waitlistPosition: z.number().int().nullable(),
    source: z.enum(REGISTRATION_SOURCES),
    invitationId: z.string().nullable(),
    discountCode: z.string().nullable(),
    answers: z.record(z.string(), AnswerValue).nullable().openapi({ description: "Keyed by the form's field keys." }),
    formVersion: z.number().int().nullable().openapi({ description: "The form version the answers were given against." }),
    createdAt: z.string(),
    promotedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    erasedAt: z.string().nullable().openapi({ description: "When the person's data was erased or purged; name and email are then empty." }),
    payment: RegistrationPayment.nullable().openapi({
      description: "In a priced session, what the registration owed and where its payment stands; null when it owes nothing.",
    }),
  })
  .openapi("Registration");

export type RegistrationView = z.infer<typeof RegistrationSchema>;

/** What the registrant receives: their registration and the secret of their own cancel link. */
export const PublicRegistrationResult = z
  .object({
    registration: RegistrationSchema.pick({ id: true, name: true, email: true, status: true, waitlistPosition: true }),
    confirmation: z.object({ expiresAt: z.string() }).optional().openapi({
      description:
        "Present while the registration is `pending_confirmation` (sessions with confirmByEmail): its seat, or its place on the waitlist, is held until `expiresAt`. The registrant follows the link emailed to the address, or posts the emailed code to …/registrations/{registrationId}/confirm.",
    }),
    payment: z.object({ amount: z.number().int(), currency: z.string(), holdUntil: z.string() }).optional().openapi({
      description:
        "Present while the registration is `pending_payment` (priced sessions): what is owed (minor units) and until when the seat is held (31 minutes); the seat frees when the hold lapses unpaid.",
    }),
    checkoutUrl: z.string().optional().openapi({
      description: "With `payment`: where the registrant pays. Paying confirms the registration; abandoning frees the seat.",
    }),
    manageToken: z.string().optional().openapi({
      description:
        "Secret for POST /v1/manage/{token}/cancel (also in the registrant's email). In the first answer to a confirmed, waitlisted or pending_payment registration only (<rollcall-join> asks GET /v1/manage/{token} with it on coming back from checkout): a replay of the request (same Idempotency-Key and body) carries none, nor does a registration awaiting its email confirmation.",
    }),
  })
  .openapi("PublicRegistrationResult");

/** The six-digit code emailed to a registrant whose session confirms registrations by email. */
export const ConfirmRegistrationBody = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "must be the six digits from the email")
      .openapi({ example: "042917" }),
  })
  .strict()
  .openapi("ConfirmRegistration");

/** The `{registrationId}` of a public confirmation. Not validated as an id: a malformed one is a 404. */
export const RegistrationParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "ses_0h4k8m2q9rvt3x7c1a5d" }),
  registrationId: z
    .string()
    .max(64)
    .openapi({ param: { name: "registrationId", in: "path" }, example: "reg_0h4k8m2q9rvt3x7c1a5d_3x7c1a5d0h" }),
});

export const ManageLinkBody = z
  .object({
    email: Email,
  })
  .strict()
  .openapi("ManageLinkRequest");

export const ManageLinkResult = z.object({ accepted: z.literal(true) }).openapi("ManageLinkAccepted", {
  description:
    "The same answer whether or not the address is registered: when it is, its manage link is emailed to it " +
    "(at most once every 10 minutes), so nobody learns here who is registered.",
});

/** One person on a session's code page: their registration's id (for "that's me") and "First I.". */
export type CodePageEntry = { id: string; shortName: string };

/** What a registrant's own manage link shows: their registration and the session's public face. */
export type ManageView = {
  /** `locale`: the language they registered in, spoken where their browser names none of ours. */
  registration: { id: string; name: string; status: RegistrationView["status"]; waitlistPosition: number | null; locale: Locale };
  session: PublicSessionView;
  /** The meeting link, for a confirmed seat only: the same holders its emails give it to. */
  onlineUrl: string | null;
  /** A confirmed seat that was paid for: the amount, and until when cancelling refunds it in full (null: not any more, or never). */
  paid: { amount: number; currency: string; refundUntil: string | null } | null;
};
