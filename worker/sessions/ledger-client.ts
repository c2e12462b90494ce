// The one place the API reaches a session's ledger, the Durable Object that owns its seats,
// registrations and invitations. Routes, pages, the admin and the mail consumer all come through here.

import { type OrgCaller, reachesSession, wrongSession } from "../auth/caller";
import { orgCaller } from "../auth/middleware";
import { fail, type Outcome, ok, problem, unwrap } from "../errors/problem";
import type { Caller } from "../http/context";
import { isSessionId } from "../ids/ids";

export function sessionLedger(env: Env, sessionId: string) {
  return env.LEDGER.get(env.LEDGER.idFromName(sessionId));
}

export type SessionLedgerStub = ReturnType<typeof sessionLedger>;

/** The ledger of a session id from a URL, or session_not_found without waking an object for garbage. */
export function ledgerFor(env: Env, sessionId: string): Outcome<SessionLedgerStub> {
  return isSessionId(sessionId) ? ok(sessionLedger(env, sessionId)) : fail("session_not_found", "No such session: check the session id.");
}

/**
 * The caller's ledger for a session id in the path. A widget token minted for one session is
 * refused for any other (whether that one exists or not, so the refusal tells nothing about it).
 */
export function adminLedger(env: Env, caller: Caller, id: string): { org: OrgCaller; ledger: SessionLedgerStub } {
  const org = orgCaller(caller);
  if (!reachesSession(org, id)) problem("token_wrong_session", wrongSession(id));
  return { org, ledger: unwrap(ledgerFor(env, id)) };
}
