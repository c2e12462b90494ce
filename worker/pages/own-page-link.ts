// "That's me" on the code page: the one place that emails a registrant the link to their own page.
// Today that is their manage link (/m/…); once the participant page (/p/…) exists, it is wired
// here and nowhere else.

import { ledgerFor } from "../sessions/ledger-client";

/**
 * Emails the registration's own address the link to its own page (at most once per cooldown).
 * Nothing about the registration is answered: the caller shows the same confirmation whatever
 * happened (an unknown id, a cancelled registration, a link sent a minute ago).
 */
export async function sendOwnPageLink(env: Env, sessionId: string, registrationId: string): Promise<void> {
  const ledger = ledgerFor(env, sessionId);
  if (!ledger.ok || !/^reg_[0-9a-z_]{1,80}$/.test(registrationId)) return;
  await ledger.value.sendOwnPageLink(registrationId);
}
