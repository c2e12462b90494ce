// Who may register, and what a registration becomes: plain decisions over plain values. The ledger
// loads what they need, calls them inside its transaction, and applies what they return.

import { equalInConstantTime } from "../auth/compare";
import { type Failure, fail, type Outcome, ok } from "../errors/problem";
import { decideProviderSeats, decidePublicSeat, type SeatPolicy, type Seats, seatRefusal } from "../sessions/seats";
import type { CancelledBy, RegistrationSource, RegistrationStatus } from "./statuses";

/**
 * What a registration takes: a seat, a place on the waitlist, a seat held until the registrant
 * confirms (`hold`), or nothing (cancelled). One awaiting confirmation for the waitlist has its
 * place in line (`waitlistSeq`) but holds nothing: it is not promoted before it is confirmed.
 * The host's own registration takes nothing more: it fills the host's seat, which the session
 * already counts (`hostCountsAsParticipant`, sessions/seats.ts).
 */
export function occupies(r: {
  status: RegistrationStatus;
  waitlistSeq: number | null;
  source?: RegistrationSource;
}): "seat" | "waitlist" | "hold" | null {
  if (r.source === "host") return null;
  switch (r.status) {
    case "confirmed":
      return "seat";
    case "waitlisted":
      return "waitlist";
    case "pending_confirmation":
      return r.waitlistSeq === null ? "hold" : null;
    case "pending_payment":
      return "hold";
    case "cancelled":
      return null;
  }
}

type Refusal = { ok: false; error: Failure };

export type PublicRegistrationPolicy = SeatPolicy & {
  registrationCode: string | null;
  confirmByEmail: boolean;
  /** What this registrant owes for a seat, the price less their discount: held while they pay (null or 0: nothing to pay). */
  priceAmount: number | null;
};

/**
 * How long a registration awaiting payment holds its seat (pretix's cart reservation): 30 minutes,
 * the shortest a Stripe Checkout Session may last, and one more for creating it. The Checkout
 * Session expires when the hold ends (payments/checkout.ts), so Stripe and the seat agree.
 */
export const PAYMENT_HOLD_MS = 31 * 60_000;

/** When a registration that now awaits payment lets its seat go. */
export function paymentHoldEnd(now: Date): string {
  return new Date(now.getTime() + PAYMENT_HOLD_MS).toISOString();
}

/**
 * How long a seat is held for someone moved up from the waitlist of a priced session: they were
 * not at their screen when the seat freed, so a day (an email read once a day still finds it), but
 * never past the session's start, and never less than the 30 minutes a registrant at their screen has.
 */
export const PROMOTED_PAYMENT_HOLD_MS = 24 * 60 * 60_000;

/**
 * What the first on the waitlist becomes when a seat frees: confirmed, or, owing money for the
 * seat (a priced session, less their discount), awaiting payment with the seat held until `holdUntil`.
 */
export function decidePromotion(
  r: { amountDue: number | null; paidAt: string | null },
  startsAt: string,
  now: Date,
): { status: "confirmed" } | { status: "pending_payment"; holdUntil: string } {
  if (r.amountDue === null || r.amountDue === 0 || r.paidAt !== null) return { status: "confirmed" };
  const until = Math.max(Math.min(now.getTime() + PROMOTED_PAYMENT_HOLD_MS, Date.parse(startsAt)), now.getTime() + PAYMENT_HOLD_MS);
  return { status: "pending_payment", holdUntil: new Date(until).toISOString() };
}

/** How long a registration awaiting its email confirmation holds its seat. */
export const CONFIRMATION_HOLD_MS = 15 * 60_000;
/** Wrong codes one confirmation takes before only its link confirms it. */
export const CONFIRMATION_CODE_TRIES = 5;

/**
 * Wrong registration codes, counted per client (an IPv4 address or an IPv6 /64) and per session in
 * windows of an hour. Past either limit every code is refused, the right one too, until the window
 * ends: 10 a client leaves room for typos, 100 a session bounds a guesser with many addresses.
 */
