// Minting a widget token for an org, optionally scoped to one of its sessions: the one path behind
// both POST /v1/widget-tokens (an API key) and the hosted admin's /admin/widget-token (a member's
// cookie). The token's format and its check are auth's (auth/widget-tokens.ts).

import { signWidgetToken, type WidgetGrant } from "../auth/widget-tokens";
import { type Outcome, ok } from "../errors/problem";
import type { WidgetScope } from "../http/context";
import { signingKeys } from "../ids/signing-keys";
import { ledgerFor } from "../sessions/ledger-client";

export type WidgetToken = { token: string; expiresAt: string; scopes: WidgetScope[] };

/** A token valid for `ttlSeconds` from `now`; the session's not_found when it is not one of the org's. */
export async function mintWidgetToken(env: Env, grant: WidgetGrant, ttlSeconds: number, now: Date): Promise<Outcome<WidgetToken>> {
  if (grant.sessionId) {
    const ledger = ledgerFor(env, grant.sessionId);
    if (!ledger.ok) return ledger;
    // Another org's session answers not_found, as a session that does not exist does.
    const read = (await ledger.value.read(grant.orgId)) as Outcome<unknown>;
    if (!read.ok) return read;
  }
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const token = await signWidgetToken(await signingKeys(env), grant, expiresAt);
  return ok({ token, expiresAt: expiresAt.toISOString(), scopes: [...new Set(grant.scopes)] });
}
