// The minimum number of participants, decided once at the session's `decisionAt` (SPEC "Minimum
// participants"). Plain functions: the ledger loads the session and its counts, asks these, and
// applies the answer in the same transaction (ledger/minimum.ts).
//
//   counted  = confirmed registrations + the host, when the host counts as a participant
//   met      = counted ≥ minParticipants
//
// At `decisionAt` a met minimum runs the session (participants are told it is on); a missed one
// cancels it (`belowMinimum: cancel`) or asks the org's members (`ask`), whose first answer wins.

export const BELOW_MINIMUM = ["cancel", "ask"] as const;
export type BelowMinimum = (typeof BELOW_MINIMUM)[number];

/** What has been decided: `asked` waits for a member's answer; `run` and `cancelled` are final. */
export const MINIMUM_DECISIONS = ["run", "cancelled", "asked"] as const;
export type MinimumDecision = (typeof MINIMUM_DECISIONS)[number];

/** The default decision time: this long before the start. */
export const DEFAULT_DECISION_LEAD_MS = 48 * 3_600_000;

export type MinimumPolicy = {
  startsAt: string;
  createdAt: string;
  minParticipants: number;
  hostCountsAsParticipant: boolean;
  /** Null: DEFAULT_DECISION_LEAD_MS before the start. */
  decisionAt: string | null;
  belowMinimum: BelowMinimum;
  status: "scheduled" | "cancelled";
  decision: MinimumDecision | null;
};

/** When the decision is taken: the session's own time, or 48 hours before its start. */
export function decisionTime(s: Pick<MinimumPolicy, "startsAt" | "decisionAt">): string {
  return s.decisionAt ?? new Date(Date.parse(s.startsAt) - DEFAULT_DECISION_LEAD_MS).toISOString();
}

/** Who counts towards the minimum. The host is a seat flag today (hostCountsAsParticipant); a host person would count here too. */
export function countedParticipants(s: Pick<MinimumPolicy, "hostCountsAsParticipant">, confirmed: number): number {
  return confirmed + (s.hostCountsAsParticipant ? 1 : 0);
}

/**
 * Whether the session has a decision to take at all: a minimum above zero, and a decision time
 * after the session was created (a session published less than 48 hours before it starts, with
 * the default time, is not cancelled the moment it is created).
 */
export function decides(s: Pick<MinimumPolicy, "minParticipants" | "startsAt" | "decisionAt" | "createdAt">): boolean {
  return s.minParticipants > 0 && Date.parse(decisionTime(s)) > Date.parse(s.createdAt);
}

export type MinimumStep = "wait" | "run" | "cancel" | "ask" | "none";

/**
 * What to do now: `wait` before the decision time; `none` when there is nothing to decide (no
 * minimum, already decided, cancelled, or started); otherwise `run` when the minimum is met, else
 * what `belowMinimum` says.
 */
export function decideMinimum(s: MinimumPolicy, confirmed: number, now: Date): MinimumStep {
  if (s.status === "cancelled" || s.decision !== null || !decides(s)) return "none";
  const t = now.getTime();
  if (t >= Date.parse(s.startsAt)) return "none";
  if (t < Date.parse(decisionTime(s))) return "wait";
  if (countedParticipants(s, confirmed) >= s.minParticipants) return "run";
  return s.belowMinimum === "ask" ? "ask" : "cancel";
}

/** When the ledger must wake for the minimum: the decision time, or the start of a session still asking (then it runs). */
export function minimumAlarmAt(s: MinimumPolicy): string | null {
  if (s.status === "cancelled") return null;
  if (s.decision === "asked") return s.startsAt;
  return s.decision === null && decides(s) ? decisionTime(s) : null;
}

/** How many more participants the session needs to run, shown before the decision; 0 once met or decided. */
export function moreNeeded(s: MinimumPolicy, confirmed: number): number {
  if (s.status === "cancelled" || s.decision === "run" || s.decision === "cancelled" || s.minParticipants === 0) return 0;
  return Math.max(0, s.minParticipants - countedParticipants(s, confirmed));
}

/** A question no member answered before the start: the session runs as planned (people are coming; nobody said no). */
export function unansweredAtStart(s: Pick<MinimumPolicy, "status" | "decision" | "startsAt">, now: Date): boolean {
  return s.status !== "cancelled" && s.decision === "asked" && now.getTime() >= Date.parse(s.startsAt);
}

export type MinimumAnswer = "run" | "cancel";

/**
 * A member's answer to the question: only while the session is asking and has not started; the
 * first answer wins, and a later one is told what was decided and by whom.
 */
export function decideAnswer(
  s: Pick<MinimumPolicy, "status" | "decision" | "startsAt">,
  now: Date,
): { ok: true } | { ok: false; reason: "not_asked" | "already_decided" | "started" } {
  if (s.decision === "run" || s.decision === "cancelled" || s.status === "cancelled") return { ok: false, reason: "already_decided" };
  if (s.decision !== "asked") return { ok: false, reason: "not_asked" };
  if (now.getTime() >= Date.parse(s.startsAt)) return { ok: false, reason: "started" };
  return { ok: true };
}

/** Field rules for decisionAt, beside sessionCoherence's: before the start. */
export function decisionTimeProblem(s: { startsAt: string; decisionAt?: string | null | undefined }): string | null {
  if (!s.decisionAt) return null;
  return Date.parse(s.decisionAt) < Date.parse(s.startsAt) ? null : "must be before the session starts";
}
