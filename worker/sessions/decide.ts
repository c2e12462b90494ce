// What editing or cancelling a session may do, as plain decisions over the stored session and its
// seat counts. The ledger loads, calls these in its transaction, and applies what they return.

import { fieldError } from "../errors/fields";
import { type Failure, fail, type Outcome, ok } from "../errors/problem";
import type { BelowMinimum } from "./minimum";
import { sessionCoherence } from "./rules";
import type { UpdateSessionInput } from "./schemas";
import { capacityRefusal, type SeatCounts, type SeatPolicy, taken } from "./seats";

type Editable = SeatPolicy & {
  title: string;
  description: string;
  timeZone: string;
  durationMinutes: number;
  minParticipants: number;
  registrationCode: string | null;
  confirmByEmail: boolean;
  listed: boolean;
  tags: string[];
  decisionAt: string | null;
  belowMinimum: BelowMinimum;
  location: string | null;
  onlineUrl: string | null;
  priceAmount: number | null;
  priceCurrency: string | null;
  refundUntilDays: number | null;
  updatedAt: string;
};

/**
 * A provider's edit merged onto the stored session: refused when the session is cancelled, when the
 * fields no longer fit together, or when the capacity would fall below the seats already taken.
 * Says whether the capacity changed, so that the change is recorded.
 */
export function decideSessionEdit<S extends Editable>(
  stored: S,
  patch: UpdateSessionInput,
  counts: SeatCounts,
  now: Date,
): Outcome<{ next: S; capacityChanged: boolean }> {
  if (stored.status === "cancelled") return fail("session_cancelled", "A cancelled session cannot be edited.");
  const next: S = {
    ...stored,
    ...defined(patch, [
      "title",
      "description",
      "timeZone",
      "durationMinutes",
      "minParticipants",
      "hostCountsAsParticipant",
      "waitlist",
      "confirmByEmail",
      "listed",
      "tags",
      "belowMinimum",
      "location",
      "onlineUrl",
      "refundUntilDays",
    ]),
    // A price set or removed by the edit; registrations already made keep what they paid.
    priceAmount: patch.price === undefined ? stored.priceAmount : (patch.price?.amount ?? null),
    priceCurrency: patch.price === undefined ? stored.priceCurrency : (patch.price?.currency ?? null),
    decisionAt: patch.decisionAt === undefined ? stored.decisionAt : instant(patch.decisionAt),
    startsAt: patch.startsAt ? new Date(patch.startsAt).toISOString() : stored.startsAt,
    capacity: patch.maxParticipants ?? stored.capacity,
    registrationOpensAt: patch.registrationOpensAt === undefined ? stored.registrationOpensAt : instant(patch.registrationOpensAt),
    registrationClosesAt: patch.registrationClosesAt === undefined ? stored.registrationClosesAt : instant(patch.registrationClosesAt),
    registrationCode: patch.registrationCode === undefined ? stored.registrationCode : patch.registrationCode,
    updatedAt: now.toISOString(),
  };
  const errors = sessionCoherence({ ...next, maxParticipants: next.capacity });
  // A new decision time must still be to come (the same one, sent back by a form, may have passed).
  if (next.decisionAt && next.decisionAt !== stored.decisionAt && Date.parse(next.decisionAt) <= now.getTime())
    errors.push(fieldError("decisionAt", "not_in_future", "must be in the future"));
  if (errors.length) return fail("validation_failed", "The session's fields do not fit together.", undefined, errors);
  // The host taking a seat in a full session: the same refusal as any capacity below what is taken
  // (its code is the API's), saying what frees one (the capacity, or a seat).
  if (next.hostCountsAsParticipant && !stored.hostCountsAsParticipant && capacityRefusal(next, counts)) {
    const needed = taken({ hostCountsAsParticipant: true }, counts);
    return fail(
      "capacity_below_taken",
      `The session is full, so the host cannot take a seat: raise the capacity to ${needed} or free a seat first.`,
      { capacity: next.capacity, taken: needed },
    );
  }
  const refusal: { ok: false; error: Failure } | null = capacityRefusal(next, counts);
  if (refusal) return refusal;
  return ok({ next, capacityChanged: next.capacity !== stored.capacity });
}

function defined<T extends object, K extends keyof T>(from: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

function instant(value: string | null): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** The fields whose change moves a participant's calendar event: its time, its zone, its place. */
export const MOVING_FIELDS = ["startsAt", "durationMinutes", "timeZone", "location", "onlineUrl"] as const;

export type Placement = Pick<Editable & { startsAt: string }, (typeof MOVING_FIELDS)[number]>;

/**
 * What the session was before an edit that moved it (its time or its place), for the email that
 * tells its confirmed participants; null when the edit changed neither.
 */
export function movedFrom(stored: Placement, next: Placement): Placement | null {
  const moved = MOVING_FIELDS.some((k) => stored[k] !== next[k]);
  return moved
    ? {
        startsAt: stored.startsAt,
        durationMinutes: stored.durationMinutes,
        timeZone: stored.timeZone,
        location: stored.location,
        onlineUrl: stored.onlineUrl,
      }
    : null;
}
