// Shapes of organisations and their API keys. The settings' request shape is shared by PATCH
// /v1/org and the hosted admin's settings form, so both accept exactly the same values.

import { z } from "@hono/zod-openapi";
import { because } from "../errors/fields";
import { isPlainText, PLAIN_TEXT } from "../http/text";
import { LOCALES } from "../i18n/locales";
import { Email } from "../registrations/schemas";
import { DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS } from "./retention";
import { Slug } from "./slug";

/**
 * Whether the text is a web page's origin alone: http or https, a host, nothing after it but one
 * "/". One check on any string: zod runs a refinement even after its own URL check failed, so
 * `new URL` must not be called on text that may not parse (`camp.example` has no scheme).
 */
function isWebOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === text.replace(/\/$/, "");
  } catch {
    return false;
  }
}

// One code for every entry that is not an origin (no scheme, another scheme, a path): what to write instead.
const Origin = z
  .string()
  .refine(isWebOrigin, because("not_an_origin", "must be an origin such as https://camp.example"))
  .openapi({ format: "uri" });

/** The admin's help text for the setting says the same (worker/admin/i18n.ts, defaultLocaleHint). */
export const DefaultLocale = z.enum(LOCALES).openapi({
  description:
    "The org's default language: used for emails to people who have no language of their own, and for visitors whose browser asks for neither English nor French.",
});

export const OrgSettingsSchema = z
  .object({
    senderName: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .nullable()
      .openapi({ description: "The name emails come from; without one, the organisation's name." }),
    replyTo: Email.nullable().openapi({ description: "Where answers to emails go; without one, the owner's address." }),
    embedOrigins: z.array(Origin).max(50).nullable(),
    invitationLinkTemplate: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .refine((u) => u.includes("{token}"), because("needs_token", "must contain {token}, where the invitation's token goes"))
      .nullable()
      // A template (RFC 6570), not a URI yet: {token} is filled in per invitation.
      .openapi({ format: "uri-template", example: "https://camp.example/register?rollcall_invite={token}" }),
    defaultLocale: DefaultLocale.nullable(),
    retentionMonths: z
      .number()
      .int()
      .min(MIN_RETENTION_MONTHS)
      .max(MAX_RETENTION_MONTHS)
      .nullable()
      .openapi({
        description: `Months after which cancelled, declined and expired records, the personal data of sessions that ended, and the mail log are purged. Unset: ${DEFAULT_RETENTION_MONTHS}.`,
        example: DEFAULT_RETENTION_MONTHS,
      }),
    hostsCanCreateSessions: z
      .boolean()
      .nullable()
      .openapi({ description: "Members with the `host` role may create sessions, which they then host. Unset: no. Owner only." }),
    hostsCanInvite: z.boolean().nullable().openapi({
      description:
        "Hosts may invite people to the sessions they host, picking from the org's contacts. Unset: no (the API answers 403 `forbidden`). Owner only.",
    }),
    hostLabel: z.string().trim().min(1).max(40).nullable().openapi({
      description: "The org's word for a host in the admin (mentor, trainer, coach). Unset: host. Owner only.",
      example: "mentor",
    }),
  })
  .partial()
  .strict();

export const OrgPatchBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    slug: Slug.nullable().optional().openapi({
      description: "The org's public address: /o/{slug} and GET /v1/public/orgs/{slug}/sessions. Null clears it (the listing goes away).",
    }),
    settings: OrgSettingsSchema.optional(),
  })
  .strict();
export type OrgPatch = z.infer<typeof OrgPatchBody>;

export const OrgSchema = z
  .object({ id: z.string(), name: z.string(), slug: z.string().nullable(), createdAt: z.string(), settings: OrgSettingsSchema })
  .openapi("Org");

/** A new API key: what the API and the admin's Keys page both take. */
export const NewApiKeyBody = z
  .object({ label: z.string().trim().min(1).max(100).refine(isPlainText, PLAIN_TEXT).openapi({ example: "Website" }) })
  .strict()
  .openapi("NewApiKey");

export const ApiKeySchema = z
  .object({
    id: z.string(),
    prefix: z.string(),
    label: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    createdBy: z.string().nullable().openapi({
      description:
        "The member the key answers to (who made it, or made the key that made it); removing them revokes it. Null for the org's own keys.",
    }),
  })
  .openapi("ApiKey");
