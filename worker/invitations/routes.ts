// Invitations: created by the provider (one or two hundred), sent, resent, cancelled; and the
// invitation link's own API, used by the invited person.

import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { actorOf } from "../auth/caller";
import { orgAccess } from "../auth/middleware";
import { throttleLinks } from "../auth/throttle";
import { type Outcome, ProblemError, problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import type { AppEnv } from "../http/context";
import { AUTH_PROBLEMS, bodyProblems, IdParam, jsonBody, jsonResponse, problems, TokenParam } from "../http/openapi";
import { parseSessionToken, sessionOfChild } from "../ids/ids";
import { checkoutAvailable, withCheckoutUrl, withLinkPrice } from "../payments/checkout";
import { adminLedger, ledgerFor } from "../sessions/ledger-client";
import { SessionParam } from "../sessions/schemas";
import {
  AcceptBody,
  AcceptResult,
  BulkBody,
  BulkResult,
  CreateInvitationsBody,
  CreateInvitationsResult,
  DeclineBody,
  EditInvitationBody,
  InvitationHistorySchema,
  InvitationSchema,
  InvitationStatusSchema,
  InviteLinkSchema,
} from "./schemas";
import { createSessionInvitations, requireMailBudget } from "./service";
import type { BulkInvitationAction } from "./statuses";

const tags = ["Invitations"];

const create = createRoute({
  method: "post",
  path: "/sessions/{id}/invitations",
  operationId: "createInvitations",
  tags,
  summary: "Invite one person or up to 200 at once",
  ...orgAccess("invite"),
  request: { params: SessionParam, body: jsonBody(CreateInvitationsBody) },
  responses: {
    201: jsonResponse(CreateInvitationsResult, "The invitations created, and those skipped"),
    ...bodyProblems(
      ...AUTH_PROBLEMS,
      "not_found",
      "session_not_found",
      "token_wrong_session",
      "validation_failed",
      "invalid_emails",
      "too_many_recipients",
      "capacity_full",
      "session_cancelled",
      "mail_budget_exceeded",
      "discount_invalid",
      "discount_expired",
      "discount_not_applicable",
    ),
  },
});

const list = createRoute({
  method: "get",
  path: "/sessions/{id}/invitations",
  operationId: "listInvitations",
  tags,
  summary: "List a session's invitations",
  ...orgAccess("roster:read"),
  request: { params: SessionParam, query: z.object({ status: InvitationStatusSchema.optional() }) },
  responses: {
    200: jsonResponse(z.object({ invitations: z.array(InvitationSchema) }), "Invitations"),
    ...problems(...AUTH_PROBLEMS, "not_found", "session_not_found", "token_wrong_session"),
  },
});

const one = (action: BulkInvitationAction, summary: string) =>
  createRoute({
    method: "post",
    path: `/invitations/{id}/${action}`,
    operationId: `${action}Invitation`,
    tags,
    summary,
    // Cancelling takes a seat back from someone: a change to the roster, not an invitation.
    ...orgAccess(action === "cancel" ? "manage" : "invite"),
    request: { params: IdParam },
    responses: {
      200: jsonResponse(InvitationSchema, "The invitation"),
      // Nothing is sent in a cancelled session; cancelling stays possible.
      ...problems(
        ...AUTH_PROBLEMS,
        "not_found",
        "session_not_found",
        "token_wrong_session",
        "invalid_transition",
        "mail_budget_exceeded",
        ...(action === "cancel" ? [] : (["session_cancelled"] as const)),
      ),
    },
  });

const bulk = (action: "send" | "resend", summary: string) =>
  createRoute({
    method: "post",
    path: `/sessions/{id}/invitations/${action}`,
    operationId: `${action}Invitations`,
    tags,
    summary,
    ...orgAccess("invite"),
    request: { params: SessionParam, body: jsonBody(BulkBody) },
    responses: {
      200: jsonResponse(BulkResult, "What was done and what was refused"),
      ...bodyProblems(
        ...AUTH_PROBLEMS,
        "not_found",
        "session_not_found",
        "token_wrong_session",
        "session_cancelled",
        "mail_budget_exceeded",
      ),
    },
  });

const edit = createRoute({
  method: "patch",
  path: "/invitations/{id}",
  operationId: "editInvitation",
  tags,
  summary: "Change the words of an invitation still to send",
  ...orgAccess("invite"),
  request: { params: IdParam, body: jsonBody(EditInvitationBody) },
  responses: {
    200: jsonResponse(InvitationSchema, "The invitation with its new words"),
    ...bodyProblems(...AUTH_PROBLEMS, "not_found", "session_not_found", "token_wrong_session", "invalid_transition"),
  },
});

const linkTags = ["Invitation link"];
const open = createRoute({
  method: "get",
  path: "/invites/{token}",
  operationId: "getInvite",
  security: [],
  tags: linkTags,
  summary: "What an invitation link shows",
  middleware: [throttleLinks] as const,
  request: { params: TokenParam },
  responses: {
    200: jsonResponse(InviteLinkSchema, "The session and the invitation"),
    ...problems("not_found", "origin_not_allowed", "rate_limited"),
  },
});

const accept = createRoute({
  method: "post",
  path: "/invites/{token}/accept",
  operationId: "acceptInvite",
  security: [],
  tags: linkTags,
  summary: "Accept: take the held seat (or ask for one)",
  middleware: [throttleLinks] as const,
  request: { params: TokenParam, body: jsonBody(AcceptBody) },
  responses: {
    201: jsonResponse(
      AcceptResult,
      "Registered: confirmed, on the waitlist, or (priced sessions, something owed after the invitation's discount) pending_payment with its checkoutUrl, the seat held for 31 minutes",
    ),
    ...bodyProblems(
      "not_found",
      "invitation_expired",
      "invitation_cancelled",
      "invitation_used",
      "already_registered",
      "capacity_full",
      "session_cancelled",
      "email_verification_required",
      "invalid_verification_code",
      "verification_code_expired",
      "verification_locked",
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

const decline = createRoute({
  method: "post",
  path: "/invites/{token}/decline",
  operationId: "declineInvite",
  security: [],
  tags: linkTags,
  summary: "Decline: the held seat is freed",
  middleware: [throttleLinks] as const,
  request: {
    params: TokenParam,
    body: {
      content: { "application/json": { schema: DeclineBody } },
      required: false,
      description: "The emailed code, when the invitation requires one.",
    },
  },
  responses: {
    200: jsonResponse(z.object({ status: z.literal("declined") }), "Declined"),
    ...problems(
      "not_found",
      "invitation_expired",
      "invitation_cancelled",
      "invitation_used",
      "email_verification_required",
      "invalid_verification_code",
      "verification_code_expired",
      "verification_locked",
      "rate_limited",
    ),
  },
});

const reopen = createRoute({
  method: "post",
  path: "/invites/{token}/reopen",
  operationId: "reopenInvite",
  security: [],
  tags: linkTags,
  summary: "Re-open a declined invitation (changed your mind)",
  description:
    "Allowed while the invitation has not expired and was not cancelled, the session is neither cancelled nor over, the address " +
    "has no registration and no newer invitation, and a seat is free (it is held again) or the waitlist is open (it is re-opened " +
    "without a seat: accepting joins the waitlist). The invitation is pending again (`sent`), its history records `reopened`.",
  middleware: [throttleLinks] as const,
  request: { params: TokenParam },
  responses: {
    200: jsonResponse(InviteLinkSchema, "The invitation, open again"),
    ...problems(
      "not_found",
      "invitation_expired",
      "invitation_cancelled",
      "invalid_transition",
      "already_registered",
      "capacity_full",
      "session_cancelled",
      "registration_closed",
      "rate_limited",
    ),
  },
});

const history = createRoute({
  method: "get",
  path: "/invitations/{id}/history",
  operationId: "getInvitationHistory",
  tags,
  summary: "What happened to an invitation, oldest first",
  ...orgAccess("roster:read"),
  request: { params: IdParam },
  responses: {
    200: jsonResponse(InvitationHistorySchema, "Its creation and every move of its status"),
    ...problems(...AUTH_PROBLEMS, "not_found", "session_not_found", "token_wrong_session"),
  },
});

const code = createRoute({
  method: "post",
  path: "/invites/{token}/code",
  operationId: "requestInviteCode",
  security: [],
  tags: linkTags,
  summary: "Send a six-digit code to the invited person (for invitations that require it)",
  description:
    "By email to the invited address, or by SMS when the person's contact in the directory chose SMS and has a number that can be texted; " +
    "the answer says which (`channel`) and where, masked (`sentTo`: `j•••@example.org` or `+33 •• •• •• 12`). " +
    "At most one code a minute and five a day per invitation (429 `rate_limited`, `Retry-After` says when). Ten wrong codes, across all of an invitation's codes, close it to codes (`verification_locked`) until the provider resends the invitation.",
  middleware: [throttleLinks] as const,
  request: { params: TokenParam },
  responses: {
    200: jsonResponse(
      z
        .object({
          channel: z.enum(["email", "sms"]).openapi({ description: "How the code went: emailed, or texted." }),
          sentTo: z.string().openapi({ description: "Where, masked: `j•••@example.org`, or `+33 •• •• •• 12` for a text." }),
          expiresAt: z.string(),
        })
        .openapi("CodeSent"),
      "Code sent",
    ),
    ...problems(
      "not_found",
      "invitation_expired",
      "invitation_cancelled",
      "invitation_used",
      "invalid_transition",
      "verification_locked",
      "rate_limited",
    ),
  },
});

function invitationLedger(env: Env, caller: AppEnv["Variables"]["caller"], invitationId: string) {
  const sessionId = sessionOfChild("inv", invitationId) ?? problem("not_found", "No such invitation.");
  return adminLedger(env, caller, sessionId);
}

/** Send, resend or cancel one invitation: the three routes differ only in the action. */
const invitationAction =
  (action: BulkInvitationAction): RouteHandler<ReturnType<typeof one>, AppEnv> =>
  async (c) => {
    const id = c.req.valid("param").id;
    const { org, ledger } = invitationLedger(c.env, c.var.caller, id);
    await requireMailBudget(c.env, org.orgId, action === "cancel" ? 0 : 1, c.var.clock.now());
    return c.json(unwrap(await ledger.invitationAction(org.orgId, id, action)), 200);
  };

/** Send or resend a session's invitations: every one the action applies to, or the given ids. */
const bulkAction =
  (action: "send" | "resend"): RouteHandler<ReturnType<typeof bulk>, AppEnv> =>
  async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    const ids = c.req.valid("json").ids;
    // Without ids the count is the ledger's to know: at least one email must fit.
    await requireMailBudget(c.env, org.orgId, ids ? ids.length : 1, c.var.clock.now());
    return c.json(unwrap(await ledger.bulkAction(org.orgId, action, ids)), 200);
  };

function linkLedger(env: Env, token: string) {
  const parsed = parseSessionToken(token) ?? problem("not_found", "This invitation link is not valid.");
  return unwrap(ledgerFor(env, parsed.sessionId));
}

export const invitationRoutes = router()
  .openapi(create, async (c) => {
    const sessionId = c.req.valid("param").id;
    const { org, ledger } = adminLedger(c.env, c.var.caller, sessionId);
    const created = await createSessionInvitations(
      c.env,
      ledger,
      sessionId,
      org.orgId,
      c.req.valid("json"),
      actorOf(org),
      c.var.clock.now(),
    );
    return c.json(created, 201);
  })
  .openapi(list, async (c) => {
    const { org, ledger } = adminLedger(c.env, c.var.caller, c.req.valid("param").id);
    return c.json({ invitations: unwrap(await ledger.listInvitations(org.orgId, c.req.valid("query").status)) }, 200);
  })
  .openapi(edit, async (c) => {
    const id = c.req.valid("param").id;
    const { org, ledger } = invitationLedger(c.env, c.var.caller, id);
    return c.json(unwrap(await ledger.editInvitationWords(org.orgId, id, c.req.valid("json"))), 200);
  })
  .openapi(one("send", "Send an invitation that is still to send"), invitationAction("send"))
  .openapi(one("resend", "Send a pending invitation again (same link)"), invitationAction("resend"))
  .openapi(one("cancel", "Cancel an invitation (frees its seat)"), invitationAction("cancel"))
  .openapi(bulk("send", "Send invitations: every one still to send (kept or scheduled), or the given ids"), bulkAction("send"))
  .openapi(bulk("resend", "Resend invitations: every pending one, or the given ids"), bulkAction("resend"))
  .openapi(open, async (c) => {
    const { token } = c.req.valid("param");
    const link = unwrap(await linkLedger(c.env, token).openInvitation(token));
    return c.json(await withLinkPrice(c.env.DB, parseSessionToken(token)!.sessionId, link, c.var.clock.now()), 200);
  })
  .openapi(accept, async (c) => {
    const { token } = c.req.valid("param");
    // Where to come back after checkout is not part of the acceptance.
    const { returnUrl, ...body } = c.req.valid("json");
    const ledger = linkLedger(c.env, token);
    const accepted = unwrap(await ledger.acceptInvitation(token, body, { payments: checkoutAvailable(c.env, c.req.url) }));
    // Awaiting payment, as a public registration in a priced session: the answer says where to pay.
    const sessionId = parseSessionToken(token)!.sessionId;
    const answer = await withCheckoutUrl(c.env, ledger, accepted, { url: c.req.url, sessionId, returnUrl, now: c.var.clock.now() });
    return c.json(answer, 201);
  })
  .openapi(decline, async (c) => {
    const { token } = c.req.valid("param");
    const body = c.req.header("content-type")?.includes("application/json") ? c.req.valid("json") : {};
    return c.json(unwrap(await linkLedger(c.env, token).declineInvitation(token, body.code)), 200);
  })
  .openapi(reopen, async (c) => {
    const { token } = c.req.valid("param");
    const link = unwrap(await linkLedger(c.env, token).reopenInvitation(token));
    return c.json(await withLinkPrice(c.env.DB, parseSessionToken(token)!.sessionId, link, c.var.clock.now()), 200);
  })
  .openapi(history, async (c) => {
    const id = c.req.valid("param").id;
    const { org, ledger } = invitationLedger(c.env, c.var.caller, id);
    return c.json({ events: unwrap(await ledger.invitationHistory(org.orgId, id)) }, 200);
  })
  .openapi(code, async (c) => {
    const { token } = c.req.valid("param");
    // The RPC stub's typing loses the failure branch of the ledger's Outcome.
    const result = (await linkLedger(c.env, token).requestInvitationCode(token)) as Outcome<{
      sentTo: string;
      expiresAt: string;
      address: string;
    }>;
    // The invitation's own allowance of codes says when the next one may go.
    if (!result.ok && result.error.code === "rate_limited")
      throw new ProblemError(result.error, { "retry-after": String(result.error.extra?.retryAfter ?? 60) });
    const { address, sentTo, expiresAt } = unwrap(result);
    // The code is on its way whatever this says: an unreadable directory answers as the email it most likely is.
    const lookup = c.get("codeChannel");
    const sms = lookup
      ? await lookup(c.env, parseSessionToken(token)!.sessionId, address).catch((error: unknown) => {
          console.warn("code: channel unknown, answering email", error);
          return null;
        })
      : null;
    return c.json(sms ? { channel: "sms" as const, sentTo: sms.sentTo, expiresAt } : { channel: "email" as const, sentTo, expiresAt }, 200);
  });
