// /v1 routes of email: the invitation preview for the invite modal, and Resend's webhook.

import { createRoute, z } from "@hono/zod-openapi";
import { requireOrg } from "../auth/middleware";
import { unwrap } from "../errors/problem";
import { router } from "../http/app";
import { bearer, bodyProblems, jsonBody, jsonResponse, problems } from "../http/openapi";
import { DEFAULT_LOCALE, LOCALES } from "../i18n/locales";
import { orgSettingsBySession } from "../orgs/orgs";
import { adminLedger } from "../sessions/ledger-client";
import { SessionParam } from "../sessions/schemas";
import { previewInvitation } from "./preview";
import { ledgerReporter } from "./status";
import { handleWebhook } from "./webhooks";

const PreviewBody = z
  .object({
    subject: z.string().trim().min(1).max(200).optional(),
    buttonText: z.string().trim().min(1).max(60).optional(),
    message: z.string().trim().max(5000).optional(),
    locale: z.enum(LOCALES).default(DEFAULT_LOCALE),
    discountCode: z.string().trim().min(1).max(64).optional(),
    holdSeat: z.boolean().default(true),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    expiresInDays: z.number().int().min(1).max(365).optional(),
    name: z.string().trim().min(1).max(200).optional().openapi({ description: "A recipient's name, to preview the greeting." }),
  })
  .strict()
  .openapi("InvitationPreviewRequest");

const PreviewSchema = z
  .object({ subject: z.string(), html: z.string(), text: z.string() })
  .openapi("InvitationPreview", { description: "The invitation email as recipients will get it (with a sample link)." });

const preview = createRoute({
  method: "post",
  path: "/sessions/{id}/invitations/preview",
  tags: ["Invitations"],
  summary: "Preview the invitation email",
  description: "Renders the invitation with these texts, in the session's time zone, without creating anything.",
  security: bearer,
  middleware: [requireOrg] as const,
  request: { params: SessionParam, body: jsonBody(PreviewBody) },
  responses: { 200: jsonResponse(PreviewSchema, "The rendered email"), ...bodyProblems("unauthenticated", "not_found") },
});

const WebhookResult = z
  .object({ result: z.enum(["applied", "replayed", "ignored", "unknown_email"]), status: z.string().optional() })
  .openapi("WebhookResult");

const webhook = createRoute({
  method: "post",
  path: "/webhooks/resend",
  tags: ["Webhooks"],
  summary: "Delivery events from Resend",
  description:
    "Signed the Svix / Standard Webhooks way (`svix-id`, `svix-timestamp`, `svix-signature`) with RESEND_WEBHOOK_SECRET, " +
    "verified over the raw body; timestamps older than 5 minutes are refused and a replayed svix-id changes nothing. " +
    "email.sent, email.delivered, email.delivery_delayed, email.bounced, email.complained and email.failed update the invitation's delivery status.",
  responses: {
    200: jsonResponse(WebhookResult, "Accepted (also for replays and for events that say nothing about delivery)"),
    ...problems("invalid_signature", "unavailable"),
  },
});

export const emailRoutes = router()
  .openapi(preview, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    const session = unwrap(await ledger.read(org.orgId));
    // The org's name and reply address, as the real email will carry them.
    const settings = (await orgSettingsBySession(c.env.DB, [session.id])).get(session.id);
    return c.json(previewInvitation(session, c.req.valid("json"), new URL(c.req.url).origin, c.var.clock.now(), settings), 200);
  })
  .openapi(webhook, async (c) => {
    const header = (name: string) => c.req.header(`svix-${name}`) ?? c.req.header(`webhook-${name}`) ?? null;
    const outcome = await handleWebhook(
      c.env,
      await c.req.text(),
      { id: header("id"), timestamp: header("timestamp"), signature: header("signature") },
      ledgerReporter(c.env),
      c.var.clock.now(),
    );
    return c.json(unwrap(outcome), 200);
  });
