// The one place the API reaches a session's ledger, the Durable Object that owns its seats,
// registrations and invitations. Routes, pages, the admin and the mail consumer all come through here.

import { type OrgCaller, reachesSession } from "../auth/caller";
import { orgCaller } from "../auth/middleware";
import { fail, type Outcome, ok, problem, unwrap } from "../errors/problem";
import type { Caller } from "../http/context";
import { isSessionId } from "../ids/ids";

export function sessionLedger(env: Env, sessionId: string) {
  return env.LEDGER.get(env.LEDGER.idFromName(sessionId));
}

export type SessionLedgerStub = ReturnType<typeof sessionLedger>;

/** The ledger of a session id from a URL, or not_found without waking an object for garbage. */
export function ledgerFor(env: Env, sessionId: string): Outcome<SessionLedgerStub> {
  return isSessionId(sessionId) ? ok(sessionLedger(env, sessionId)) : fail("not_found", "No such session.");
}

/** The caller's ledger for a session id in the path; 404 for a session the caller cannot reach. */
export function adminLedger(env: Env, caller: Caller, id: string): { org: OrgCaller; ledger: SessionLedgerStub } {
  const org = orgCaller(caller);
  if (!reachesSession(org, id)) problem("not_found", "No such session.");
  return { org, ledger: unwrap(ledgerFor(env, id)) };
}
