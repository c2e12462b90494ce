// How long mail keeps trying, and what one round's outcome does to a bundle's retry state. Pure:
// the consumer applies the step it returns.
//
// - An outage (5xx, network, a mailer that throws, D1 unreadable) counts: the wait doubles from
//   15 s up to 15 minutes, and the emails are given up (dead-lettered, re-drivable from the admin)
//   only once the outage has lasted an hour, about ten tries.
// - A 429 waits what the provider's Retry-After says, and a wait for the org's mail budget or for
//   the next round waits its own time: neither counts as a failure.

import type { MailBundle } from "./message";

export const BACKOFF_BASE_SECONDS = 15;
export const BACKOFF_MAX_SECONDS = 15 * 60;
/** Emails are given up at the first outage met this long after the first one. */
export const OUTAGE_PATIENCE_MS = 60 * 60_000;
/** Queues refuse delays above 12 hours. */
export const MAX_DELAY_SECONDS = 12 * 60 * 60;

/** The wait after the `failures`-th outage in a row. */
export function backoffSeconds(failures: number, base = BACKOFF_BASE_SECONDS, max = BACKOFF_MAX_SECONDS): number {
  return Math.min(max, base * 2 ** Math.max(0, failures - 1));
}

export type RetryCause = "outage" | "rate_limited" | "waiting";

/** Why one email of the round was not sent, and how long it asks to wait. */
export type Setback = { cause: RetryCause; delaySeconds: number; reason: string };

export type RetryState = Required<Pick<MailBundle, "attempts" | "failures">> & Pick<MailBundle, "failingSince" | "budgeted">;

export type NextStep = { kind: "done" } | { kind: "requeue"; delaySeconds: number; state: RetryState } | { kind: "dead"; reason: string };

/** The retry state a bundle arrives with (the queue's own attempts added to those it carries). */
export function retryStateOf(bundle: MailBundle, queueAttempts: number): RetryState {
  return {
    attempts: (bundle.attempts ?? 0) + Math.max(1, queueAttempts),
    failures: bundle.failures ?? 0,
    ...(bundle.failingSince ? { failingSince: bundle.failingSince } : {}),
    ...(bundle.budgeted ? { budgeted: true } : {}),
  };
}

/** What to do with a bundle's emails still unsent after a round, given why each was held back. */
export function nextStep(state: RetryState, setbacks: Setback[], now: Date): NextStep {
  if (setbacks.length === 0) return { kind: "done" };
  const outage = setbacks.find((s) => s.cause === "outage");
  if (!outage) {
    const delay = Math.max(...setbacks.map((s) => s.delaySeconds));
    return { kind: "requeue", delaySeconds: clampDelay(delay), state };
  }
  const failingSince = state.failingSince ?? now.toISOString();
  if (now.getTime() - Date.parse(failingSince) >= OUTAGE_PATIENCE_MS)
    return { kind: "dead", reason: `gave up after an hour of outage (${state.failures + 1} tries): ${outage.reason}` };
  const failures = state.failures + 1;
  return { kind: "requeue", delaySeconds: clampDelay(backoffSeconds(failures)), state: { ...state, failures, failingSince } };
}

function clampDelay(seconds: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(seconds)));
}
