// The session ledger: one Durable Object per session, the single source of truth for its seats.
//
// This file is the shell: its RPC methods prepare what needs an await (hashes, tokens), then run
// every check and its writes inside one `transactionSync`, with no await in between: the object's
// input gate then guarantees that no other request sees a half-decided seat. Side effects (the D1
// projection, emails) are recorded in outboxes inside the same transaction and drained afterwards,
// by `drain()` right after the commit and by the alarm when a drain fails.
//
// Beside it: store.ts (its tables), seating.ts and invitations.ts (the moves made inside a
// transaction), outbox.ts (draining), views.ts (rows as the API shows them).

import { DurableObject } from "cloudflare:workers";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { type DeliveryStatus, type DeliveryUpdate, deliveryChanges } from "../email/delivery";
import type { MailMessage } from "../email/message";
import { fail, type Outcome, ok } from "../errors/problem";
import { type DerivedToken, derivedToken, newDerivedToken, presentedHash, sha256Hex } from "../ids/ids";
import { effectiveStatus, fixedExpiryProblem, type InvitationStatus, initialStatus, maskEmail, transition } from "../invitations/lifecycle";
import type { AcceptInput, CreateInvitationsInput, InvitationView } from "../invitations/schemas";
import { hashCode, type InvitationToken, invitationToken, newInvitationToken, oneTimeCode } from "../invitations/tokens";
import { emailKey } from "../recipients/address";
import { MAX_RECIPIENTS, parseRecipients, type Recipient } from "../recipients/parse";
import type { ProviderRegistrationInput, PublicRegistrationInput, RegistrationView } from "../registrations/schemas";
import { sessionCoherence } from "../sessions/rules";
import type { CreateSessionInput, PublicSessionView, SessionView, UpdateSessionInput } from "../sessions/schemas";
import { decideProviderSeats, decidePublicSeat, type SeatCounts, seatsOf, taken } from "../sessions/seats";
import { type Clock, systemClock } from "../time/clock";
import { checkCode, closeInvitation, iso, linkRefusal, newInvitation, sendAndExpireDue, sendInvitation, setCode } from "./invitations";
import migrations from "./migrations/migrations.js";
import { drainOutboxes, pendingCount, retryDelay } from "./outbox";
import { d1Projection, type ProjectionWriter } from "./projection";
import { cancelRegistration, promoteWaitlist, raiseCapacity, seatRefusal } from "./seating";
import { type Actor, LedgerStore, type NewRegistration } from "./store";
import { endsAt, type InvitationRecord, publicSessionView, type RegistrationRecord, registrationView, type SessionRecord } from "./views";

export type { Actor } from "./store";

export type RegistrationResult = {
  registration: RegistrationView;
  /** The secret of the registrant's own cancel link; only ever returned to them. */
  manageToken: string;
};

export type CreatedInvitations = {
  invitations: InvitationView[];
  skipped: { email: string; position: number; reason: "duplicate" | "already_invited" | "already_registered" }[];
  seats: ReturnType<typeof seatsOf>;
  capacityRaisedBy: number;
};

export type BulkResult = { invitations: InvitationView[]; skipped: { id: string; code: string; detail: string }[] };

export type InviteLink = {
  session: PublicSessionView;
  invitation: {
    status: InvitationStatus;
    name: string | null;
    emailMasked: string;
    holdSeat: boolean;
    discountCode: string | null;
    expiresAt: string | null;
    requireEmailMatch: boolean;
    message: string | null;
  };
};

