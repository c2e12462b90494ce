// The host on their session's public page: a member signed in to the hosted admin of this same
// origin (its cookie reaches /s/ as well) who hosts the session sees "You are attending!" instead of
// the join form. The element on another site cannot see that cookie, so it cannot say so there.

import type { Context } from "hono";
import { readSessionCookie } from "../auth/admin-cookie";
import { resolveAdminSession } from "../auth/admin-sessions";
import type { AppEnv } from "../http/context";
import { sessionHostOf } from "../sessions/hosts";

/** Whether the member signed in on this browser hosts the session (an owner viewing as a host does not). */
export async function hostIsSignedIn(c: Context<AppEnv>, sessionId: string): Promise<boolean> {
  const secret = readSessionCookie(c);
  if (!secret) return false;
  const identity = await resolveAdminSession(c.env.DB, secret, c.var.clock.now());
  if (!identity) return false;
  const signedIn = identity.viewer?.memberId ?? identity.memberId;
  return (await sessionHostOf(c.env.DB, identity.orgId, sessionId)) === signedIn;
}
