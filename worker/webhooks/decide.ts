// The rules of delivering webhooks, as plain functions: when a delivery counts as received, how long
// to wait before the next try, when to give up on an event, and when an endpoint that keeps failing
// is disabled. The consumer (consumer.ts) loads, asks these, and applies.

/** A delivery waits to be tried (again), was received, or was given up on after 3 days. */
export const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const SECOND = 1000;
export const DAY_MS = 24 * 60 * 60 * SECOND;

/** An event is tried for this long after it happened. */
export const RETRY_WINDOW_MS = 3 * DAY_MS;
/** An endpoint whose every delivery has failed for this long is disabled. */
export const DISABLE_AFTER_MS = 3 * DAY_MS;
/** The first retry waits this long; each next one twice as long… */
const FIRST_RETRY_SECONDS = 30;
/** …up to the longest delay a queue message may be retried with (12 hours). */
const MAX_RETRY_SECONDS = 12 * 60 * 60;
/** A receiver has this long to answer. */
export const DELIVERY_TIMEOUT_MS = 10 * SECOND;
/** What the delivery log keeps of an answer's body. */
export const EXCERPT_CHARS = 500;
/** After a rotation, the previous secret signs too for this long. */
export const ROTATION_OVERLAP_MS = DAY_MS;

/** A 2xx answer is a delivery; anything else (3xx included: redirects are not followed) is not. */
export const delivered = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/** Seconds before try number `attempt + 1`, after `attempt` failed tries (30 s, 1 min, 2 min, … 12 h). */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempt - 1));
}

/**
 * What follows a failed try of an event that happened at `eventAt`: try again in `delaySeconds`,
 * or give up when the next try would fall past the retry window.
 */
export function afterFailure(eventAt: string, attempt: number, now: Date): { retry: true; delaySeconds: number } | { retry: false } {
  const delaySeconds = retryDelaySeconds(attempt);
  const deadline = Date.parse(eventAt) + RETRY_WINDOW_MS;
  if (Number.isNaN(deadline) || now.getTime() + delaySeconds * SECOND > deadline) return { retry: false };
  return { retry: true, delaySeconds };
}

/** Whether an endpoint failing since `failingSince` has failed long enough to be disabled. */
export function shouldDisable(failingSince: string | null, now: Date): boolean {
  return failingSince !== null && now.getTime() - Date.parse(failingSince) >= DISABLE_AFTER_MS;
}

/** The start of an answer's body as the log keeps it. */
export function excerpt(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

/** What a delivery stores when the endpoint never answered (a timeout, a network error): the runtime's reason, marked. */
export const noAnswer = (reason: string) => `(no answer: ${reason})`;

/** The runtime's reason in a stored excerpt, or undefined when the endpoint answered. */
export const noAnswerReason = (excerpt: string): string | undefined => /^\(no answer: (.*)\)$/s.exec(excerpt)?.[1];
