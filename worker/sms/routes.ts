// /v1 routes of SMS: Twilio's status callbacks and inbound texts, both signed with the account's
// auth token. Form-encoded as Twilio posts them; the signature covers every parameter, so the
// body is read whole here rather than through a schema.

import { createRoute, z } from "@hono/zod-openapi";
import { ledgerReporter } from "../email/status";
import { unwrap } from "../errors/problem";
import { router } from "../http/app";
import { jsonResponse, problems } from "../http/openapi";
import { handleInbound, handleStatusCallback, type TwilioRequest } from "./webhooks";

const StatusResult = z
  .object({ result: z.enum(["applied", "ignored", "unknown_message"]), status: z.string().optional() })
  .openapi("SmsStatusResult");

const status = createRoute({
  method: "post",
  path: "/webhooks/twilio/status",
  operationId: "receiveTwilioStatus",
  security: [],
  tags: ["Webhooks"],
  summary: "Delivery of a text, from Twilio",
  description:
    "Twilio's status callback for a text Rollcall sent (the URL carries `m`, the message's id). Form-encoded (MessageSid, MessageStatus, ErrorCode…) " +
    "and signed with TWILIO_AUTH_TOKEN in `X-Twilio-Signature` (HMAC-SHA1 over the full URL and the sorted parameters). " +
    "sent, delivered, undelivered (shown as bounced) and failed update the invitation's delivery status; a late or repeated callback moves nothing backwards.",
  request: { query: z.object({ m: z.string().optional().openapi({ description: "The message's id." }) }) },
  responses: {
    200: jsonResponse(StatusResult, "Accepted (also for statuses that say nothing about delivery)"),
    ...problems("invalid_signature", "unavailable"),
  },
});

const inbound = createRoute({
  method: "post",
  path: "/webhooks/twilio/inbound",
  operationId: "receiveTwilioInbound",
  security: [],
  tags: ["Webhooks"],
  summary: "A text sent to Rollcall's number, from Twilio",
  description:
    "Form-encoded (From, Body…), signed like the status callback. STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT and ARRET (or ARRÊT) stop every later text " +
    "to the number (its contacts keep their choice of SMS, and get emails, the roster noting `smsFallback: opted_out`); START or UNSTOP lifts the stop " +
    "and the texts resume. Only a hash of the number is kept. Answers an empty TwiML response.",
  responses: {
    200: { description: "An empty TwiML response", content: { "text/xml": { schema: z.string() } } },
    ...problems("invalid_signature", "unavailable"),
  },
});

async function twilioRequest(c: {
  req: { url: string; text(): Promise<string>; header(name: string): string | undefined };
}): Promise<TwilioRequest> {
  return { url: c.req.url, params: new URLSearchParams(await c.req.text()), signature: c.req.header("x-twilio-signature") ?? null };
}

export const smsRoutes = router()
  .openapi(status, async (c) => {
    const outcome = await handleStatusCallback(c.env, await twilioRequest(c), ledgerReporter(c.env), c.var.clock.now());
    return c.json(unwrap(outcome), 200);
  })
  .openapi(inbound, async (c) => {
    unwrap(await handleInbound(c.env, await twilioRequest(c), c.var.clock.now()));
    return c.body('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', 200, { "content-type": "text/xml; charset=utf-8" });
  });
