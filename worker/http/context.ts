// What every route handler sees: the bindings, the clock that says what time it is, and who is
// calling once auth has run. The caller's shape is declared here, where the context is, so that
// auth (which resolves it) and every route (which reads it) depend on this folder, not on each other.

import type { MEMBER_ROLES, OrgSettings } from "../db/schema";
import type { Clock } from "../time/clock";

/**
 * What a widget token may do, each admin route needing one: `roster:read` reads sessions, rosters
 * and invitations; `invite` invites (create, preview, send, resend) and adds participants;
 * `manage` cancels invitations, removes participants, and creates, edits and cancels sessions.
 * An API key may do all three.
 */
export const WIDGET_SCOPES = ["roster:read", "invite", "manage"] as const;
export type WidgetScope = (typeof WIDGET_SCOPES)[number];

/** Who is calling. Admin routes act for exactly one organisation; a widget token may narrow that to one session and some scopes. */
export type Caller =
  | { kind: "root" }
  | { kind: "api_key"; orgId: string; keyId: string }
  | {
      kind: "widget";
      orgId: string;
      sessionId: string | null;
      scopes: readonly WidgetScope[];
      source: string;
      /** A token given to a member: their role now, the org's settings for hosts, and who hosts the token's session now. */
      member?: TokenMember;
    };

export type TokenMember = {
  memberId: string;
  role: (typeof MEMBER_ROLES)[number];
  settings: Pick<OrgSettings, "hostsCanCreateSessions" | "hostsCanInvite">;
  sessionHostMemberId: string | null;
};

/**
 * Whether an invitation's one-time code goes by SMS, and to which masked number (null: by email).
 * The app sets it (worker/sms/code-channel.ts) for the invitations' code route, so the two folders
 * do not reach each other.
 */
export type CodeChannel = (env: Env, sessionId: string, address: string) => Promise<{ channel: "sms"; sentTo: string } | null>;

export type AppEnv = {
  Bindings: Env;
  Variables: { caller: Caller; clock: Clock; codeChannel?: CodeChannel };
};
