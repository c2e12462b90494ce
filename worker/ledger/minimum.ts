// The minimum of participants, decided inside one ledger transaction (sessions/minimum.ts decides,
// this applies): at decisionAt the session runs (its confirmed participants are told it is on),
// is cancelled (the usual cancellation, its emails saying why, with calendar cancellations), or
// its org's owners and admins are asked; the first member's answer wins. What needs an await (the
// org's name, its members, their signed links) is prepared by the ledger before the transaction.

import { fail, type Outcome, ok } from "../errors/problem";
import type { Locale } from "../i18n/locales";
import {
  countedParticipants,
  decideAnswer,
  decideMinimum,
  type MinimumAnswer,
  type MinimumStep,
  unansweredAtStart,
} from "../sessions/minimum";
import type { SessionView } from "../sessions/schemas";
import { cancelSession } from "./sessions";
import type { LedgerStore } from "./store";
import { minimumPolicy, type SessionRecord } from "./views";

/** Who is asked, each with the two links their email carries. */
export type Askee = { email: string; locale: Locale; runLink: string; cancelLink: string };

/** What the decision may need, read before the transaction: the org's name (cancellation emails) and whom to ask. */
export type MinimumPrep = { orgName: string; askees: Askee[] | null };

/** What the minimum asks of the ledger now (no writes). */
export function minimumStepOf(store: LedgerStore, s: SessionRecord, now: Date): MinimumStep {
  return decideMinimum(minimumPolicy(s), store.counts().confirmed, now);
}

/** Decides the minimum if it is due, and applies the decision; answers what was done. */
export function applyMinimum(store: LedgerStore, s: SessionRecord, prep: MinimumPrep, now: Date): MinimumStep {
  if (unansweredAtStart(minimumPolicy(s), now)) {
    // Nobody answered before the start: the session runs as planned (people are coming, nobody said no).
    decided(store, "run", "system", now);
    return "run";
  }
  const step = minimumStepOf(store, s, now);
  switch (step) {
    case "run":
      decided(store, "run", "system", now);
      tellItsOn(store);
      return step;
    case "cancel":
      cancelSession(store, s, "system", prep.orgName, now, "minimum_not_met");
      decided(store, "cancelled", "system", now);
      return step;
    case "ask": {
      if (!prep.askees) return "wait"; // the members were not read: the alarm tries again
      store.patchSession({ minimumDecision: "asked", minimumAskedAt: now.toISOString(), updatedAt: now.toISOString() });
      const counted = countedParticipants(s, store.counts().confirmed);
      for (const a of prep.askees)
        store.mail(
          "minimum_ask",
          { email: a.email, name: null, locale: a.locale },
          { counted, minimum: s.minParticipants, runLink: a.runLink, cancelLink: a.cancelLink },
        );
      return step;
    }
    default:
      return step;
  }
}

/**
 * A member's answer from their link (or the admin's buttons): the first answer wins; a later one
 * is refused with minimum_decided, naming what was decided and by whom.
 */
export function answerMinimum(
  store: LedgerStore,
  s: SessionRecord,
  answer: MinimumAnswer,
  by: string,
  orgName: string,
  now: Date,
): Outcome<SessionView> {
  const allowed = decideAnswer(minimumPolicy(s), now);
  if (!allowed.ok) {
    if (allowed.reason === "already_decided") {
      const what = s.minimumDecision === "run" ? "run" : "cancelled";
      return fail("minimum_decided", `Already decided: ${what}, by ${s.minimumDecidedBy ?? "system"}.`, {
        decision: s.minimumDecision ?? "cancelled",
        decidedBy: s.minimumDecidedBy,
        decidedAt: s.minimumDecidedAt,
      });
    }
    return fail(
      "invalid_transition",
      allowed.reason === "started" ? "The session has started: it runs as planned." : "The members have not been asked about this session.",
    );
  }
  if (answer === "run") {
    decided(store, "run", by, now);
    tellItsOn(store);
  } else {
    cancelSession(store, s, by, orgName, now, "minimum_not_met");
    decided(store, "cancelled", by, now);
  }
  return ok(store.sessionView(now));
}

function decided(store: LedgerStore, decision: "run" | "cancelled", by: string, now: Date): void {
  const at = now.toISOString();
  store.patchSession({ minimumDecision: decision, minimumDecidedAt: at, minimumDecidedBy: by, updatedAt: at });
}

/** "It's on", to every confirmed participant. */
function tellItsOn(store: LedgerStore): void {
  for (const r of store.activeRegistrations()) if (r.status === "confirmed") store.mail("minimum_met", r, {});
}
