// Request and response shapes of the discount-code catalogue (`/v1/discount-codes`).

import { z } from "@hono/zod-openapi";
import { because } from "../errors/fields";
import { Currency } from "../sessions/price";
import { normaliseCode } from "./decide";

const Instant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 instant with a time zone offset" })
  .transform((v) => new Date(v).toISOString());

/** A code as people type it: letters, digits, `-` and `_`; compared in upper case. */
export const DiscountCodeText = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "may contain only letters, digits, - and _")
  .transform(normaliseCode);

const Ids = z.array(z.string().max(64)).max(100);

const windowOrdered = (b: { validFrom?: string | null; validUntil?: string | null }) =>
  !b.validFrom || !b.validUntil || b.validUntil > b.validFrom;

const editable = {
  validFrom: Instant.nullable().optional().openapi({ description: "Not valid before this instant; unset: valid from creation." }),
  validUntil: Instant.nullable().optional().openapi({ description: "Not valid from this instant on; unset: no end." }),
  maxUses: z.number().int().min(1).max(1_000_000).nullable().optional().openapi({
    description:
      "How many registrations may use it (a use is counted when checkout is created, given back when the hold ends unpaid); unset: no limit.",
  }),
  sessionIds: Ids.optional().openapi({ description: "Only these sessions (or those of `programIds`); both empty: every session." }),
  programIds: Ids.optional().openapi({ description: "Only the sessions of these programs (or `sessionIds`)." }),
};

export const CreateDiscountCodeBody = z
  .object({
    code: DiscountCodeText.openapi({ example: "EARLY10", description: "Case-insensitive; unique in the org, kept in upper case." }),
    percentOff: z.number().int().min(1).max(100).optional().openapi({ description: "A percentage off, rounded to the minor unit." }),
    amountOff: z
      .number()
      .int()
      .min(1)
      .max(100_000_000)
      .optional()
      .openapi({ description: "A fixed amount off, in minor units of `currency`." }),
    currency: Currency.optional().openapi({ description: "Required with amountOff, refused with percentOff." }),
    ...editable,
  })
  .strict()
  .refine((b) => (b.percentOff == null) !== (b.amountOff == null), {
    ...because("choose_one", "give either percentOff or amountOff", { other: "amountOff" }),
    path: ["percentOff"],
  })
  .refine((b) => (b.amountOff == null) === (b.currency == null), {
    ...because("goes_with", "currency goes with amountOff, and only with it", { other: "amountOff" }),
    path: ["currency"],
  })
  .refine(windowOrdered, { ...because("ends_before_start", "must be after validFrom"), path: ["validUntil"] })
  .openapi("NewDiscountCode");

export const UpdateDiscountCodeBody = z
  .object({
    ...editable,
    active: z
      .boolean()
      .optional()
      .openapi({ description: "false archives the code: it is refused from then on (a used code is never deleted)." }),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, because("nothing_to_change", "name at least one field to change"))
  .openapi("UpdateDiscountCode", {
    description: "The code and its amount do not change once created (registrations name it): archive it and create another.",
  });

export const DiscountCodeSchema = z
  .object({
    id: z.string().openapi({ example: "dsc_0h4k8m2q9rvt3x7c1a5d" }),
    code: z.string(),
    percentOff: z.number().int().nullable(),
    amountOff: z.number().int().nullable(),
    currency: z.string().nullable(),
    validFrom: z.string().nullable(),
    validUntil: z.string().nullable(),
    maxUses: z.number().int().nullable(),
    uses: z.number().int().openapi({ description: "Registrations holding a use of it now." }),
    sessionIds: z.array(z.string()),
    programIds: z.array(z.string()),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("DiscountCode");

export const DiscountCodeListQuery = z.object({
  active: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v == null ? undefined : v === "true"))
    .openapi({
      param: { name: "active", in: "query" },
      description: "true: only codes not archived; false: only archived ones.",
    }),
  sessionId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({
      param: { name: "sessionId", in: "query" },
      description:
        "Only the codes an invitation to this session may name now: not archived, inside their validity window, and not restricted to other sessions or programs.",
    }),
});

export type CreateDiscountCodeInput = z.infer<typeof CreateDiscountCodeBody>;
export type UpdateDiscountCodeInput = z.infer<typeof UpdateDiscountCodeBody>;
export type DiscountCodeView = z.infer<typeof DiscountCodeSchema>;
