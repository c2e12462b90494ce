// Request and response shapes of registrations (public, by the provider, and the roster rows).

import { z } from "@hono/zod-openapi";
import { isPlainText, PLAIN_TEXT_MESSAGE } from "../http/text";
import { LOCALES } from "../i18n/locales";
import { isEmail } from "../recipients/address";
import { REGISTRATION_SOURCES, REGISTRATION_STATUSES } from "./statuses";

export const Email = z
  .string()
  .trim()
  .max(254, "must be at most 254 characters")
  .refine(isEmail, "must be an email address")
  .openapi({ example: "ada@example.org" });

export const PersonName = z.string().trim().min(1).max(200).refine(isPlainText, PLAIN_TEXT_MESSAGE).openapi({ example: "Ada Lovelace" });

export const PublicRegistrationBody = z
  .object({
    name: PersonName,
    email: Email,
    code: z.string().trim().max(64).optional(),
    locale: z.enum(LOCALES).optional().openapi({ description: "Language of the emails the registrant receives." }),
    answers: z
      .record(z.string().max(100), z.string().max(2000))
      .refine((a) => Object.keys(a).length <= 20, "at most 20 answers")
      .optional(),
  })
  .strict()
  .openapi("PublicRegistration");

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
    answers: z.record(z.string(), z.string()).nullable(),
    createdAt: z.string(),
    promotedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    erasedAt: z.string().nullable().openapi({ description: "When the person's data was erased or purged; name and email are then empty." }),
  })
  .openapi("Registration");

export type RegistrationView = z.infer<typeof RegistrationSchema>;

/** What the registrant receives: their registration and the secret of their own cancel link. */
export const PublicRegistrationResult = z
  .object({
    registration: RegistrationSchema.pick({ id: true, name: true, email: true, status: true, waitlistPosition: true }),
    manageToken: z.string().openapi({ description: "Secret for POST /v1/manage/{token}/cancel. Shown once." }),
  })
  .openapi("PublicRegistrationResult");
