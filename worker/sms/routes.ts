// /v1 routes of SMS: Twilio's status callbacks and inbound texts, both signed with the account's
// auth token, at one URL (/webhooks/twilio), and each at the URL of its own that came first
// (/status, /inbound: texts already sent name it as their callback, numbers may be set to it).
// Form-encoded as Twilio posts them; the signature covers every parameter, so the body is read
// whole here rather than through a schema.

import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ledgerReporter } from "../email/status";
import { unwrap } from "../errors/problem";
import { router } from "../http/app";
import type { AppEnv } from "../http/context";
import { jsonResponse, problems } from "../http/openapi";
import { handleInbound, handleStatusCallback, isIncomingText, START_WORDS, STOP_WORDS, type TwilioRequest } from "./webhooks";

const StatusResult = z
  .object({ result: z.enum(["applied", "ignored", "unknown_message"]), status: z.string().optional() })
  .openapi("SmsStatusResult");

/** What an incoming text does, said once for both routes that take one (the words are webhooks.ts's). */
const OPT_OUTS =
  `A text whose first word is ${[...STOP_WORDS].join(", ")} (accents and case aside) sets the number's contacts back to email and stops ` +
  "every later text to the number, even when SMS is chosen for them again (the roster noting `smsFallback: opted_out`); " +
  `${[...START_WORDS].join(", ")} lifts the stop. Only a hash of the number is kept.`;

const StatusCallbackQuery = z.object({ m: z.string().optional().openapi({ description: "The message's id." }) });
const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const twiml = { "text/xml": { schema: z.string() } };
const twimlResponse = { description: "An empty TwiML response", content: twiml };

const twilio = createRoute({
  method: "post",
  path: "/webhooks/twilio",
  operationId: "receiveTwilioWebhook",
  security: [],
  tags: ["Webhooks"],
  summary: "Twilio's status callbacks and incoming texts",
  description:
    "The URL for both: each text Rollcall sends names it as its status callback (with `m`, the message's id), and the number's incoming " +
    "messages go to it (set in Twilio's console). Form-encoded, signed with TWILIO_AUTH_TOKEN in `X-Twilio-Signature` (HMAC-SHA1 over the " +
    "full URL and the sorted parameters). A request with a MessageStatus is a status callback: sent, delivered, undelivered (shown as " +
    "bounced) and failed update the invitation's delivery status, and a late or repeated callback moves nothing backwards; it is answered " +
    `JSON. An incoming text (SmsStatus \`received\`) is answered an empty TwiML response. ${OPT_OUTS}`,
  request: { query: StatusCallbackQuery },
  responses: {
    200: {
      description: "A status callback: JSON; an incoming text: an empty TwiML response",
      content: { "application/json": { schema: StatusResult }, ...twiml },
    },
    ...problems("invalid_signature", "unavailable"),
  },
});

// The two URLs of 0.1.0, one for each kind: still answered, for texts sent then (their callback
// names /status) and numbers set then (/inbound).
const status = createRoute({
  method: "post",
  path: "/webhooks/twilio/status",
  operationId: "receiveTwilioStatus",
  security: [],
  deprecated: true,
  tags: ["Webhooks"],
  summary: "Delivery of a text, from Twilio (use POST /v1/webhooks/twilio)",
  description:
    "Twilio's status callback for a text Rollcall sent (the URL carries `m`, the message's id). Form-encoded (MessageSid, MessageStatus, ErrorCode…) " +
    "and signed like `POST /v1/webhooks/twilio`, which texts name as their callback since; still answered for texts sent before. " +
    "sent, delivered, undelivered (shown as bounced) and failed update the invitation's delivery status; a late or repeated callback moves nothing backwards.",
  request: { query: StatusCallbackQuery },
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
  deprecated: true,
  tags: ["Webhooks"],
  summary: "A text sent to Rollcall's number, from Twilio (use POST /v1/webhooks/twilio)",
  description:
    "Form-encoded (From, Body…), signed like `POST /v1/webhooks/twilio`, which takes incoming texts too; still answered for numbers set to this URL. " +
    `${OPT_OUTS} Answers an empty TwiML response.`,
  responses: {
    200: twimlResponse,
    ...problems("invalid_signature", "unavailable"),
  },
});

/** A status callback, applied: the outcome as JSON. */
const answerStatus = async (c: Context<AppEnv>, request: TwilioRequest) =>
  c.json(unwrap(await handleStatusCallback(c.env, request, ledgerReporter(c.env), c.var.clock.now())), 200);

/** An incoming text, applied: an empty TwiML response (Twilio sends no reply). */
const answerText = async (c: Context<AppEnv>, request: TwilioRequest) => {
  unwrap(await handleInbound(c.env, request, c.var.clock.now()));
  return c.body(TWIML_EMPTY, 200, { "content-type": "text/xml; charset=utf-8" });
};

async function twilioRequest(c: {
  req: { url: string; text(): Promise<string>; header(name: string): string | undefined };
}): Promise<TwilioRequest> {
  return { url: c.req.url, params: new URLSearchParams(await c.req.text()), signature: c.req.header("x-twilio-signature") ?? null };
}

export const smsRoutes = router()
  .openapi(twilio, async (c) => {
    const request = await twilioRequest(c);
    return isIncomingText(request.params) ? answerText(c, request) : answerStatus(c, request);
  })
  .openapi(status, async (c) => answerStatus(c, await twilioRequest(c)))
  .openapi(inbound, async (c) => answerText(c, await twilioRequest(c)));