export const CODE_FAILURES_PER_CLIENT = 10;
export const CODE_FAILURES_PER_SESSION = 100;
export const CODE_FAILURE_WINDOW_MS = 60 * 60_000;

/** A counter of wrong codes as stored: how many, since when. */
export type CodeFailures = { failures: number; windowStartedAt: string };

/** The wrong codes of `counter` that still count at `now` (an ended window counts none). */
export function failuresInWindow(counter: CodeFailures | undefined, now: Date): number {
  if (!counter) return 0;
  return now.getTime() - Date.parse(counter.windowStartedAt) < CODE_FAILURE_WINDOW_MS ? counter.failures : 0;
}

/** The counter once one more wrong code is counted (a new window when the last one ended). */
export function withFailure(counter: CodeFailures | undefined, now: Date): CodeFailures {
  const failures = failuresInWindow(counter, now);
  return failures > 0 ? { ...counter!, failures: failures + 1 } : { failures: 1, windowStartedAt: now.toISOString() };
}

/** Wrong codes so far, for the client (null: not known) and the session. */
export type CodeTries = { client: CodeFailures | undefined | null; session: CodeFailures | undefined };

/** Whether a code may be tried now; when not, in how many seconds. */
function codeLock(tries: CodeTries, now: Date): { retryAfter: number } | null {
  const locked = [
    tries.client && failuresInWindow(tries.client, now) >= CODE_FAILURES_PER_CLIENT ? tries.client : null,
    failuresInWindow(tries.session, now) >= CODE_FAILURES_PER_SESSION ? tries.session! : null,
  ].filter((c): c is CodeFailures => c !== null);
  if (!locked.length) return null;
  const ends = Math.max(...locked.map((c) => Date.parse(c.windowStartedAt) + CODE_FAILURE_WINDOW_MS));
  return { retryAfter: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) };
}

/**
 * The registration code a person typed, against the session's: refused while too many wrong ones
 * were tried, then compared in constant time. `wrongCode` says the ledger must count a failure.
 */
function codeRefusal(
  expected: string | null,
  presented: string | undefined,
  tries: CodeTries,
  now: Date,
): (Refusal & { wrongCode?: true }) | null {
  if (expected === null) return null;
  const lock = codeLock(tries, now);
  if (lock) {
    return fail("rate_limited", `Too many wrong codes. Try again in ${lock.retryAfter} seconds.`, { retryAfter: lock.retryAfter });
  }
  const typed = normalRegistrationCode(presented ?? "");
  if (typed !== "" && equalInConstantTime(typed, normalRegistrationCode(expected))) return null;
  return { ...fail("invalid_code", "The registration code is not valid."), wrongCode: true };
}

/**
 * Someone types the session's code on its code page (seed 004) to see who is registered: the same
 * check and the same counters as a registration's code, so the page and the API share one budget
 * of wrong tries. A session without a code has no code page (not_found, as for a stranger).
 */
export function decideCodeEntry(
  expected: string | null,
  presented: string,
  tries: CodeTries,
  now: Date,
): Outcome<null> | (Refusal & { wrongCode?: true }) {
  if (expected === null) return fail("not_found", "This session has no registration code.");
  return codeRefusal(expected, presented, tries, now) ?? ok(null);
}

/** How the code page names a registrant to the others: first name and the last name's initial ("Ada L."). */
export function shortName(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "";
  const first = words[0]!;
  const last = words.length > 1 ? words.at(-1)! : "";
  const initial = last ? ` ${Array.from(last)[0]!.toLocaleUpperCase()}.` : "";
  return `${first}${initial}`;
}

/**
 * A member of the public asks to register. The order of the refusals is the contract: a closed
 * or cancelled session first, then a wrong code, then a full session without a waitlist, and only
 * then an address already registered, which the ledger learns as it writes the registration (the
 * store's insert refuses a second live one: `alreadyRegisteredRefusal`). A full session answers
 * everyone alike, so that it tells no stranger who is registered; where there is still room (a
 * seat or the waitlist), a registered person is told so.
 */
