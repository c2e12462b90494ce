// Who may do what, in one place: the hosted admin's guard and pages, the widget tokens it gives
// out, and the API's check of those tokens all ask `can`. Owners and admins run the whole org (an
// owner's extra rights over members and sensitive settings are members/ and orgs/settings.ts's);
// a host sees and runs only the sessions they host, and what else the org's settings allow.

import type { OrgSettings } from "../db/schema";
import type { Failure } from "../errors/problem";
import type { Role } from "./admin-sessions";

/** The member asking, with the org's settings that widen what a host may do. */
export type Actor = { memberId: string; role: Role; settings: Pick<OrgSettings, "hostsCanCreateSessions" | "hostsCanInvite"> };

/**
 * - `session:read`, `session:manage`: see one session (its roster, seats, mail), run it (edit,
 *   cancel, remove participants, send and resend what is already invited);
 * - `session:invite`: invite people to it (the invite modal, its preview, adding participants);
 * - `session:create`: create a session (a host's is theirs);
 * - `session:assign`: name or change a session's host;
 * - `contacts:pick`: search the org's contacts in the invite modal's picker;
 * - `org`: everything else of the org's (its directory, keys, settings, members, privacy).
 */
export const ACTIONS = [
  "session:read",
  "session:manage",
  "session:invite",
  "session:create",
  "session:assign",
  "contacts:pick",
  "org",
] as const;
export type Action = (typeof ACTIONS)[number];

/** The session an action is about: who hosts it (null: nobody). */
export type SessionResource = { hostMemberId: string | null };

const SESSION_ACTIONS: readonly Action[] = ["session:read", "session:manage", "session:invite"];

export function can(actor: Actor, action: Action, session?: SessionResource): boolean {
  if (actor.role !== "host") return true;
  const own = session !== undefined && session.hostMemberId === actor.memberId;
  if (SESSION_ACTIONS.includes(action) && !own) return false;
  switch (action) {
    case "session:read":
    case "session:manage":
      return true;
    case "session:invite":
    case "contacts:pick":
      return actor.settings.hostsCanInvite === true;
    case "session:create":
      return actor.settings.hostsCanCreateSessions === true;
    default:
      return false;
  }
}

/** Why the actor may not, as the API says it (403 `forbidden`), or null when they may. */
export function refusal(actor: Actor, action: Action, session?: SessionResource): Failure | null {
  if (can(actor, action, session)) return null;
  const detail =
    action === "session:invite" || action === "contacts:pick"
      ? "Hosts of this organisation may not invite people: an owner can allow it in the org's settings (hostsCanInvite)."
      : action === "session:create"
        ? "Hosts of this organisation may not create sessions: an owner can allow it in the org's settings (hostsCanCreateSessions)."
        : SESSION_ACTIONS.includes(action)
          ? "A host sees and runs only the sessions they host."
          : "A host sees and runs only the sessions they host, not the organisation's other data.";
  return { code: "forbidden", detail };
}
