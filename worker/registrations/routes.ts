// Registrations: the public sign-up, the provider adding or removing someone, the participant's
// own cancel link, and the public view of a session.

import { createRoute, z } from "@hono/zod-openapi";
import { actorOf } from "../auth/caller";
import { orgAccess } from "../auth/middleware";
import { clientOf } from "../auth/throttle";
import { claimTypedDiscount } from "../discounts/check";
import { normaliseCode } from "../discounts/decide";
import { release } from "../discounts/redemptions";
import { type Outcome, ProblemError, problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import { AUTH_PROBLEMS, bodyProblems, IdParam, jsonBody, jsonResponse, problems, TokenParam } from "../http/openapi";
import { newChildId, parseSessionToken, sessionOfChild } from "../ids/ids";
import { checkoutAvailable, withCheckoutUrl } from "../payments/checkout";
import { adminLedger, ledgerFor } from "../sessions/ledger-client";
import { PublicSessionSchema, SessionParam } from "../sessions/schemas";
import {
  ConfirmRegistrationBody,
  ManageLinkBody,
  ManageLinkResult,
  ProviderRegistrationBody,
  PublicRegistrationBody,
  PublicRegistrationResult,
  RegistrationParam,
  RegistrationSchema,
} from "./schemas";
import { REGISTRATION_STATUSES } from "./statuses";

const tags = ["Registrations"];

const publicView = createRoute({
  method: "get",
  path: "/public/sessions/{id}",
  operationId: "getPublicSession",
  security: [],
  tags: ["Public"],
  summary: "The public view of a session (no personal data)",
  request: { params: SessionParam },
  responses: {
    200: jsonResponse(PublicSessionSchema, "The session"),
    ...problems("session_not_found", "origin_not_allowed", "rate_limited"),
  },
});

const publicRegister = createRoute({
  method: "post",
  path: "/public/sessions/{id}/registrations",
  operationId: "register",
  security: [],
  tags: ["Public"],
  summary: "Register for a session",
  request: {
    params: SessionParam,
    headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
    body: jsonBody(PublicRegistrationBody),
  },
  responses: {
    201: jsonResponse(
      PublicRegistrationResult,
      "Registered: confirmed, on the waitlist, (sessions with confirmByEmail) pending_confirmation until the registrant confirms the address, or (priced sessions) pending_payment with its checkoutUrl, the seat held for 31 minutes",
    ),
    ...bodyProblems(
      "session_not_found",
      "origin_not_allowed",
      "capacity_full",
      "already_registered",
      "registration_not_open",
      "registration_closed",
      "session_cancelled",
      "invalid_code",
      "idempotency_conflict",
      "too_many_registrations",
      "rate_limited",
      "discount_invalid",
      "discount_expired",
      "discount_exhausted",
      "discount_not_applicable",
      "payments_unavailable",
      "checkout_failed",
      "hold_released",
    ),
  },
});

const publicConfirm = createRoute({
  method: "post",
  path: "/public/sessions/{id}/registrations/{registrationId}/confirm",
  operationId: "confirmRegistration",
  security: [],
  tags: ["Public"],
  summary: "Confirm a registration with the code emailed to the registrant",
  description:
    "For sessions with confirmByEmail. The link in the same email confirms too (the hosted page /c/{token}). Five wrong codes, then only the link works. Confirming again answers the registration without its cancel link.",
  request: { params: RegistrationParam, body: jsonBody(ConfirmRegistrationBody) },
  responses: {
    200: jsonResponse(PublicRegistrationResult, "Confirmed: a seat, or a place on the waitlist"),
    ...bodyProblems(
      "not_found",
      "invalid_verification_code",
      "verification_code_expired",
      "confirmation_expired",
      "capacity_full",
      "session_cancelled",
      "rate_limited",
    ),
  },
});

const manageLink = createRoute({
  method: "post",
  path: "/public/sessions/{id}/manage-link",
  operationId: "requestManageLink",
  security: [],
  tags: ["Public"],
  summary: "Email a registrant the link to manage their registration",
  description:
    "For someone told `already_registered` who lost their confirmation. Answers the same whether or not the " +
    "address is registered; when it is, the link goes to that address only, at most once every 10 minutes.",
  request: { params: SessionParam, body: jsonBody(ManageLinkBody) },
  responses: {
    200: jsonResponse(ManageLinkResult, "Accepted"),
    ...bodyProblems("session_not_found", "origin_not_allowed", "rate_limited"),
  },
});

const providerAdd = createRoute({
  method: "post",
  path: "/sessions/{id}/registrations",
  operationId: "addParticipant",
  tags,
  summary: "Add a participant directly",
  ...orgAccess("invite"),
  request: { params: SessionParam, body: jsonBody(ProviderRegistrationBody) },
  responses: {
    201: jsonResponse(RegistrationSchema.extend({ capacityRaisedBy: z.number().int() }), "The confirmed registration"),
    ...bodyProblems(
      ...AUTH_PROBLEMS,
      "not_found",
      "session_not_found",
      "token_wrong_session",
      "capacity_full",
      "capacity_limit",
      "already_registered",
      "session_cancelled",
    ),
  },
});

const providerCancel = createRoute({
  method: "post",
  path: "/registrations/{id}/cancel",
  operationId: "removeParticipant",
  tags,
  summary: "Remove a participant (frees the seat; the waitlist moves up)",
  ...orgAccess("manage"),
  request: { params: IdParam },
  responses: {
    200: jsonResponse(RegistrationSchema, "The cancelled registration"),
    ...problems(...AUTH_PROBLEMS, "not_found", "session_not_found", "token_wrong_session"),
  },
});

const manageCancel = createRoute({
  method: "post",
  path: "/manage/{token}/cancel",
  operationId: "cancelOwnRegistration",
  security: [],
  tags: ["Public"],
  summary: "The participant cancels their own registration",
  request: { params: TokenParam },
  responses: {
    200: jsonResponse(
      RegistrationSchema.pick({ id: true, status: true, cancelledAt: true }).extend({
        refund: z.enum(["full", "none"]).optional().openapi({
          description:
            "A paid registration only: `full` when the payment is to be refunded in full (cancelled at least refundUntilDays days before the start), `none` when the session's refund policy gives nothing back.",
        }),
      }),
      "Cancelled",
    ),
    ...problems("not_found", "origin_not_allowed", "rate_limited"),
  },
});

const manageStatus = createRoute({
  method: "get",
  path: "/manage/{token}",
  operationId: "readOwnRegistrationStatus",
  tags: ["Public"],
  security: [],
  summary: "Where the holder of a manage link stands (the join element's returning-registrant check)",
  description:
    "Only the registration's status and waitlist position, for whoever holds its secret manage token (the registration's answer gave it): " +
    "no name, no address, and an unknown token is the same 404 as a malformed one. <rollcall-join> keeps the token on the browser that registered, " +
    'to show "You are attending!" with the cancel link on the next visit.',
  request: { params: TokenParam },
  responses: {
    200: jsonResponse(
      z.object({ status: z.enum(REGISTRATION_STATUSES), waitlistPosition: z.number().int().nullable() }).openapi("ManageStatus"),
      "The registration's status",
    ),
    ...problems("not_found", "origin_not_allowed", "rate_limited"),
  },
});

export const registrationRoutes = router()
  .openapi(publicView, async (c) => {
    const ledger = unwrap(ledgerFor(c.env, c.req.valid("param").id));
    return c.json(unwrap(await ledger.readPublic()), 200);
  })
  .openapi(publicRegister, async (c) => {
    const sessionId = c.req.valid("param").id;
    const ledger = unwrap(ledgerFor(c.env, sessionId));
    // Where to come back after checkout is not part of the registration (nor of its idempotent replay).
    const { returnUrl, ...body } = c.req.valid("json");
    const idempotencyKey = c.req.valid("header")["idempotency-key"];
    // A typed code is checked against the catalogue and one of its uses claimed for the new
    // registration before its seat is held (discounts/check.ts); the registration keeps the code
    // as the catalogue spells it.
    const registrationId = newChildId("reg", sessionId);
    const claimed = body.discountCode
      ? await claimTypedDiscount(c.env.DB, sessionId, body.discountCode, registrationId, c.var.clock.now())
      : null;
    // A code used up may have been used up by this very request, sent before: with its
    // Idempotency-Key the ledger answers that registration again, and refuses anything new.
    if (claimed && !claimed.ok && !(idempotencyKey && claimed.error.code === "discount_exhausted")) unwrap(claimed);
    const discount = claimed?.ok ? claimed.value : null;
    // The RPC stub's typing loses the failure branch of the ledger's Outcome.
    const outcome = (await ledger.register(body.discountCode ? { ...body, discountCode: normaliseCode(body.discountCode) } : body, {
      idempotencyKey,
      client: clientOf(c),
      payments: checkoutAvailable(c.env, c.req.url),
      discount,
      registrationId,
      ...(claimed && !claimed.ok ? { refusal: claimed.error } : {}),
    })) as Outcome<z.infer<typeof PublicRegistrationResult>>;
    // The use goes back when no registration was made under its id (refused, or a replay of an earlier one).
    if (discount && (!outcome.ok || outcome.value.registration.id !== registrationId)) await release(c.env.DB, registrationId);
    // Too many wrong codes: the ledger says how long until its window ends.
    if (!outcome.ok && outcome.error.code === "rate_limited")
      throw new ProblemError(outcome.error, { "retry-after": String(outcome.error.extra?.retryAfter ?? 60) });
    // Awaiting payment: the answer says where to pay. With a key, this request sent again is answered
    // this registration again: a checkout that failed for a moment keeps its seat for that retry.
    const answer = await withCheckoutUrl(
      c.env,
      ledger,
      unwrap(outcome),
      { url: c.req.url, sessionId, returnUrl, now: c.var.clock.now() },
      { retriable: Boolean(idempotencyKey) },
    );
    return c.json(answer, 201);
  })
  .openapi(publicConfirm, async (c) => {
    const { id, registrationId } = c.req.valid("param");
    if (sessionOfChild("reg", registrationId) !== id) problem("not_found", "No such registration awaits a confirmation.");
    const ledger = unwrap(ledgerFor(c.env, id));
    return c.json(unwrap(await ledger.confirmWithCode(registrationId, c.req.valid("json").code)), 200);
  })
  .openapi(manageLink, async (c) => {
    const ledger = unwrap(ledgerFor(c.env, c.req.valid("param").id));
    unwrap(await ledger.sendManageLink(c.req.valid("json").email));
    return c.json({ accepted: true as const }, 200);
  })
  .openapi(providerAdd, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    return c.json(unwrap(await ledger.addParticipant(org.orgId, c.req.valid("json"), actorOf(org))), 201);
  })
  .openapi(providerCancel, async (c) => {
    const id = c.req.valid("param").id;
    const sessionId = sessionOfChild("reg", id) ?? problem("not_found", "No such registration.");
    const { org, ledger } = adminLedger(c.env, c.var.caller, sessionId);
    return c.json(unwrap(await ledger.cancelRegistration(org.orgId, id)), 200);
  })
  .openapi(manageStatus, async (c) => {
    const { token } = c.req.valid("param");
    const parsed = parseSessionToken(token) ?? problem("not_found", "This link is not valid.");
    const ledger = unwrap(ledgerFor(c.env, parsed.sessionId));
    const { status, waitlistPosition } = unwrap(await ledger.manageView(token)).registration;
    return c.json({ status, waitlistPosition }, 200);
  })
  .openapi(manageCancel, async (c) => {
    const { token } = c.req.valid("param");
    const parsed = parseSessionToken(token) ?? problem("not_found", "This link is not valid.");
    const ledger = unwrap(ledgerFor(c.env, parsed.sessionId));
    const { id, status, cancelledAt, payment } = unwrap(await ledger.cancelByManageToken(token));
    const refund = payment?.status === "refund_due" ? "full" : payment?.status === "paid" ? "none" : undefined;
    return c.json({ id, status, cancelledAt, ...(refund ? { refund } : {}) }, 200);
  })
  // The live channel: a WebSocket to the session's ledger, which pushes its public state on
  // every change. Not in the OpenAPI document, which does not describe WebSockets.
  .get("/public/sessions/:id/live", (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") problem("malformed_request", "Open this URL as a WebSocket.");
    return unwrap(ledgerFor(c.env, c.req.param("id"))).fetch(c.req.raw);
  });
