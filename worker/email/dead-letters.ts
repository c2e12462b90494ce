// Emails that could not leave: refused by the mail queue (too large for it), or given up after an
// hour of outage. A session's dead letters are kept by its ledger, which marks their invitations
// failed (the roster shows them) and re-drives them when a member asks (the session page's button,
// POST /v1/sessions/{id}/mail/redrive). Here: which emails are worth keeping and re-driving (pure),
// and the consumer's way of handing them to their ledgers.

import type { InvitationStatus } from "../invitations/statuses";
import { sessionLedger } from "../sessions/ledger-client";
import type { MailMessage, MailTemplate } from "./message";

/**
 * Codes and sign-in links expire within minutes: sending one late helps nobody, and keeping it
 * would keep a secret. Such an email is reported failed, never kept.
 */
const PERISHABLE: ReadonlySet<MailTemplate> = new Set(["one_time_code", "sign_in", "page_link"]);

export function keptForRedrive(message: Pick<MailMessage, "template">): boolean {
  return !PERISHABLE.has(message.template);
}

/**
 * Whether a kept email still makes sense to send: an invitation only while it is pending (sent,
 * not answered, cancelled or expired since); everything else as it was.
 */
export function worthRedriving(message: Pick<MailMessage, "template">, invitationStatus: InvitationStatus | null): boolean {
  if (!keptForRedrive(message)) return false;
  return message.template !== "invitation" || invitationStatus === "sent";
}

/** Hands dead emails to their sessions' ledgers; rejects when one could not be reached. */
export type DeadLetterSink = (messages: MailMessage[], reason: string, at: string) => Promise<void>;

export function ledgerDeadLetters(env: Env): DeadLetterSink {
  return async (messages, reason, at) => {
    const bySession = new Map<string, MailMessage[]>();
    for (const m of messages) {
      if (!m.sessionId) continue; // a sign-in link: the mail log says it failed, and it expires anyway
      bySession.set(m.sessionId, [...(bySession.get(m.sessionId) ?? []), m]);
    }
    const results = await Promise.allSettled(
      [...bySession].map(([sessionId, list]) => sessionLedger(env, sessionId).recordDeadMail(list, reason, at)),
    );
    const failed = results.filter((r) => r.status === "rejected");
    if (failed.length) throw new Error(`dead letters not kept for ${failed.length} session(s): ${String(failed[0]!.reason)}`);
  };
}
