// Steps the invitation tests share: reading a link the way the invited person would get it.
import { env, runInDurableObject } from "cloudflare:test";
import { invitationToken } from "../../worker/invitations/tokens";
import type { SessionLedger } from "../../worker/ledger/ledger";

export const ledgerStub = (sessionId: string) => env.LEDGER.get(env.LEDGER.idFromName(sessionId));

/**
 * The link token of an invitation, derived as the ledger derives it when it sends the email
 * (HMAC of the stored salt under the signing secret): what the invitation email carries.
 */
export async function tokenOf(sessionId: string, invitationId: string): Promise<string> {
  const salt = await runInDurableObject(ledgerStub(sessionId), async (_instance: SessionLedger, state) => {
    const row = state.storage.sql.exec<{ token_salt: string }>("select token_salt from invitations where id = ?", invitationId).one();
    return row.token_salt;
  });
  return (await invitationToken(env.ROLLCALL_SIGNING_SECRET, sessionId, salt)).token;
}

/** The invitation emails the ledger has decided so far (still in its outbox or already queued). */
export async function outboxMail(sessionId: string): Promise<any[]> {
  return runInDurableObject(ledgerStub(sessionId), async (_instance: SessionLedger, state) =>
    state.storage.sql
      .exec<{ message: string }>("select message from mail_outbox order by id")
      .toArray()
      .map((r) => JSON.parse(r.message)),
  );
}
