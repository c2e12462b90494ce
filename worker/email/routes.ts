// /v1 routes of email: the invitation preview for the invite modal, the re-drive of a session's
// failed emails, and Resend's webhook.

import { createRoute, z } from "@hono/zod-openapi";
import { orgAccess } from "../auth/middleware";
import { unwrap } from "../errors/problem";
import { router } from "../http/app";
import { AUTH_PROBLEMS, bodyProblems, jsonBody, jsonResponse, problems } from "../http/openapi";
import { PreviewInvitationsBody } from "../invitations/schemas";
import { orgsBySession } from "../orgs/orgs";
import { adminLedger } from "../sessions/ledger-client";
import { SessionParam } from "../sessions/schemas";
import { previewInvitation } from "./preview";
import { mailSettingsOf } from "./sender";
import { ledgerReporter } from "./status";
import { handleWebhook } from "./webhooks";

const PreviewSchema = z
  .object({ subject: z.string(), html: z.string(), text: z.string() })
  .openapi("InvitationPreview", { description: "The invitation email as recipients will get it (with a sample link)." });

const preview = createRoute({
  method: "post",
  path: "/sessions/{id}/invitations/preview",
  operationId: "previewInvitation",
  tags: ["Invitations"],
  summary: "Preview the invitation email",
  description:
    "Renders the invitation with these texts, in the session's time zone, without creating anything. Takes the body of " +
    "POST /v1/sessions/{id}/invitations (recipients optional; the first one's name is the greeting's).",
  ...orgAccess("invite"),
  request: { params: SessionParam, body: jsonBody(PreviewInvitationsBody) },
  responses: {
    200: jsonResponse(PreviewSchema, "The rendered email"),
    ...bodyProblems(...AUTH_PROBLEMS, "not_found"),
  },
});

const RedriveResult = z
  .object({
    redriven: z.number().int().openapi({ description: "Emails queued again, under new ids." }),
    dropped: z.number().int().openapi({ description: "Invitation emails not sent again: answered, cancelled or expired since." }),
  })
  .openapi("MailRedriveResult");

const redrive = createRoute({
  method: "post",
  path: "/sessions/{id}/mail/redrive",
  operationId: "redriveSessionMail",
  tags: ["Roster"],
  summary: "Send the session's failed emails again",
  description:
    "Emails that could not be sent (too large for the mail queue, or given up after an hour of provider outage; the roster's `mail.failed`) " +
    "are queued again. An invitation's email goes again only while the invitation is pending, and its delivery goes back from `failed` to `queued`.",
  ...orgAccess("invite", { host: "session:manage" }),
  request: { params: SessionParam },
  responses: {
    200: jsonResponse(RedriveResult, "What was queued again"),
    ...problems(...AUTH_PROBLEMS, "not_found"),
  },
});

const WebhookResult = z
  .object({ result: z.enum(["applied", "replayed", "ignored", "unknown_email"]), status: z.string().optional() })
  .openapi("WebhookResult");

const webhook = createRoute({
  method: "post",
  path: "/webhooks/resend",
  operationId: "receiveResendEvents",
  security: [],
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
    const sessionOrg = (await orgsBySession(c.env.DB, [session.id])).get(session.id);
    const settings = sessionOrg && mailSettingsOf(sessionOrg);
    // In the language asked, else the org's, as the invitations would be sent to people without one of their own.
    const input = c.req.valid("json");
    const locale = input.locale ?? sessionOrg?.settings.defaultLocale;
    return c.json(previewInvitation(session, { ...input, locale }, new URL(c.req.url).origin, c.var.clock.now(), settings), 200);
  })
  .openapi(redrive, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    return c.json(unwrap(await ledger.redriveMail(org.orgId)), 200);
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
