// `/v1/members`: the org's members through the API, with the rules of the hosted admin's members
// page (members/members.ts): any key lists them and invites admins; a key acts with the role of
// the member it answers to (an org's own keys as an owner), so only an owner's key invites owners,
// changes roles and removes members, and the last owner stays.

import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { pendingMemberInvites } from "../auth/links";
import { orgCaller, requireApiKey } from "../auth/middleware";
import { mailQueues } from "../email/queues";
import { problem, unwrap } from "../errors/problem";
import { router } from "../http/app";
import type { AppEnv } from "../http/context";
import { bearer, bodyProblems, IdParam, jsonBody, jsonResponse, problems } from "../http/openapi";
import { keyAuthority } from "../orgs/keys";
import { readOrg } from "../orgs/orgs";
import { inviteMember } from "./invite";
import { changeMemberRole, listMembers, removeMember } from "./members";
import { MemberInvitationSchema, MemberInviteBody, MemberListSchema, MemberPatchBody, MemberRemovalSchema, MemberSchema } from "./schemas";

const tags = ["Members"];

const listRoute = createRoute({
  method: "get",
  path: "/members",
  operationId: "listMembers",
  summary: "The org's members, and the invitations to become one that wait",
  tags,
  security: bearer,
  middleware: [requireApiKey] as const,
  responses: { 200: jsonResponse(MemberListSchema, "Members and waiting invitations"), ...problems("unauthenticated", "forbidden") },
});

const inviteRoute = createRoute({
  method: "post",
  path: "/members",
  operationId: "inviteMember",
  summary: "Invite someone to become a member (emails a one-time link, valid 72 hours)",
  description:
    "The address gets a link that makes it a member with `role` (default `admin`) once followed. " +
    "Only a key that answers to an owner, or one of the org's own keys, invites an `owner`.",
  tags,
  security: bearer,
  middleware: [requireApiKey] as const,
  request: { body: jsonBody(MemberInviteBody) },
  responses: {
    202: jsonResponse(MemberInvitationSchema, "The invitation was emailed"),
    ...bodyProblems("unauthenticated", "forbidden", "validation_failed", "already_member"),
  },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/members/{id}",
  operationId: "changeMemberRole",
  summary: "Change a member's role (owners only; the last owner stays one)",
  tags,
  security: bearer,
  middleware: [requireApiKey] as const,
  request: { params: IdParam, body: jsonBody(MemberPatchBody) },
  responses: {
    200: jsonResponse(MemberSchema, "The member"),
    ...bodyProblems("unauthenticated", "forbidden", "not_found", "validation_failed", "last_owner"),
  },
});

const removeRoute = createRoute({
  method: "delete",
  path: "/members/{id}",
  operationId: "removeMember",
  summary: "Remove a member (owners only; the last owner stays)",
  description:
    "In one step: signs them out everywhere, cancels the member invitations they sent that wait, and revokes the API keys " +
    "that answer to them (and the widget tokens those keys minted). Then, within moments, each session they host that has " +
    "not ended loses its host (`hostMemberId` null) and their host's registration is cancelled, as an edit naming no host does.",
  tags,
  security: bearer,
  middleware: [requireApiKey] as const,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(MemberRemovalSchema, "What the removal took away"),
    ...problems("unauthenticated", "forbidden", "not_found", "last_owner"),
  },
});

/** The org and the role the calling key acts with. */
async function authority(c: Context<AppEnv>) {
  const caller = orgCaller(c.var.caller);
  if (caller.kind !== "api_key") return problem("forbidden", "This route needs an org API key.");
  const by = (await keyAuthority(c.env.DB, caller.orgId, caller.keyId)) ?? problem("unauthenticated", "This API key was revoked.");
  return { orgId: caller.orgId, ...by };
}

export const memberRoutes = router()
  .openapi(listRoute, async (c) => {
    const { orgId } = orgCaller(c.var.caller);
    const [members, waiting] = await Promise.all([listMembers(c.env.DB, orgId), pendingMemberInvites(c.env.DB, orgId, c.var.clock.now())]);
    const invitations = waiting.map((w) => ({ email: w.email, role: w.role ?? "admin", expiresAt: w.expiresAt }));
    return c.json({ members, invitations }, 200);
  })
  .openapi(inviteRoute, async (c) => {
    const by = await authority(c);
    const org = (await readOrg(c.env.DB, by.orgId)) ?? problem("not_found", "No such organisation.");
    const { email, role } = c.req.valid("json");
    const input = {
      orgId: org.id,
      orgName: org.name,
      email,
      role,
      by: { role: by.role, memberId: by.memberId },
      baseUrl: new URL(c.req.url).origin,
      locale: org.settings.defaultLocale ?? "en",
    };
    return c.json(unwrap(await inviteMember(c.env.DB, mailQueues(c.env), input, c.var.clock.now())), 202);
  })
  .openapi(patchRoute, async (c) => {
    const by = await authority(c);
    const changed = await changeMemberRole(c.env.DB, by.orgId, by.role, c.req.valid("param").id, c.req.valid("json").role);
    return c.json(unwrap(changed), 200);
  })
  .openapi(removeRoute, async (c) => {
    const by = await authority(c);
    const removed = await removeMember(c.env.DB, c.env.FANOUT_QUEUE, by.orgId, by.role, c.req.valid("param").id, c.var.clock.now());
    return c.json(unwrap(removed), 200);
  });