const DRAIN_DELAY_MS = 20;
const MAX_LIVE_SOCKETS = 2_000;
const SAFETY_ALARM_MS = 60_000;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export class SessionLedger extends DurableObject<Env> {
  private readonly store: LedgerStore;
  /** Replaceable in tests: where time comes from, where projection rows and mail go. */
  clock: Clock = systemClock;
  projection: ProjectionWriter;
  mailQueue: Pick<Queue<MailMessage>, "sendBatch">;
  private draining: Promise<void> | null = null;
  private drainTimer: ReturnType<typeof setTimeout> | null = null;
  /** An alarm known to be set no later than this (real time), so mutations need not set one. */
  private safetyAlarmAt: number | null = null;
  private drainFailures = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new LedgerStore(ctx.storage, () => this.now());
    this.projection = d1Projection(env.DB);
    this.mailQueue = env.MAIL_QUEUE;
    void ctx.blockConcurrencyWhile(() => migrate(this.store.db, migrations));
  }

  // ─── sessions ────────────────────────────────────────────────────────────────────────────

  async create(input: CreateSessionInput & { id: string; orgId: string; baseUrl: string }): Promise<Outcome<SessionView>> {
    const now = this.now();
    const result = this.transaction(() => {
      if (this.sessionRecord()) return fail("invalid_transition", "This session already exists.");
      this.store.insertSession({
        id: input.id,
        orgId: input.orgId,
        title: input.title,
        description: input.description,
        startsAt: new Date(input.startsAt).toISOString(),
        timeZone: input.timeZone,
        durationMinutes: input.durationMinutes,
        minParticipants: input.minParticipants,
        capacity: input.maxParticipants,
        hostCountsAsParticipant: input.hostCountsAsParticipant,
        registrationOpensAt: iso(input.registrationOpensAt),
        registrationClosesAt: iso(input.registrationClosesAt),
        registrationCode: input.registrationCode ?? null,
        waitlist: input.waitlist,
        status: "scheduled",
        baseUrl: input.baseUrl,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
      this.store.markDirty("session", input.id);
      return ok(this.store.currentView());
    });
    // Creation is rare and lists should show the new session at once: wait for the projection.
    await this.drain();
    return result;
  }

  read(orgId: string): Outcome<SessionView> {
    const s = this.sessionRecord();
    if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
    return ok(this.store.currentView());
  }

  readPublic(): Outcome<PublicSessionView> {
    const s = this.sessionRecord();
    if (!s) return fail("not_found", "No such session.");
    return ok(publicSessionView(s, this.counts(), this.now()));
  }

  async update(orgId: string, patch: UpdateSessionInput, actor: Actor): Promise<Outcome<SessionView>> {
    const now = this.now();
    const result = this.transaction(() => {
      const s = this.sessionRecord();
      if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
      if (s.status === "cancelled") return fail("session_cancelled", "A cancelled session cannot be edited.");
      const next: SessionRecord = {
        ...s,
        ...pick(patch, ["title", "description", "timeZone", "durationMinutes", "minParticipants", "hostCountsAsParticipant", "waitlist"]),
        startsAt: patch.startsAt ? new Date(patch.startsAt).toISOString() : s.startsAt,
        capacity: patch.maxParticipants ?? s.capacity,
        registrationOpensAt: patch.registrationOpensAt === undefined ? s.registrationOpensAt : iso(patch.registrationOpensAt),
        registrationClosesAt: patch.registrationClosesAt === undefined ? s.registrationClosesAt : iso(patch.registrationClosesAt),
        registrationCode: patch.registrationCode === undefined ? s.registrationCode : patch.registrationCode,
        updatedAt: now.toISOString(),
      };
      const errors = sessionCoherence({ ...next, maxParticipants: next.capacity });
      if (errors.length) return fail("validation_failed", "The session's fields do not fit together.", undefined, errors);
      const seatsTaken = taken(next, this.counts());
      if (next.capacity < seatsTaken) {
        return fail("capacity_below_taken", `${seatsTaken} seats are taken; the capacity cannot go below that.`, {
          capacity: next.capacity,
          taken: seatsTaken,
        });
      }
      if (next.capacity !== s.capacity) this.store.recordCapacity(s.capacity, next.capacity, actor, "edited", now);
      this.store.updateSession(next);
      promoteWaitlist(this.store, now);
      this.store.markDirty("session", s.id);
      return ok(this.store.currentView());
    });
    await this.drain();
    return result;
  }

  async cancel(orgId: string, actor: Actor): Promise<Outcome<SessionView>> {
    const now = this.now();
    const result = this.transaction(() => {
      const s = this.sessionRecord();
      if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
      if (s.status === "cancelled") return ok(this.store.currentView()); // a retried cancel changes nothing
      this.store.updateSession({ status: "cancelled", cancelledAt: now.toISOString(), updatedAt: now.toISOString() });
      for (const r of this.store.activeRegistrations()) this.store.mail("session_cancelled", r, { cancelledBy: actor });
      this.store.markDirty("session", s.id);
      return ok(this.store.currentView());
    });
    await this.drain();
    return result;
  }

  // ─── registrations ───────────────────────────────────────────────────────────────────────

  /**
   * A member of the public registers. With an idempotency key, the same key and body give the
   * same answer without a second registration; the same key with another body is refused.
   */
  async register(input: PublicRegistrationInput, idempotencyKey?: string): Promise<Outcome<RegistrationResult>> {
    // Everything asynchronous happens before the transaction opens.
    const requestHash = idempotencyKey ? await sha256Hex(canonicalJson(input)) : null;
    const sessionId = this.sessionRecord()?.id;
    if (!sessionId) return fail("not_found", "No such session.");
    const manage = await this.newManageToken(sessionId);
    const now = this.now();

    const result = this.transaction((): Outcome<RegistrationResult> => {
      if (idempotencyKey) {
        const seen = this.store.idempotencyRecord(idempotencyKey);
        // A key is remembered for a day; an older record may not have been purged yet.
        if (seen && seen.createdAt > idempotencyCutoff(now)) {
          if (seen.requestHash !== requestHash) {
            return fail("idempotency_conflict", "This Idempotency-Key was already used with a different request.");
          }
          return seen.response as Outcome<RegistrationResult>;
        }
      }
      const outcome = this.registerNow(input, manage, now);
      // Refusals are remembered too: a retry must get the same answer, not a second try. The
      // cancel link is not kept: a replay derives it again from the registration's salt.
      if (idempotencyKey && requestHash) {
        const response = outcome.ok ? { ...outcome, value: { ...outcome.value, manageToken: "" } } : outcome;
        const record = { requestHash, response, createdAt: now.toISOString() };
        this.store.rememberAnswer(idempotencyKey, record);
      }
      return outcome;
    });
    this.drainSoon();
    if (result.ok && result.value.manageToken === "") {
      const salt = this.store.manageTokenSalt(result.value.registration.id);
      if (salt) result.value.manageToken = (await derivedToken(this.env.ROLLCALL_SIGNING_SECRET, "manage", sessionId, salt)).token;
    }
    return result;
  }

  private newManageToken(sessionId: string): Promise<DerivedToken> {
    return newDerivedToken(this.env.ROLLCALL_SIGNING_SECRET, "manage", sessionId);
  }

  private registerNow(input: PublicRegistrationInput, manage: DerivedToken, now: Date): Outcome<RegistrationResult> {
    const s = this.sessionRecord();
    if (!s) return fail("not_found", "No such session.");
    const counts = this.counts();
    const decision = decidePublicSeat(s, seatsOf(s, counts), now);
    if ("refuse" in decision && decision.refuse !== "capacity_full") return seatRefusal(this.store, decision.refuse, s);
    if (s.registrationCode !== null && input.code !== s.registrationCode) {
      return fail("invalid_code", "The registration code is not valid.");
    }
    if (this.store.liveRegistration(input.email)) return fail("already_registered", "This email is already registered.");
    if ("refuse" in decision) return seatRefusal(this.store, decision.refuse, s);

    const waitlisted = decision.take === "waitlist";
    const registration = this.insertRegistration(s, {
      name: input.name,
      email: input.email,
      status: waitlisted ? "waitlisted" : "confirmed",
      source: s.registrationCode !== null ? "code" : "public",
      answers: input.answers ?? null,
      locale: input.locale ?? "en",
      manage,
      now,
    });
    // Someone invited who registered on the public page instead: their invitation is answered, and
    // the seat it held goes back (they took a public one). On the waitlist, the invitation stays:
    // following its link later moves them into the held seat.
    const invitation = waitlisted ? undefined : this.store.pendingInvitation(input.email, now);
    if (invitation) closeInvitation(this.store, invitation, "accepted", now, registration.id);
    this.store.mail(waitlisted ? "waitlisted" : "registration_confirmed", registration, { manageToken: manage.token });
    this.store.markDirty("session", s.id);
    return ok({ registration: this.registrationView(registration), manageToken: manage.token });
  }

  /** The provider places a participant directly, raising the capacity only when told to. */
  async addParticipant(
    orgId: string,
    input: ProviderRegistrationInput,
    actor: Actor,
  ): Promise<Outcome<RegistrationView & { capacityRaisedBy: number }>> {
    const sessionId = this.sessionRecord()?.id;
    if (!sessionId) return fail("not_found", "No such session.");
    const manage = await this.newManageToken(sessionId);
    const now = this.now();
    const result = this.transaction((): Outcome<RegistrationView & { capacityRaisedBy: number }> => {
      const s = this.sessionRecord();
      if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
      if (this.store.liveRegistration(input.email)) return fail("already_registered", "This email is already registered.");
      const seats = seatsOf(s, this.counts());
      const decision = decideProviderSeats(s, seats, 1, input.allowOverCapacity);
      if (!decision.ok) return seatRefusal(this.store, decision.refuse, s, 1);
      if (decision.raiseBy > 0) raiseCapacity(this.store, s, decision.raiseBy, actor, "participant added by the provider", now);
      const registration = this.insertRegistration(s, {
        name: input.name,
        email: input.email,
        status: "confirmed",
        source: "provider",
        answers: null,
        locale: input.locale ?? "en",
        manage,
        now,
      });
      this.store.mail("registration_confirmed", registration, { manageToken: manage.token });
      this.store.markDirty("session", s.id);
      return ok({ ...this.registrationView(registration), capacityRaisedBy: decision.raiseBy });
    });
    this.drainSoon();
    return result;
  }

  /** The provider removes a participant (or takes someone off the waitlist). */
  async cancelRegistration(orgId: string, registrationId: string): Promise<Outcome<RegistrationView>> {
    const now = this.now();
    const result = this.transaction(() => {
      const s = this.sessionRecord();
      if (!s || s.orgId !== orgId) return fail("not_found", "No such registration.");
      const r = this.store.registration(registrationId);
      if (!r) return fail("not_found", "No such registration.");
      return ok(this.registrationView(cancelRegistration(this.store, r, "provider", now)));
    });
    this.drainSoon();
    return result;
  }

  /** The participant's own cancel link. */
  async cancelByManageToken(token: string): Promise<Outcome<RegistrationView>> {
    const hash = (await presentedHash(token)) ?? "";
    const now = this.now();
    const result = this.transaction(() => {
      const r = this.store.registrationByManageHash(hash);
      if (!r || !this.sessionRecord()) return fail("not_found", "This link is not valid.");
      return ok(this.registrationView(cancelRegistration(this.store, r, "participant", now)));
    });
    this.drainSoon();
    return result;
  }

  /** Everyone the session concerns: its registrations (waitlist in order) and its invitations. */
  roster(orgId: string): Outcome<{ session: SessionView; registrations: RegistrationView[]; invitations: InvitationView[] }> {
    const s = this.sessionRecord();
    if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
    const now = this.now();
    const rows = this.store.registrations();
    let position = 0;
    const registrations = rows
      .sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0))
      .map((r) => registrationView(s.id, r, r.status === "waitlisted" ? ++position : null));
    const invitations = this.store.invitations().map((r) => this.store.invitationView(r, now));
    return ok({ session: this.store.currentView(), registrations, invitations });
  }

  // ─── invitations ─────────────────────────────────────────────────────────────────────────

  /**
   * Invites up to 200 people at once. Invalid addresses refuse the whole request; duplicates and
   * people already invited or registered are skipped and reported. Invitations that hold seats
   * need the seats, unless the provider explicitly raises the capacity by the shortfall.
   */
  async createInvitations(
    orgId: string,
    input: CreateInvitationsInput & { linkTemplate: string | null },
    actor: Actor,
  ): Promise<Outcome<CreatedInvitations>> {
    const parsed = parseRecipients(input.recipients);
    if (parsed.invalid.length) {
      return fail(
        "invalid_emails",
        `${parsed.invalid.length} of the addresses are not valid; nothing was created.`,
        undefined,
        parsed.invalid,
      );
    }
    if (parsed.recipients.length === 0) {
      return fail("validation_failed", "Add at least one address.", undefined, [{ path: "recipients", message: "no address given" }]);
    }
    if (parsed.recipients.length > MAX_RECIPIENTS) {
      return fail("too_many_recipients", `At most ${MAX_RECIPIENTS} addresses at once; ${parsed.recipients.length} were given.`, {
        max: MAX_RECIPIENTS,
        count: parsed.recipients.length,
      });
    }
    const s0 = this.sessionRecord();
    if (!s0 || s0.orgId !== orgId) return fail("not_found", "No such session.");
    const expiryProblem = fixedExpiryProblem(iso(input.expiresAt), iso(input.sendAt), this.now());
    if (expiryProblem) {
      return fail("validation_failed", `expiresAt ${expiryProblem}.`, undefined, [{ path: "expiresAt", message: expiryProblem }]);
    }
    const tokens = await Promise.all(parsed.recipients.map(() => newInvitationToken(this.env.ROLLCALL_SIGNING_SECRET, s0.id)));
    const now = this.now();

    const result = this.transaction((): Outcome<CreatedInvitations> => {
      const s = this.sessionRecord()!;
      if (s.status === "cancelled") return fail("session_cancelled", "This session has been cancelled.");
      const skipped: CreatedInvitations["skipped"] = parsed.duplicates.map((d) => ({
        email: d.email,
        position: d.position,
        reason: "duplicate" as const,
      }));
      const kept: { recipient: Recipient; token: InvitationToken }[] = [];
      parsed.recipients.forEach((recipient, i) => {
        if (this.store.liveInvitation(recipient.email, now))
          skipped.push({ email: recipient.email, position: recipient.position, reason: "already_invited" });
        else if (this.store.liveRegistration(recipient.email))
          skipped.push({ email: recipient.email, position: recipient.position, reason: "already_registered" });
        else kept.push({ recipient, token: tokens[i]! });
      });
      skipped.sort((a, b) => a.position - b.position);

      let raiseBy = 0;
      if (input.holdSeat && kept.length > 0) {
        const decision = decideProviderSeats(s, seatsOf(s, this.counts(now)), kept.length, input.allowOverCapacity);
        if (!decision.ok) return seatRefusal(this.store, decision.refuse, s, kept.length);
        raiseBy = decision.raiseBy;
        if (raiseBy > 0) raiseCapacity(this.store, s, raiseBy, actor, `${kept.length} invitation(s) holding seats`, now);
      }
      const status = initialStatus(input.send, input.sendAt ?? null, now);
      const created = kept.map(({ recipient, token }, i) => {
        // Sent below, through the one send path; the last `raiseBy` carry the seats they added.
        const row = newInvitation(
          s.id,
          recipient,
          token,
          input,
          status === "sent" ? "draft" : status,
          i >= kept.length - raiseBy ? 1 : 0,
          actor,
          now,
        );
        this.store.insertInvitation(row);
        this.store.markDirty("invitation", row.id);
        return status === "sent" ? sendInvitation(this.store, row, token.token, "send", now) : row;
      });
      this.store.markDirty("session", s.id);
      return ok({
        invitations: created.map((r) => this.store.invitationView(r, now)),
        skipped,
        seats: seatsOf(this.sessionRecord()!, this.counts(now)),
        capacityRaisedBy: raiseBy,
      });
    });
    await this.afterInvitationChange();
    return result;
  }

  listInvitations(orgId: string, status?: InvitationStatus): Outcome<InvitationView[]> {
    const s = this.sessionRecord();
    if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
    const now = this.now();
    const views = this.store.invitations().map((r) => this.store.invitationView(r, now));
    return ok(status ? views.filter((v) => v.status === status) : views);
  }

  /** Send, resend or cancel one invitation. */
  async invitationAction(orgId: string, invitationId: string, action: "send" | "resend" | "cancel"): Promise<Outcome<InvitationView>> {
    const result = await this.bulkAction(orgId, action, [invitationId]);
    if (!result.ok) return result;
    const [skip] = result.value.skipped;
    if (skip) return fail(skip.code as "not_found" | "invalid_transition", skip.detail);
    return ok(result.value.invitations[0]!);
  }

  /**
   * The roster's buttons: "Send invitations" sends every one still to send, "Resend invitations"
   * every pending one, or just the given ids. Each refusal is reported; the others go ahead.
   */
  async bulkAction(orgId: string, action: "send" | "resend" | "cancel", ids?: string[]): Promise<Outcome<BulkResult>> {
    const s = this.sessionRecord();
    if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
    const now0 = this.now();
    const candidates = ids
      ? this.store.invitationsIn(ids.slice(0, 1000)).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
      : this.store
          .invitationsWithStatus(action === "send" ? "draft" : "sent")
          .filter((r) => effectiveStatus(r, now0) === (action === "send" ? "draft" : "sent"));
    const links = action === "cancel" ? new Map<string, string>() : await this.linksFor(candidates);
    const now = this.now();

    const result = this.transaction((): Outcome<BulkResult> => {
      const invitations: InvitationView[] = [];
      const skipped: BulkResult["skipped"] = [];
      const found = new Set(candidates.map((c) => c.id));
      for (const id of ids ?? [])
        if (!found.has(id)) skipped.push({ id, code: "not_found", detail: "No such invitation in this session." });
      for (const candidate of candidates) {
        const row = this.store.invitation(candidate.id)!;
        const from = effectiveStatus(row, now);
        if (!transition(from, action)) {
          skipped.push({
            id: row.id,
            code: "invalid_transition",
            detail: `An invitation that is ${from} cannot be ${action === "send" ? "sent" : action === "resend" ? "resent" : "cancelled"}.`,
          });
          continue;
        }
        const next =
          action === "cancel"
            ? closeInvitation(this.store, row, "cancelled", now)
            : sendInvitation(this.store, row, links.get(row.id)!, action, now);
        invitations.push(this.store.invitationView(next, now));
      }
      if (action === "cancel") promoteWaitlist(this.store, now);
      this.store.markDirty("session", s.id);
      return ok({ invitations, skipped });
    });
    await this.afterInvitationChange();
    return result;
  }

  /** What the invitation link shows. */
  async openInvitation(token: string): Promise<Outcome<InviteLink>> {
    const inv = await this.invitationByToken(token);
    const s = this.sessionRecord();
    if (!inv || !s || inv.status === "draft" || inv.status === "scheduled") return fail("not_found", "This invitation link is not valid.");
    const now = this.now();
    return ok({
      session: publicSessionView(s, this.counts(now), now),
      invitation: {
        status: effectiveStatus(inv, now),
        name: inv.name,
        emailMasked: maskEmail(inv.email),
        holdSeat: inv.holdSeat,
        discountCode: inv.discountCode,
        expiresAt: inv.expiresAt,
        requireEmailMatch: inv.requireEmailMatch,
        message: inv.message,
      },
    });
  }

  /** Emails a six-digit code to the invited address (for invitations that require it). */
  async requestInvitationCode(token: string): Promise<Outcome<{ sentTo: string; expiresAt: string }>> {
    const inv0 = await this.invitationByToken(token);
    if (!inv0) return fail("not_found", "This invitation link is not valid.");
    const code = oneTimeCode();
    const codeHash = await hashCode(inv0.id, code);
    const now = this.now();
    const result = this.transaction((): Outcome<{ sentTo: string; expiresAt: string }> => {
      const inv = this.store.invitation(inv0.id)!;
      const refusal = linkRefusal(this.store, inv, now);
      if (refusal) return refusal;
      if (!inv.requireEmailMatch) return fail("invalid_transition", "This invitation does not need a code.");
      const expiresAt = setCode(this.store, inv, codeHash, now);
      this.store.mail("one_time_code", inv, { code, expiresAt }, inv.id);
      return ok({ sentTo: maskEmail(inv.email), expiresAt });
    });
    this.drainSoon();
    return result;
  }

  /** Accepts through the link: takes the held seat (even in a full session) or asks for one. */
  async acceptInvitation(token: string, input: AcceptInput): Promise<Outcome<RegistrationResult>> {
    const inv0 = await this.invitationByToken(token);
    if (!inv0) return fail("not_found", "This invitation link is not valid.");
    const codeHash = input.code ? await hashCode(inv0.id, input.code) : null;
    const manage = await this.newManageToken(this.sessionRecord()!.id);
    const now = this.now();

    const result = this.transaction((): Outcome<RegistrationResult> => {
      const inv = this.store.invitation(inv0.id)!;
      const refusal = linkRefusal(this.store, inv, now);
      if (refusal) return refusal;
      if (inv.requireEmailMatch) {
        const check = checkCode(this.store, inv, codeHash, now);
        if (check) return check;
      }
      const s = this.sessionRecord()!;
      // A code proves control of the invited address; registering another one would undo that.
      const email = inv.requireEmailMatch ? inv.email : (input.email ?? inv.email);
      if (Date.parse(endsAt(s)) <= now.getTime()) return fail("registration_closed", "This session is over.");
      const existing = this.store.liveRegistration(email);
      if (existing?.status === "waitlisted" && inv.holdSeat && emailKey(existing.email) === inv.emailKey) {
        // They joined the waitlist before following their link: the held seat is theirs. Their
        // cancel link changes with the confirmation that carries it.
        const confirmed: RegistrationRecord = {
          ...existing,
          status: "confirmed",
          promotedAt: now.toISOString(),
          invitationId: inv.id,
          manageTokenHash: manage.secretHash,
          manageTokenSalt: manage.salt,
        };
        this.store.updateRegistration(existing.id, confirmed);
        closeInvitation(this.store, inv, "accepted", now, existing.id);
        this.store.mail("registration_confirmed", confirmed, { manageToken: manage.token });
        this.store.markDirty("registration", existing.id);
        this.store.markDirty("session", s.id);
        return ok({ registration: this.registrationView(confirmed), manageToken: manage.token });
      }
      if (existing) return fail("already_registered", "This email is already registered.");
      let status: "confirmed" | "waitlisted" = "confirmed";
      if (!inv.holdSeat) {
        const seats = seatsOf(s, this.counts(now));
        if (seats.available === 0) {
          if (!s.waitlist) return seatRefusal(this.store, "capacity_full", s);
          status = "waitlisted";
        }
      }
      // The held seat turns into the confirmed one in the same transaction: the count never moves.
      const registration = this.insertRegistration(s, {
        name: input.name ?? inv.name ?? email.slice(0, email.indexOf("@")),
        email,
        status,
        source: "invitation",
        answers: null,
        locale: input.locale ?? inv.locale,
        manage,
        invitationId: inv.id,
        discountCode: inv.discountCode,
        now,
      });
      closeInvitation(this.store, inv, "accepted", now, registration.id);
      this.store.mail(status === "confirmed" ? "registration_confirmed" : "waitlisted", registration, { manageToken: manage.token });
      this.store.markDirty("session", s.id);
      return ok({ registration: this.registrationView(registration), manageToken: manage.token });
    });
    await this.afterInvitationChange();
    return result;
  }

  /** Declines through the link: the held seat goes back to the public (or the waitlist). */
  async declineInvitation(token: string, code?: string): Promise<Outcome<{ status: "declined" }>> {
    const inv0 = await this.invitationByToken(token);
    if (!inv0) return fail("not_found", "This invitation link is not valid.");
    const codeHash = code ? await hashCode(inv0.id, code) : null;
    const now = this.now();
    const result = this.transaction((): Outcome<{ status: "declined" }> => {
      const inv = this.store.invitation(inv0.id)!;
      const refusal = linkRefusal(this.store, inv, now);
      if (refusal) return refusal;
      // Whoever holds a forwarded link must not give the invited person's seat away either.
      if (inv.requireEmailMatch) {
        const check = checkCode(this.store, inv, codeHash, now);
        if (check) return check;
      }
      closeInvitation(this.store, inv, "declined", now);
      promoteWaitlist(this.store, now);
      this.store.markDirty("session", this.sessionRecord()!.id);
      return ok({ status: "declined" as const });
    });
    await this.afterInvitationChange();
    return result;
  }

  /** Delivery news about one invitation: recordDeliveries with one update; not_found when unknown. */
  recordDelivery(invitationId: string, status: DeliveryStatus, at: string): Outcome<null> {
    const result = this.recordDeliveries([{ invitationId, status, at }]);
    if (!result.ok) return result;
    return result.value.unknown.length ? fail("not_found", "No such invitation.") : ok(null);
  }

  /**
   * Delivery news from the mail provider, a batch at once (the consumer and the webhook call each
   * ledger once per batch): one transaction, deliveryChanges decides, see nextDeliveryStatus for why
   * order does not matter. Invitations this ledger does not know are skipped and listed, not fatal.
   */
  recordDeliveries(updates: DeliveryUpdate[]): Outcome<{ updated: number; unknown: string[] }> {
    const result = this.transaction(() => {
      const ids = [...new Set(updates.map((u) => u.invitationId))];
      const current = this.store.deliveries(ids) as Map<string, DeliveryStatus | null>;
      const changes = deliveryChanges(current, updates);
      for (const [id, change] of changes) {
        this.store.updateInvitation(id, { delivery: change.status, deliveryAt: change.at });
        this.store.markDirty("invitation", id);
      }
      return { updated: changes.size, unknown: ids.filter((id) => !current.has(id)) };
    });
    if (result.updated > 0) this.drainSoon();
    return ok(result);
  }

  private async invitationByToken(token: string): Promise<InvitationRecord | undefined> {
    const hash = await presentedHash(token);
    return hash ? this.store.invitationByTokenHash(hash) : undefined;
  }

  /** The link tokens of these invitations, derived again from their salts (for sends). */
  private async linksFor(rows: Pick<InvitationRecord, "id" | "tokenSalt">[]): Promise<Map<string, string>> {
    const sessionId = this.sessionRecord()!.id;
    const tokens = await Promise.all(rows.map((r) => invitationToken(this.env.ROLLCALL_SIGNING_SECRET, sessionId, r.tokenSalt)));
    return new Map(rows.map((r, i) => [r.id, tokens[i]!.token]));
  }

  // ─── live channel ────────────────────────────────────────────────────────────────────────

  /**
   * WebSocket upgrades for `/v1/public/sessions/{id}/live` (hibernation API: an idle page costs
   * nothing). Each socket receives the session's public state now and after every change; the
   * admin roster takes a message as its cue to reload. No personal data goes out here.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket", { status: 426 });
    const state = this.readPublic();
    if (!state.ok) return new Response("No such session", { status: 404 });
    if (this.ctx.getWebSockets().length >= MAX_LIVE_SOCKETS) return new Response("Too many viewers", { status: 503 });
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server);
    server.send(JSON.stringify({ type: "session", session: state.value }));
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    if (message === "ping") ws.send("pong");
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    ws.close(code === 1005 ? 1000 : code, "bye");
  }

  private broadcast(): void {
    const sockets = this.ctx.getWebSockets();
    if (sockets.length === 0) return;
    const state = this.readPublic();
    if (!state.ok) return;
    const message = JSON.stringify({ type: "session", session: state.value });
    for (const ws of sockets) {
      try {
        ws.send(message);
      } catch {
        // A socket closing as we speak: the runtime tells us through webSocketClose.
      }
    }
  }

  // ─── drain and alarm ─────────────────────────────────────────────────────────────────────

  /** Writes pending projection rows to D1 and hands pending mail to the queue. Returns what is left. */
  async drain(): Promise<{ pending: number }> {
    this.draining ??= this.drainOutboxes().finally(() => {
      this.draining = null;
    });
    await this.draining;
    return { pending: pendingCount(this.store) };
  }

  override async alarm(): Promise<void> {
    this.safetyAlarmAt = null;
    this.store.forgetAnswers(idempotencyCutoff(this.now()));
    await this.runDue();
    await this.drain();
    await this.scheduleAlarm();
  }

  /** Time-driven work: send what is scheduled, expire what is due. */
  private async runDue(): Promise<void> {
    const due = this.store.dueToSend(this.now());
    const links = await this.linksFor(due);
    const now = this.now();
    this.transaction(() => sendAndExpireDue(this.store, due, links, now));
  }

  /** Sets the alarm for the next scheduled send or expiry, never later than one already set. */
  private async scheduleAlarm(): Promise<void> {
    const next = this.store.nextInvitationTimes();
    const times = [next?.send, next?.expiry].filter((v): v is string => !!v).map((v) => Date.parse(v));
    if (times.length === 0) return;
    // The clock may be a test's: convert its "when" into real time from now.
    const at = Date.now() + Math.max(0, Math.min(...times) - this.now().getTime());
    await this.alarmNoLaterThan(at);
  }

  private async alarmNoLaterThan(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(at);
  }

  private async afterInvitationChange(): Promise<void> {
    this.drainSoon();
    await this.scheduleAlarm();
  }

  /**
   * Drains a moment after a commit rather than at once, so that a burst of registrations becomes
   * one D1 batch and one queue send instead of one of each per registration. The alarm is the
   * safety net should this object stop before the timer fires.
   */
  private drainSoon(): void {
    if (this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = null;
      this.ctx.waitUntil(this.drain());
    }, DRAIN_DELAY_MS);
    if (this.safetyAlarmAt === null || this.safetyAlarmAt < Date.now()) {
      this.safetyAlarmAt = Date.now() + SAFETY_ALARM_MS;
      this.ctx.waitUntil(this.alarmNoLaterThan(this.safetyAlarmAt));
    }
  }

  private async drainOutboxes(): Promise<void> {
    if (this.store.takeChanged()) this.broadcast();
    try {
      await drainOutboxes(this.store, { projection: this.projection, mailQueue: this.mailQueue });
      this.drainFailures = 0;
    } catch (error) {
      // Nothing is lost: the rows stay in the outboxes and the alarm tries again, backing off.
      this.drainFailures++;
      const delay = retryDelay(this.drainFailures);
      console.warn(`ledger ${this.sessionRecord()?.id}: drain failed (attempt ${this.drainFailures}), retrying in ${delay} ms`, error);
      await this.alarmNoLaterThan(Date.now() + delay);
    }
  }

  // ─── storage ─────────────────────────────────────────────────────────────────────────────

  private now(): Date {
    return this.clock.now();
  }

  /** One synchronous storage transaction: the body must not await (see the top of this file). */
  private transaction<T>(body: () => T): T {
    return this.store.transaction(body);
  }

  // The store's reads most methods use (test/worker/concurrency.test.ts builds a register from them).

  private sessionRecord(): SessionRecord | undefined {
    return this.store.sessionRecord();
  }

  private counts(now: Date = this.now()): SeatCounts {
    return this.store.counts(now);
  }

  private insertRegistration(s: SessionRecord, r: NewRegistration): RegistrationRecord {
    return this.store.insertRegistration(s, r);
  }

  private registrationView(r: RegistrationRecord): RegistrationView {
    return this.store.registrationView(r);
  }
}

/** Idempotency records created at or before this instant are forgotten. */
function idempotencyCutoff(now: Date): string {
  return new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
}

function pick<T extends object, K extends keyof T>(from: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

/** JSON with sorted keys, so equal bodies hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
