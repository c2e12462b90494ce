// "That's me" on the code page: the one place that emails a registrant, picked from a session's
// list, the link to their own page (/p/l/…). The session's ledger says whether that registration
// may be sent one now (and counts it); the link itself is the participant page's (D1).

import { mailQueues } from "../email/queues";
import type { Locale } from "../i18n/locales";
import { readOrg } from "../orgs/orgs";
import { emailPageLinkTo } from "../participants/person";
import { ledgerFor } from "../sessions/ledger-client";

type Claimed = { ok: true; value: { orgId: string; email: string; locale: Locale } | null } | { ok: false };

/**
 * Emails the registration's own address the link to its page (at most once per cooldown).
 * Nothing about the registration is answered: the caller shows the same confirmation whatever
 * happened (an unknown id, a cancelled registration, a link sent a minute ago).
 */
export async function sendOwnPageLink(env: Env, sessionId: string, registrationId: string, baseUrl: string, now: Date): Promise<void> {
  const ledger = ledgerFor(env, sessionId);
  if (!ledger.ok || !/^reg_[0-9a-z_]{1,80}$/.test(registrationId)) return;
  const claimed = (await ledger.value.claimOwnPageLink(registrationId)) as Claimed;
  if (!claimed.ok || !claimed.value) return;
  const org = await readOrg(env.DB, claimed.value.orgId);
  if (!org) return;
  await emailPageLinkTo(env, mailQueues(env), { ...claimed.value, orgName: org.name, baseUrl }, now);
}
