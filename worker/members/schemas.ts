// Shapes of members and member invitations, for `/v1/members`.

import { z } from "@hono/zod-openapi";
import { MEMBER_ROLES } from "../db/schema";
import { Email } from "../registrations/schemas";

export const Role = z.enum(MEMBER_ROLES).openapi({
  description:
    "`owner`: also manages members, roles and the org's sensitive settings. `admin`: runs sessions, the directory and keys. " +
    "`host`: sees and runs only the sessions they host, in the hosted admin (the org's settings `hostsCanCreateSessions` and `hostsCanInvite` allow more).",
});

export const MemberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: Role,
    createdAt: z.string(),
    publicName: z
      .string()
      .nullable()
      .openapi({ description: "The name on their public page, which they set in the hosted admin (Your public page); null: no page." }),
    publicSlug: z.string().nullable().openapi({
      description: "Their public page's address in the org: /o/{org slug}/hosts/{publicSlug}, and <rollcall-sessions org host>.",
    }),
  })
  .openapi("Member");

export const MemberInvitationSchema = z.object({ email: z.string(), role: Role, expiresAt: z.string() }).openapi("MemberInvitation");

export const MemberListSchema = z
  .object({
    members: z.array(MemberSchema),
    invitations: z.array(MemberInvitationSchema).openapi({ description: "Invitations sent and still waiting to be accepted." }),
  })
  .openapi("MemberList");

export const MemberInviteBody = z
  .object({ email: Email, role: Role.default("admin") })
  .strict()
  .openapi("MemberInviteBody");

export const MemberPatchBody = z.object({ role: Role }).strict().openapi("MemberPatchBody");

export const MemberRemovalSchema = z
  .object({
    member: MemberSchema,
    keysRevoked: z.number().int().openapi({ description: "API keys that answered to the member, revoked with their widget tokens." }),
    invitationsCancelled: z.number().int().openapi({ description: "Member invitations they sent that were still waiting." }),
  })
  .openapi("MemberRemoval");
