// Creating a session's invitations, the one path for every caller: POST
// /v1/sessions/{id}/invitations and the hosted admin's contacts list ("Invite to a session").
// Chooses the people (pasted addresses, contacts, groups), checks the org's mail budget, then lets
// the session's ledger decide and create them.

import { checkInvitationDiscount } from "../discounts/check";
import { fieldError } from "../errors/fields";
import { fail, ProblemError, unwrap } from "../errors/problem";
import type { Locale } from "../i18n/locales";
import { budgetRefusal, mailHourlyBudget, mailLeft, secondsToNextWindow } from "../orgs/mail-budget";
import { invitationSettings } from "../orgs/orgs";
import { contactLocales, decideChosen, loadChosen } from "../recipients/chosen";
import { decideRecipients, pastedCount } from "../recipients/decide";
import { parseRecipients } from "../recipients/parse";
import type { SessionLedgerStub } from "../sessions/ledger-client";
import type { CreateInvitationsInput } from "./schemas";

/**
 * Refuses a send the org's hourly mail budget cannot cover (`mail_budget_exceeded`, Retry-After
 * the next hour). The mail consumer holds the exact line; this says it before anything is created.
 */
export async function requireMailBudget(env: Env, orgId: string, wanted: number, now: Date): Promise<void> {
  if (wanted === 0) return;
  const limit = mailHourlyBudget(env);
  const refusal = budgetRefusal(wanted, await mailLeft(env.DB, orgId, limit, now), limit, now);
  if (refusal) throw new ProblemError(refusal, { "retry-after": String(secondsToNextWindow(now)) });
}

/**
 * The pasted addresses and the people chosen from the directory, as the ledger will take them:
 * refused here when an id is not the org's or when they come to more than 200 (with each chosen
 * group's size); contacts without an address or deactivated come back as skipped.
 */
async function chooseRecipients(database: D1Database, orgId: string, body: CreateInvitationsInput, now: Date) {
  const asked = { contactIds: body.contactIds ?? [], groupIds: body.groupIds ?? [] };
  const picked =
    asked.contactIds.length || asked.groupIds.length ? unwrap(decideChosen(asked, await loadChosen(database, orgId, asked), now)) : null;
  const pasted = pastedCount(parseRecipients(body.recipients ?? []));
  // Groups with no one in them, and nothing else asked: nobody to invite, and nobody to name.
  if (picked && !picked.people.length && !picked.skipped.length && !pasted)
    unwrap(
      fail("validation_failed", "Nobody to invite: the chosen groups have no one in them.", undefined, [
        fieldError("groupIds", "group_empty", "the chosen groups have no members"),
      ]),
    );
  const chosen = picked?.people.map(({ email, name, at }) => ({ email, name, at }));
  const skipped = (picked?.skipped ?? []).map(({ contactId, email, reason, at }) => ({ contactId, email, reason, position: pasted + at }));
  const parsed = decideRecipients(body.recipients ?? [], chosen);
  if (!parsed.ok && parsed.error.code === "too_many_recipients" && picked)
    parsed.error.extra = { ...parsed.error.extra, groups: picked.groupSizes };
  return { chosen, skipped, parsed: unwrap(parsed) };
}

/**
 * What the ledger takes besides the request: the org's link template, and the language of each
 * invitation (`locales` by address: the recipient's own, as a contact; else `locale`: the one
 * asked, else the org's).
 */
export async function invitationDefaults(
  database: D1Database,
  orgId: string,
  recipients: readonly { email: string }[],
  asked: Locale | undefined,
): Promise<{ linkTemplate: string | null; locale: Locale; locales: Record<string, Locale> }> {
  const [org, locales] = await Promise.all([
    invitationSettings(database, orgId),
    contactLocales(
      database,
      orgId,
      recipients.map((r) => r.email),
    ),
  ]);
  return { linkTemplate: org.linkTemplate, locale: asked ?? org.locale, locales };
}

/**
 * Invites people to the session of `ledger`: the invitations created, and everyone skipped (the
 * ledger's and the directory's, in the order they were asked). A refusal is thrown as a
 * ProblemError (its headers with it), nothing created; the ledger refuses another org's session.
 * A discount code must be one of the org's catalogue that applies to the session.
 */
export async function createSessionInvitations(
  env: Env,
  ledger: SessionLedgerStub,
  sessionId: string,
  orgId: string,
  body: CreateInvitationsInput,
  actor: string,
  now: Date,
) {
  const discountCode = body.discountCode
    ? unwrap(await checkInvitationDiscount(env.DB, orgId, sessionId, body.discountCode, now))
    : undefined;
  const { chosen, skipped, parsed } = await chooseRecipients(env.DB, orgId, body, now);
  await requireMailBudget(env, orgId, body.send === "now" && !body.sendAt ? parsed.recipients.length : 0, now);
  const input = { ...body, discountCode, chosen, ...(await invitationDefaults(env.DB, orgId, parsed.recipients, body.locale)) };
  const created = unwrap(await ledger.createInvitations(orgId, input, actor));
  return { ...created, skipped: [...created.skipped, ...skipped].sort((a, b) => a.position - b.position) };
}