export function decidePublicRegistration(
  session: PublicRegistrationPolicy,
  seats: Seats,
  input: { code?: string | undefined },
  found: { codeTries: CodeTries },
  now: Date,
):
  | Outcome<{
      status: "confirmed" | "waitlisted" | "pending_confirmation" | "pending_payment";
      source: RegistrationSource;
      queued: boolean;
    }>
  | (Refusal & { wrongCode?: true }) {
  const seat = decidePublicSeat(session, seats, now);
  if ("refuse" in seat && seat.refuse !== "capacity_full") return seatRefusal(seat.refuse, session, seats);
  const wrongCode = codeRefusal(session.registrationCode, input.code, found.codeTries, now);
  if (wrongCode) return wrongCode;
  if ("refuse" in seat) return seatRefusal(seat.refuse, session, seats);
  const queued = seat.take === "waitlist";
  // A seat in a priced session is held while the registrant pays; payment confirms it.
  if (session.priceAmount !== null && session.priceAmount > 0 && !queued)
    return ok({ status: "pending_payment", source: session.registrationCode !== null ? "code" : "public", queued });
  return ok({
    status: session.confirmByEmail ? "pending_confirmation" : queued ? "waitlisted" : "confirmed",
    source: session.registrationCode !== null ? "code" : "public",
    queued,
  });
}

/** When a registration that now awaits its email confirmation lapses. */
export function confirmationExpiry(now: Date): string {
  return new Date(now.getTime() + CONFIRMATION_HOLD_MS).toISOString();
}

type Confirmable = {
  status: RegistrationStatus;
  waitlistSeq: number | null;
  confirmCodeHash: string | null;
  confirmAttempts: number;
  emailConfirmedAt: string | null;
};

/**
 * The registrant confirms their address, by the emailed link or the emailed code (whose hash the
 * ledger computed before its transaction). A wrong code costs one of its tries (`wrongCode`: the
 * ledger counts it although the request is refused); past them, only the link works. A hold that
 * lapsed (the ledger's catch-up cancelled it) is gone. Confirming twice answers `already`.
 */
export function decideConfirmation(args: {
  registration: Confirmable;
  session: SeatPolicy;
  seats: Seats;
  proof: { kind: "link" } | { kind: "code"; codeHash: string };
}): Outcome<{ kind: "already" } | { kind: "confirm"; status: "confirmed" | "waitlisted" }> | (Refusal & { wrongCode?: true }) {
  const { registration: r, session, seats, proof } = args;
  const pending = r.status === "pending_confirmation";
  if (proof.kind === "code") {
    if (r.confirmCodeHash === null) return fail("not_found", "No such registration awaits a confirmation.");
    if (pending && r.confirmAttempts >= CONFIRMATION_CODE_TRIES) {
      return fail("verification_code_expired", "Too many wrong codes: follow the link in the email instead.");
    }
    if (!equalInConstantTime(proof.codeHash, r.confirmCodeHash)) {
      const attemptsLeft = Math.max(0, CONFIRMATION_CODE_TRIES - (r.confirmAttempts + 1));
      const refusal = fail("invalid_verification_code", "That code is not the one we sent.", pending ? { attemptsLeft } : undefined);
      return pending ? { ...refusal, wrongCode: true } : refusal;
    }
  }
  if (!pending) {
    if (r.status !== "cancelled" && r.emailConfirmedAt) return ok({ kind: "already" });
    if (r.emailConfirmedAt) return fail("invalid_transition", "This registration was cancelled.");
    return fail("confirmation_expired", "This registration was not confirmed in time. Register again.");
  }
  if (session.status === "cancelled") return seatRefusal("session_cancelled", session, seats);
  // A held seat is theirs. A place in line becomes a seat when one is free (then no one confirmed
  // waits: the waitlist moves up whenever a seat frees), else a place on the waitlist.
  if (r.waitlistSeq === null || seats.available > 0) return ok({ kind: "confirm", status: "confirmed" });
  if (!session.waitlist) return seatRefusal("capacity_full", session, seats);
  return ok({ kind: "confirm", status: "waitlisted" });
}

/**
 * Places a client (an IPv4 address or an IPv6 /64) may hold in one session without a confirmed
 * seat: on the waitlist, or awaiting confirmation. A family registering its children fits; one
 * script filling the waitlist with invented addresses, each of them emailed, does not.
 */
export const MAX_WAITING_PER_CLIENT = 5;

/** A public registration that would hold no confirmed seat, refused when its client already holds enough such places. */
export function clientCapRefusal(status: RegistrationStatus, waitingFromClient: number): Refusal | null {
  if (status === "confirmed" || waitingFromClient < MAX_WAITING_PER_CLIENT) return null;
  return fail(
    "too_many_registrations",
    `At most ${MAX_WAITING_PER_CLIENT} registrations from one network may wait for this session. Ask the organiser to add you.`,
    { max: MAX_WAITING_PER_CLIENT },
  );
}

/**
 * A registration code as it is compared: people copy codes from posters and emails, so case and
 * the spaces around it do not count (Unicode-normalised, so "é" typed either way matches).
 */
export function normalRegistrationCode(code: string): string {
  return code.normalize("NFKC").trim().toLowerCase();
}

/** The provider places a participant directly: seats count, the registration window does not. */
export function decideProviderRegistration(
  session: SeatPolicy,
  seats: Seats,
  alreadyRegistered: boolean,
  allowOverCapacity: boolean,
): Outcome<{ raiseBy: number }> {
  if (alreadyRegistered) return alreadyRegisteredRefusal();
  const decision = decideProviderSeats(session, seats, 1, allowOverCapacity);
  if (!decision.ok) return seatRefusal(decision.refuse, session, seats, 1);
  return ok({ raiseBy: decision.raiseBy });
}

/**
 * The name an email about a registration greets its recipient by. Anyone may register any address
 * on a public form, so a name typed there reaches that inbox only once its owner has confirmed the
 * address (confirmByEmail); until then the email greets no one by name and carries no text the
 * registrant chose. Names given by the provider, or by an invitation, are kept.
 */
export function greetingName(to: { name: string | null; source?: RegistrationSource; emailConfirmedAt?: string | null }): string | null {
  const typedByTheRegistrant = to.source === "public" || to.source === "code";
  return typedByTheRegistrant && !to.emailConfirmedAt ? null : to.name;
}

/** A registration cancelled now, or null when it already was (a retried cancel changes nothing). */
export function cancelled<R extends { status: RegistrationStatus }>(
  r: R,
  by: CancelledBy,
  now: Date,
): (R & { status: "cancelled" }) | null {
  if (r.status === "cancelled") return null;
  return { ...r, status: "cancelled", cancelledAt: now.toISOString(), cancelledBy: by };
}

/** A registrant who asks for their manage link again gets at most one email in this long. */
export const MANAGE_LINK_COOLDOWN_MS = 10 * 60_000;

/**
 * Whether to email a registration's manage link now: only to a registration that holds a seat or
 * a waitlist place, and at most once per cooldown (the request is public: it must not turn into a
 * way to flood someone's inbox).
 */
export function manageLinkDue(r: { status: RegistrationStatus; manageLinkSentAt: string | null } | undefined, now: Date): boolean {
  if (!r || (r.status !== "confirmed" && r.status !== "waitlisted")) return false;
  return r.manageLinkSentAt === null || Date.parse(r.manageLinkSentAt) + MANAGE_LINK_COOLDOWN_MS <= now.getTime();
}

export function alreadyRegisteredRefusal(): Refusal {
  return fail("already_registered", "This email is already registered.");
}
