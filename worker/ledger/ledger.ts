// The session ledger: one Durable Object per session, the single source of truth for its seats.
//
// Every mutation runs its checks and its writes inside one `transactionSync`, with no await in
// between: the object's input gate then guarantees that no other request sees a half-decided
// seat. Side effects (the D1 projection, emails) are recorded in outboxes inside the same
// transaction and drained afterwards, by `drain()` right after the commit and by the alarm when a
// drain fails.

import { DurableObject } from "cloudflare:workers";
import { and, asc, count, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { drizzle, type DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { MailData, MailMessage, MailTemplate, SessionMailData } from "../email/message";
import { fail, ok, type Outcome } from "../errors/problem";
import {
  derivedToken,
  newChildId,
  newDerivedToken,
  parseSessionToken,
  presentedHash,
  randomSecret,
  sha256Hex,
  type DerivedToken,
} from "../ids/ids";
import { deliveryChanges, type DeliveryStatus, type DeliveryUpdate } from "../email/delivery";
import {
  effectiveStatus,
  expiryOnSend,
  fixedExpiryProblem,
  initialStatus,
  invitationLink,
  maskEmail,
  transition,
  type InvitationStatus,
} from "../invitations/lifecycle";
import type { AcceptInput, CreateInvitationsInput, InvitationView } from "../invitations/schemas";
import { hashCode, invitationToken, newInvitationToken, oneTimeCode, type InvitationToken } from "../invitations/tokens";
import { MAX_RECIPIENTS, parseRecipients, type Recipient } from "../recipients/parse";
import { emailKey } from "../recipients/address";
import type { ProviderRegistrationInput, PublicRegistrationInput, RegistrationView } from "../registrations/schemas";
import { sessionCoherence } from "../sessions/rules";
import type { CreateSessionInput, PublicSessionView, SessionView, UpdateSessionInput } from "../sessions/schemas";
import { decideProviderSeats, decidePublicSeat, promotable, seatsOf, taken, type SeatCounts } from "../sessions/seats";
import { systemClock, type Clock } from "../time/clock";
import migrations from "./migrations/migrations.js";
import { d1Projection, type ProjectionRows, type ProjectionWriter } from "./projection";
import * as t from "./schema";
import {
  invitationView,
  publicSessionView,
  registrationView,
  sessionView,
  endsAt,
  type InvitationRecord,
  type RegistrationRecord,
  type SessionRecord,
} from "./views";

export type Actor = string; // "key:<id>", "member:<id>", "participant", "system"

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

const CODE_TTL_MS = 10 * 60_000;
const CODE_TRIES = 5;
const DRAIN_BATCH = 500;
/** Ids per `in (…)` list, under SQLite's limit of bound parameters per statement. */
const SQL_CHUNK = 90;
const DRAIN_DELAY_MS = 20;
const MAX_LIVE_SOCKETS = 2_000;
const SAFETY_ALARM_MS = 60_000;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;

export class SessionLedger extends DurableObject<Env> {
  private readonly db: DrizzleSqliteDODatabase<typeof t>;
  /** Replaceable in tests: where time comes from, where projection rows and mail go. */
  clock: Clock = systemClock;
  projection: ProjectionWriter;
  mailQueue: Pick<Queue<MailMessage>, "sendBatch">;
  private draining: Promise<void> | null = null;
  private drainTimer: ReturnType<typeof setTimeout> | null = null;
  /** Something was written since the last broadcast to the live channel. */
  private changed = false;
  private session: SessionRecord | undefined;
  /** An alarm known to be set no later than this (real time), so mutations need not set one. */
  private safetyAlarmAt: number | null = null;
  private drainFailures = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = drizzle(ctx.storage, { schema: t });
    this.projection = d1Projection(env.DB);
    this.mailQueue = env.MAIL_QUEUE;
    void ctx.blockConcurrencyWhile(() => migrate(this.db, migrations));
  }

  // ─── sessions ────────────────────────────────────────────────────────────────────────────

  async create(input: CreateSessionInput & { id: string; orgId: string; baseUrl: string }): Promise<Outcome<SessionView>> {
    const now = this.now();
    const result = this.transaction(() => {
      if (this.sessionRecord()) return fail("invalid_transition", "This session already exists.");
      this.db
        .insert(t.session)
        .values({
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
        })
        .run();
      this.markDirty("session", input.id);
      return ok(this.currentView());
    });
    // Creation is rare and lists should show the new session at once: wait for the projection.
    await this.drain();
    return result;
  }

  read(orgId: string): Outcome<SessionView> {
    const s = this.sessionRecord();
    if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
    return ok(this.currentView());
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
        return fail(
          "capacity_below_taken",
          `${seatsTaken} seats are taken; the capacity cannot go below that.`,
          { capacity: next.capacity, taken: seatsTaken },
        );
      }
      if (next.capacity !== s.capacity) this.recordCapacity(s.capacity, next.capacity, actor, "edited", now);
      this.db.update(t.session).set(next).run();
      this.forgetSession();
      this.promoteWaitlist(now);
      this.markDirty("session", s.id);
      return ok(this.currentView());
    });
    await this.drain();
    return result;
  }

  async cancel(orgId: string, actor: Actor): Promise<Outcome<SessionView>> {
    const now = this.now();
    const result = this.transaction(() => {
      const s = this.sessionRecord();
      if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
      if (s.status === "cancelled") return ok(this.currentView()); // a retried cancel changes nothing
      this.db.update(t.session).set({ status: "cancelled", cancelledAt: now.toISOString(), updatedAt: now.toISOString() }).run();
      this.forgetSession();
      const people = this.db.select().from(t.registrations).where(inArray(t.registrations.status, ["confirmed", "waitlisted"])).all();
      for (const r of people) this.mail("session_cancelled", r, { cancelledBy: actor });
      this.markDirty("session", s.id);
      return ok(this.currentView());
    });
    await this.drain();
    return result;
  }

  // ─── registrations ───────────────────────────────────────────────────────────────────────

  /**
   * A member of the public registers. With an idempotency key, the same key and body give the
   * same answer without a second registration; the same key with another body is refused.
   */
  async register(
    input: PublicRegistrationInput,
    idempotencyKey?: string,
  ): Promise<Outcome<RegistrationResult>> {
    // Everything asynchronous happens before the transaction opens.
    const requestHash = idempotencyKey ? await sha256Hex(canonicalJson(input)) : null;
    const sessionId = this.sessionRecord()?.id;
    if (!sessionId) return fail("not_found", "No such session.");
    const manage = await this.newManageToken(sessionId);
    const now = this.now();

    const result = this.transaction((): Outcome<RegistrationResult> => {
      if (idempotencyKey) {
        const seen = this.db.select().from(t.idempotency).where(eq(t.idempotency.key, idempotencyKey)).get();
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
        this.db.insert(t.idempotency).values({ key: idempotencyKey, ...record }).onConflictDoUpdate({ target: t.idempotency.key, set: record }).run();
      }
      return outcome;
    });
    this.drainSoon();
    if (result.ok && result.value.manageToken === "") {
      const salt = this.db
        .select({ salt: t.registrations.manageTokenSalt })
        .from(t.registrations)
        .where(eq(t.registrations.id, result.value.registration.id))
        .get()?.salt;
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
    if ("refuse" in decision && decision.refuse !== "capacity_full") return this.refusal(decision.refuse, s);
    if (s.registrationCode !== null && input.code !== s.registrationCode) {
      return fail("invalid_code", "The registration code is not valid.");
    }
    if (this.liveRegistration(input.email)) return fail("already_registered", "This email is already registered.");
    if ("refuse" in decision) return this.refusal(decision.refuse, s);

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
    const invitation = waitlisted ? undefined : this.pendingInvitation(input.email, now);
    if (invitation) this.closeInvitation(invitation, "accepted", now, registration.id);
    this.mail(waitlisted ? "waitlisted" : "registration_confirmed", registration, { manageToken: manage.token });
    this.markDirty("session", s.id);
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
      if (this.liveRegistration(input.email)) return fail("already_registered", "This email is already registered.");
      const seats = seatsOf(s, this.counts());
      const decision = decideProviderSeats(s, seats, 1, input.allowOverCapacity);
      if (!decision.ok) return this.refusal(decision.refuse, s, 1);
      if (decision.raiseBy > 0) this.raiseCapacity(s, decision.raiseBy, actor, "participant added by the provider", now);
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
      this.mail("registration_confirmed", registration, { manageToken: manage.token });
      this.markDirty("session", s.id);
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
      const r = this.db.select().from(t.registrations).where(eq(t.registrations.id, registrationId)).get();
      if (!r) return fail("not_found", "No such registration.");
      return ok(this.registrationView(this.cancelNow(r, "provider", now)));
    });
    this.drainSoon();
    return result;
  }

  /** The participant's own cancel link. */
  async cancelByManageToken(token: string): Promise<Outcome<RegistrationView>> {
    const hash = (await presentedHash(token)) ?? "";
    const now = this.now();
    const result = this.transaction(() => {
      const r = this.db.select().from(t.registrations).where(eq(t.registrations.manageTokenHash, hash)).get();
      if (!r || !this.sessionRecord()) return fail("not_found", "This link is not valid.");
      return ok(this.registrationView(this.cancelNow(r, "participant", now)));
    });
    this.drainSoon();
    return result;
  }

  /** Everyone the session concerns: its registrations (waitlist in order) and its invitations. */
  roster(orgId: string): Outcome<{ session: SessionView; registrations: RegistrationView[]; invitations: InvitationView[] }> {
    const s = this.sessionRecord();
    if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
    const now = this.now();
    const rows = this.db.select().from(t.registrations).orderBy(asc(t.registrations.createdAt), asc(t.registrations.id)).all();
    let position = 0;
    const registrations = rows
      .sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0))
      .map((r) => registrationView(s.id, r, r.status === "waitlisted" ? ++position : null));
    const invitations = this.db
      .select()
      .from(t.invitations)
      .orderBy(asc(t.invitations.createdAt), asc(t.invitations.id))
      .all()
      .map((r) => this.invitationView(r, now));
    return ok({ session: this.currentView(), registrations, invitations });
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
      return fail("invalid_emails", `${parsed.invalid.length} of the addresses are not valid; nothing was created.`, undefined, parsed.invalid);
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
      const skipped: CreatedInvitations["skipped"] = parsed.duplicates.map((d) => ({ email: d.email, position: d.position, reason: "duplicate" as const }));
      const kept: { recipient: Recipient; token: InvitationToken }[] = [];
      parsed.recipients.forEach((recipient, i) => {
        if (this.liveInvitation(recipient.email, now)) skipped.push({ email: recipient.email, position: recipient.position, reason: "already_invited" });
        else if (this.liveRegistration(recipient.email)) skipped.push({ email: recipient.email, position: recipient.position, reason: "already_registered" });
        else kept.push({ recipient, token: tokens[i]! });
      });
      skipped.sort((a, b) => a.position - b.position);

      let raiseBy = 0;
      if (input.holdSeat && kept.length > 0) {
        const decision = decideProviderSeats(s, seatsOf(s, this.counts(now)), kept.length, input.allowOverCapacity);
        if (!decision.ok) return this.refusal(decision.refuse, s, kept.length);
        raiseBy = decision.raiseBy;
        if (raiseBy > 0) this.raiseCapacity(s, raiseBy, actor, `${kept.length} invitation(s) holding seats`, now);
      }
      const status = initialStatus(input.send, input.sendAt ?? null, now);
      const created = kept.map(({ recipient, token }, i) => {
        const row: InvitationRecord = {
          id: newChildId("inv", s.id),
          email: recipient.email,
          emailKey: emailKey(recipient.email),
          name: recipient.name,
          holdSeat: input.holdSeat,
          discountCode: input.discountCode ?? null,
          status: status === "sent" ? "draft" : status, // sent below, through the one send path
          sendAt: iso(input.sendAt),
          sentAt: null,
          sendCount: 0,
          expiresAt: iso(input.expiresAt),
          expiresInDays: input.expiresInDays ?? null,
          subject: input.subject ?? null,
          buttonText: input.buttonText ?? null,
          message: input.message ?? null,
          locale: input.locale,
          requireEmailMatch: input.requireEmailMatch,
          raisedCapacity: i >= kept.length - raiseBy ? 1 : 0,
          linkTemplate: input.linkTemplate,
          tokenSalt: token.salt,
          tokenHash: token.secretHash,
          delivery: null,
          deliveryAt: null,
          registrationId: null,
          codeHash: null,
          codeExpiresAt: null,
          codeAttempts: 0,
          createdBy: actor,
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
          closedAt: null,
        };
        this.db.insert(t.invitations).values(row).run();
        this.markDirty("invitation", row.id);
        return status === "sent" ? this.sendInvitation(row, token.token, "send", now) : row;
      });
      this.markDirty("session", s.id);
      return ok({
        invitations: created.map((r) => this.invitationView(r, now)),
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
    const views = this.db.select().from(t.invitations).orderBy(asc(t.invitations.createdAt), asc(t.invitations.id)).all().map((r) => this.invitationView(r, now));
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
      ? this.db
          .select()
          .from(t.invitations)
          .where(inArray(t.invitations.id, ids.slice(0, 1000)))
          .all()
          .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
      : this.db
          .select()
          .from(t.invitations)
          .where(eq(t.invitations.status, action === "send" ? "draft" : "sent"))
          .all()
          .filter((r) => effectiveStatus(r, now0) === (action === "send" ? "draft" : "sent"));
    const links = action === "cancel" ? new Map<string, string>() : await this.linksFor(candidates);
    const now = this.now();

    const result = this.transaction((): Outcome<BulkResult> => {
      const invitations: InvitationView[] = [];
      const skipped: BulkResult["skipped"] = [];
      const found = new Set(candidates.map((c) => c.id));
      for (const id of ids ?? []) if (!found.has(id)) skipped.push({ id, code: "not_found", detail: "No such invitation in this session." });
      for (const candidate of candidates) {
        const row = this.db.select().from(t.invitations).where(eq(t.invitations.id, candidate.id)).get()!;
        const from = effectiveStatus(row, now);
        if (!transition(from, action)) {
          skipped.push({ id: row.id, code: "invalid_transition", detail: `An invitation that is ${from} cannot be ${action === "send" ? "sent" : action === "resend" ? "resent" : "cancelled"}.` });
          continue;
        }
        const next = action === "cancel" ? this.closeInvitation(row, "cancelled", now) : this.sendInvitation(row, links.get(row.id)!, action, now);
        invitations.push(this.invitationView(next, now));
      }
      if (action === "cancel") this.promoteWaitlist(now);
      this.markDirty("session", s.id);
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
      const inv = this.db.select().from(t.invitations).where(eq(t.invitations.id, inv0.id)).get()!;
      const refusal = this.linkRefusal(inv, now);
      if (refusal) return refusal;
      if (!inv.requireEmailMatch) return fail("invalid_transition", "This invitation does not need a code.");
      const expiresAt = new Date(now.getTime() + CODE_TTL_MS).toISOString();
      this.db.update(t.invitations).set({ codeHash, codeExpiresAt: expiresAt, codeAttempts: 0, updatedAt: now.toISOString() }).where(eq(t.invitations.id, inv.id)).run();
      this.mail("one_time_code", inv, { code, expiresAt }, inv.id);
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
      const inv = this.db.select().from(t.invitations).where(eq(t.invitations.id, inv0.id)).get()!;
      const refusal = this.linkRefusal(inv, now);
      if (refusal) return refusal;
      if (inv.requireEmailMatch) {
        const check = this.checkCode(inv, codeHash, now);
        if (check) return check;
      }
      const s = this.sessionRecord()!;
      // A code proves control of the invited address; registering another one would undo that.
      const email = inv.requireEmailMatch ? inv.email : (input.email ?? inv.email);
      if (Date.parse(endsAt(s)) <= now.getTime()) return fail("registration_closed", "This session is over.");
      const existing = this.liveRegistration(email);
      if (existing?.status === "waitlisted" && inv.holdSeat && emailKey(existing.email) === inv.emailKey) {
        // They joined the waitlist before following their link: the held seat is theirs. Their
        // cancel link changes with the confirmation that carries it.
        const confirmed: RegistrationRecord = { ...existing, status: "confirmed", promotedAt: now.toISOString(), invitationId: inv.id, manageTokenHash: manage.secretHash, manageTokenSalt: manage.salt };
        this.db.update(t.registrations).set(confirmed).where(eq(t.registrations.id, existing.id)).run();
        this.closeInvitation(inv, "accepted", now, existing.id);
        this.mail("registration_confirmed", confirmed, { manageToken: manage.token });
        this.markDirty("registration", existing.id);
        this.markDirty("session", s.id);
        return ok({ registration: this.registrationView(confirmed), manageToken: manage.token });
      }
      if (existing) return fail("already_registered", "This email is already registered.");
      let status: "confirmed" | "waitlisted" = "confirmed";
      if (!inv.holdSeat) {
        const seats = seatsOf(s, this.counts(now));
        if (seats.available === 0) {
          if (!s.waitlist) return this.refusal("capacity_full", s);
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
      this.closeInvitation(inv, "accepted", now, registration.id);
      this.mail(status === "confirmed" ? "registration_confirmed" : "waitlisted", registration, { manageToken: manage.token });
      this.markDirty("session", s.id);
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
      const inv = this.db.select().from(t.invitations).where(eq(t.invitations.id, inv0.id)).get()!;
      const refusal = this.linkRefusal(inv, now);
      if (refusal) return refusal;
      // Whoever holds a forwarded link must not give the invited person's seat away either.
      if (inv.requireEmailMatch) {
        const check = this.checkCode(inv, codeHash, now);
        if (check) return check;
      }
      this.closeInvitation(inv, "declined", now);
      this.promoteWaitlist(now);
      this.markDirty("session", this.sessionRecord()!.id);
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
      const current = new Map<string, DeliveryStatus | null>();
      for (let i = 0; i < ids.length; i += SQL_CHUNK) {
        const rows = this.db
          .select({ id: t.invitations.id, delivery: t.invitations.delivery })
          .from(t.invitations)
          .where(inArray(t.invitations.id, ids.slice(i, i + SQL_CHUNK)))
          .all();
        for (const r of rows) current.set(r.id, (r.delivery as DeliveryStatus | null) ?? null);
      }
      const changes = deliveryChanges(current, updates);
      for (const [id, change] of changes) {
        this.db.update(t.invitations).set({ delivery: change.status, deliveryAt: change.at }).where(eq(t.invitations.id, id)).run();
        this.markDirty("invitation", id);
      }
      return { updated: changes.size, unknown: ids.filter((id) => !current.has(id)) };
    });
    if (result.updated > 0) this.drainSoon();
    return ok(result);
  }

  private liveInvitation(email: string, now: Date): InvitationRecord | undefined {
    return this.db
      .select()
      .from(t.invitations)
      .where(and(eq(t.invitations.emailKey, emailKey(email)), inArray(t.invitations.status, ["draft", "scheduled", "sent", "accepted"])))
      .all()
      .find((r) => r.status === "accepted" || effectiveStatus(r, now) !== "expired");
  }

  /** An invitation of this address still waiting for an answer. */
  private pendingInvitation(email: string, now: Date): InvitationRecord | undefined {
    return this.db
      .select()
      .from(t.invitations)
      .where(and(eq(t.invitations.emailKey, emailKey(email)), inArray(t.invitations.status, ["draft", "scheduled", "sent"])))
      .all()
      .find((r) => effectiveStatus(r, now) !== "expired");
  }

  private invitationView(r: InvitationRecord, now: Date): InvitationView {
    return invitationView(this.sessionRecord()!.id, r, effectiveStatus(r, now));
  }

  private async invitationByToken(token: string): Promise<InvitationRecord | undefined> {
    const hash = await presentedHash(token);
    return hash ? this.db.select().from(t.invitations).where(eq(t.invitations.tokenHash, hash)).get() : undefined;
  }

  /** The link tokens of these invitations, derived again from their salts (for sends). */
  private async linksFor(rows: Pick<InvitationRecord, "id" | "tokenSalt">[]): Promise<Map<string, string>> {
    const sessionId = this.sessionRecord()!.id;
    const tokens = await Promise.all(rows.map((r) => invitationToken(this.env.ROLLCALL_SIGNING_SECRET, sessionId, r.tokenSalt)));
    return new Map(rows.map((r, i) => [r.id, tokens[i]!.token]));
  }

  /** Why the link cannot be used now, if it cannot. */
  private linkRefusal(inv: InvitationRecord, now: Date) {
    const status = effectiveStatus(inv, now);
    if (status === "expired") return fail("invitation_expired", "This invitation has expired. Ask the organiser for a new one.");
    if (status === "cancelled") return fail("invitation_cancelled", "This invitation was cancelled.");
    if (status === "accepted" || status === "declined") return fail("invitation_used", `This invitation was already ${status}.`);
    if (status !== "sent") return fail("not_found", "This invitation link is not valid.");
    if (this.sessionRecord()!.status === "cancelled") return fail("session_cancelled", "This session has been cancelled.");
    return null;
  }

  /** Checks a one-time code; a wrong one uses up one of the tries (and that is written). */
  private checkCode(inv: InvitationRecord, codeHash: string | null, now: Date) {
    if (!codeHash) return fail("email_verification_required", "Enter the code we emailed to the invited address.");
    const usable = inv.codeHash && inv.codeExpiresAt && Date.parse(inv.codeExpiresAt) > now.getTime() && inv.codeAttempts < CODE_TRIES;
    if (!usable) return fail("verification_code_expired", "This code has expired or was tried too often. Ask for a new one.");
    if (codeHash !== inv.codeHash) {
      const attempts = inv.codeAttempts + 1;
      this.db.update(t.invitations).set({ codeAttempts: attempts }).where(eq(t.invitations.id, inv.id)).run();
      return fail("invalid_verification_code", "That code is not the one we sent.", { attemptsLeft: CODE_TRIES - attempts });
    }
    return null;
  }

  /** The one send path: first send and resend alike. Assumes the move was checked. */
  private sendInvitation(row: InvitationRecord, token: string, action: "send" | "resend", now: Date): InvitationRecord {
    const s = this.sessionRecord()!;
    const next: InvitationRecord = {
      ...row,
      status: "sent",
      sentAt: now.toISOString(),
      sendCount: row.sendCount + 1,
      expiresAt: action === "send" ? expiryOnSend(row.expiresAt, row.expiresInDays, now) : row.expiresAt,
      delivery: "queued",
      deliveryAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    this.db.update(t.invitations).set(next).where(eq(t.invitations.id, row.id)).run();
    this.mail(
      "invitation",
      next,
      {
        link: invitationLink(row.linkTemplate, s.baseUrl, token),
        subject: row.subject,
        buttonText: row.buttonText,
        message: row.message,
        discountCode: row.discountCode,
        holdSeat: row.holdSeat,
        expiresAt: next.expiresAt,
      },
      row.id,
    );
    this.markDirty("invitation", row.id);
    return next;
  }

  private closeInvitation(
    row: InvitationRecord,
    status: "accepted" | "cancelled" | "declined" | "expired",
    now: Date,
    registrationId: string | null = row.registrationId,
  ): InvitationRecord {
    const next: InvitationRecord = { ...row, status, registrationId, closedAt: now.toISOString(), updatedAt: now.toISOString() };
    this.db.update(t.invitations).set(next).where(eq(t.invitations.id, row.id)).run();
    if (status === "cancelled" && row.status === "sent") this.mail("invitation_cancelled", row, {}, row.id);
    this.markDirty("invitation", row.id);
    return next;
  }

  /** Time-driven work: send what is scheduled, expire what is due. */
  private async runDue(): Promise<void> {
    const now0 = this.now();
    const due = this.db
      .select()
      .from(t.invitations)
      .where(and(eq(t.invitations.status, "scheduled"), lte(t.invitations.sendAt, now0.toISOString())))
      .all();
    const links = await this.linksFor(due);
    const now = this.now();
    this.transaction(() => {
      const s = this.sessionRecord();
      if (!s) return;
      for (const d of due) {
        const row = this.db.select().from(t.invitations).where(eq(t.invitations.id, d.id)).get()!;
        if (row.status === "scheduled" && effectiveStatus(row, now) === "scheduled") this.sendInvitation(row, links.get(row.id)!, "send", now);
      }
      const expiring = this.db
        .select()
        .from(t.invitations)
        .where(and(inArray(t.invitations.status, ["draft", "scheduled", "sent"]), lte(t.invitations.expiresAt, now.toISOString())))
        .all();
      for (const row of expiring) this.closeInvitation(row, "expired", now);
      if (expiring.length || due.length) {
        this.promoteWaitlist(now);
        this.markDirty("session", s.id);
      }
    });
  }

  /** Sets the alarm for the next scheduled send or expiry, never later than one already set. */
  private async scheduleAlarm(): Promise<void> {
    const next = this.db
      .select({
        send: sql<string | null>`(select min(${t.invitations.sendAt}) from ${t.invitations} where ${t.invitations.status} = 'scheduled')`,
        expiry: sql<string | null>`(select min(${t.invitations.expiresAt}) from ${t.invitations} where ${t.invitations.status} in ('draft','scheduled','sent'))`,
      })
      .from(t.session)
      .get();
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

  // ─── side effects ────────────────────────────────────────────────────────────────────────

  /** Writes pending projection rows to D1 and hands pending mail to the queue. Returns what is left. */
  async drain(): Promise<{ pending: number }> {
    this.draining ??= this.drainOutboxes().finally(() => {
      this.draining = null;
    });
    await this.draining;
    const [p] = this.db.select({ n: count() }).from(t.projectionOutbox).all();
    const [m] = this.db.select({ n: count() }).from(t.mailOutbox).all();
    return { pending: (p?.n ?? 0) + (m?.n ?? 0) };
  }

  override async alarm(): Promise<void> {
    this.safetyAlarmAt = null;
    const cutoff = idempotencyCutoff(this.now());
    this.db.delete(t.idempotency).where(lte(t.idempotency.createdAt, cutoff)).run();
    await this.runDue();
    await this.drain();
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
    if (this.changed) {
      this.changed = false;
      this.broadcast();
    }
    try {
      // Rows that change while a batch is in flight are picked up by the next pass.
      for (;;) {
        const dirty = this.db.select().from(t.projectionOutbox).limit(DRAIN_BATCH).all();
        const mail = this.db.select().from(t.mailOutbox).orderBy(asc(t.mailOutbox.id)).limit(100).all();
        if (dirty.length === 0 && mail.length === 0) break;
        if (dirty.length) {
          await this.projection.write(this.projectionRows(dirty));
          this.transaction(() => {
            for (const d of dirty) {
              this.db
                .delete(t.projectionOutbox)
                .where(
                  and(
                    eq(t.projectionOutbox.kind, d.kind),
                    eq(t.projectionOutbox.entityId, d.entityId),
                    eq(t.projectionOutbox.version, d.version),
                  ),
                )
                .run();
            }
          });
        }
        if (mail.length) {
          await this.mailQueue.sendBatch(mail.map((m) => ({ body: m.message as MailMessage, contentType: "json" })));
          this.db.delete(t.mailOutbox).where(inArray(t.mailOutbox.id, mail.map((m) => m.id))).run();
        }
      }
      this.drainFailures = 0;
    } catch (error) {
      // Nothing is lost: the rows stay in the outboxes and the alarm tries again, backing off.
      this.drainFailures++;
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (this.drainFailures - 1));
      console.warn(`ledger ${this.sessionRecord()?.id}: drain failed (attempt ${this.drainFailures}), retrying in ${delay} ms`, error);
      await this.alarmNoLaterThan(Date.now() + delay);
    }
  }

  private projectionRows(dirty: { kind: string; entityId: string }[]): ProjectionRows {
    const rows: ProjectionRows = { sessions: [], registrations: [], invitations: [] };
    const s = this.sessionRecord();
    if (!s) return rows;
    const ids = (kind: string) => dirty.filter((d) => d.kind === kind).map((d) => d.entityId);
    if (ids("session").length) {
      const view = this.currentView();
      rows.sessions.push({
        id: s.id,
        orgId: s.orgId,
        title: s.title,
        startsAt: s.startsAt,
        timeZone: s.timeZone,
        durationMinutes: s.durationMinutes,
        minParticipants: s.minParticipants,
        capacity: s.capacity,
        status: s.status,
        registrationOpensAt: s.registrationOpensAt,
        registrationClosesAt: view.registrationClosesAt,
        confirmed: view.seats.confirmed,
        held: view.seats.held,
        waitlisted: view.seats.waitlisted,
        available: view.seats.available,
        createdAt: s.createdAt,
        updatedAt: s.updatedAt,
        snapshot: JSON.stringify(view),
      });
    }
    const registrationIds = ids("registration");
    for (let i = 0; i < registrationIds.length; i += 90) {
      const found = this.db.select().from(t.registrations).where(inArray(t.registrations.id, registrationIds.slice(i, i + 90))).all();
      for (const r of found) {
        rows.registrations.push({
          id: r.id,
          sessionId: s.id,
          orgId: s.orgId,
          name: r.name,
          email: r.email,
          status: r.status,
          source: r.source,
          invitationId: r.invitationId,
          createdAt: r.createdAt,
          cancelledAt: r.cancelledAt,
        });
      }
    }
    const invitationIds = ids("invitation");
    for (let i = 0; i < invitationIds.length; i += 90) {
      const found = this.db.select().from(t.invitations).where(inArray(t.invitations.id, invitationIds.slice(i, i + 90))).all();
      for (const r of found) {
        rows.invitations.push({
          id: r.id,
          sessionId: s.id,
          orgId: s.orgId,
          email: r.email,
          name: r.name,
          status: r.status,
          delivery: r.delivery,
          holdSeat: r.holdSeat,
          sendAt: r.sendAt,
          sentAt: r.sentAt,
          expiresAt: r.expiresAt,
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
        });
      }
    }
    return rows;
  }

  // ─── inside transactions ─────────────────────────────────────────────────────────────────

  private now(): Date {
    return this.clock.now();
  }

  /** The session row, read once and kept until a write to it (every one goes through forgetSession). */
  private sessionRecord(): SessionRecord | undefined {
    this.session ??= this.db.select().from(t.session).get();
    return this.session;
  }

  private forgetSession(): void {
    this.session = undefined;
  }

  /** One synchronous storage transaction; a failure leaves no cached row that was rolled back. */
  private transaction<T>(body: () => T): T {
    try {
      return this.ctx.storage.transactionSync(body);
    } catch (error) {
      this.forgetSession();
      throw error;
    }
  }

  private counts(now: Date = this.now()): SeatCounts {
    const rows = this.db
      .select({ status: t.registrations.status, n: count() })
      .from(t.registrations)
      .groupBy(t.registrations.status)
      .all();
    const of = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
    const nowIso = now.toISOString();
    const held =
      this.db
        .select({ n: count() })
        .from(t.invitations)
        .where(
          and(
            eq(t.invitations.holdSeat, true),
            inArray(t.invitations.status, ["draft", "scheduled", "sent"]),
            or(isNull(t.invitations.expiresAt), gt(t.invitations.expiresAt, nowIso)),
          ),
        )
        .get()?.n ?? 0;
    return { confirmed: of("confirmed"), held, waitlisted: of("waitlisted") };
  }

  private currentView(): SessionView {
    const s = this.sessionRecord()!;
    const changes = this.db.select().from(t.capacityChanges).orderBy(asc(t.capacityChanges.id)).all();
    return sessionView(s, this.counts(), changes, this.now());
  }

  private liveRegistration(email: string): RegistrationRecord | undefined {
    return this.db
      .select()
      .from(t.registrations)
      .where(and(eq(t.registrations.emailKey, emailKey(email)), sql`${t.registrations.status} != 'cancelled'`))
      .get();
  }

  private insertRegistration(
    s: SessionRecord,
    r: Pick<RegistrationRecord, "name" | "email" | "status" | "source" | "answers" | "locale"> & {
      manage: DerivedToken;
      now: Date;
      invitationId?: string;
      discountCode?: string | null;
    },
  ): RegistrationRecord {
    const waitlistSeq =
      r.status === "waitlisted"
        ? (this.db.select({ max: sql<number>`coalesce(max(${t.registrations.waitlistSeq}), 0)` }).from(t.registrations).get()?.max ?? 0) + 1
        : null;
    const row: RegistrationRecord = {
      id: newChildId("reg", s.id),
      name: r.name,
      email: r.email.trim(),
      emailKey: emailKey(r.email),
      status: r.status,
      source: r.source,
      invitationId: r.invitationId ?? null,
      answers: r.answers,
      discountCode: r.discountCode ?? null,
      locale: r.locale,
      manageTokenHash: r.manage.secretHash,
      manageTokenSalt: r.manage.salt,
      waitlistSeq,
      createdAt: r.now.toISOString(),
      promotedAt: null,
      cancelledAt: null,
      cancelledBy: null,
    };
    this.db.insert(t.registrations).values(row).run();
    this.markDirty("registration", row.id);
    return row;
  }

  private registrationView(r: RegistrationRecord): RegistrationView {
    const position =
      r.status === "waitlisted"
        ? (this.db
            .select({ n: count() })
            .from(t.registrations)
            .where(and(eq(t.registrations.status, "waitlisted"), lte(t.registrations.waitlistSeq, r.waitlistSeq ?? 0)))
            .get()?.n ?? null)
        : null;
    return registrationView(this.sessionRecord()!.id, r, position);
  }

  /** Cancels one registration (a no-op when already cancelled) and fills the freed seat. */
  private cancelNow(r: RegistrationRecord, by: "participant" | "provider", now: Date): RegistrationRecord {
    if (r.status === "cancelled") return r;
    const cancelled = { ...r, status: "cancelled" as const, cancelledAt: now.toISOString(), cancelledBy: by };
    this.db.update(t.registrations).set(cancelled).where(eq(t.registrations.id, r.id)).run();
    this.markDirty("registration", r.id);
    this.markDirty("session", this.sessionRecord()!.id);
    this.promoteWaitlist(now);
    return cancelled;
  }

  /** Moves the first waitlisted registrations into every seat that is free, and tells them. */
  private promoteWaitlist(now: Date): void {
    const s = this.sessionRecord()!;
    if (s.status === "cancelled") return;
    const n = promotable(seatsOf(s, this.counts()));
    if (n === 0) return;
    const next = this.db
      .select()
      .from(t.registrations)
      .where(eq(t.registrations.status, "waitlisted"))
      .orderBy(asc(t.registrations.waitlistSeq))
      .limit(n)
      .all();
    for (const r of next) {
      this.db.update(t.registrations).set({ status: "confirmed", promotedAt: now.toISOString() }).where(eq(t.registrations.id, r.id)).run();
      this.mail("promoted", r, {});
      this.markDirty("registration", r.id);
    }
    this.markDirty("session", s.id);
  }

  private raiseCapacity(s: SessionRecord, by: number, actor: Actor, reason: string, now: Date): void {
    this.db.update(t.session).set({ capacity: s.capacity + by, updatedAt: now.toISOString() }).run();
    this.forgetSession();
    this.recordCapacity(s.capacity, s.capacity + by, actor, reason, now);
  }

  private recordCapacity(from: number, to: number, actor: Actor, reason: string, now: Date): void {
    this.db.insert(t.capacityChanges).values({ at: now.toISOString(), actor, from, to, reason }).run();
  }

  private refusal(
    code: "session_cancelled" | "registration_not_open" | "registration_closed" | "capacity_full",
    s: SessionRecord,
    requested = 1,
  ) {
    const seats = seatsOf(s, this.counts());
    switch (code) {
      case "session_cancelled":
        return fail(code, "This session has been cancelled.");
      case "registration_not_open":
        return fail(code, `Registration opens at ${s.registrationOpensAt}.`, { opensAt: s.registrationOpensAt });
      case "registration_closed":
        return fail(code, "Registration for this session is closed.");
      case "capacity_full":
        return fail(code, "There are not enough seats left.", { capacity: seats.capacity, available: seats.available, requested });
    }
  }

  private markDirty(kind: "session" | "registration" | "invitation", entityId: string): void {
    this.changed = true;
    this.db
      .insert(t.projectionOutbox)
      .values({ kind, entityId, version: 1 })
      .onConflictDoUpdate({
        target: [t.projectionOutbox.kind, t.projectionOutbox.entityId],
        set: { version: sql`${t.projectionOutbox.version} + 1` },
      })
      .run();
  }

  /** Records an email to send once this transaction commits. */
  private mail<K extends Exclude<MailTemplate, "sign_in">>(
    template: K,
    to: { email: string; name: string | null; locale: "en" | "fr" },
    extra: Omit<MailData[K], keyof SessionMailData>,
    invitationId?: string,
  ): void {
    const s = this.sessionRecord()!;
    const data: SessionMailData = {
      name: to.name,
      sessionTitle: s.title,
      startsAt: s.startsAt,
      durationMinutes: s.durationMinutes,
      timeZone: s.timeZone,
      baseUrl: s.baseUrl,
    };
    const message = {
      id: `msg_${randomSecret(12)}`,
      template,
      to: to.email,
      locale: to.locale,
      sessionId: s.id,
      invitationId,
      data: { ...data, ...extra },
    } as MailMessage<K>;
    this.db.insert(t.mailOutbox).values({ message, createdAt: this.now().toISOString() }).run();
  }
}

/** Idempotency records created at or before this instant are forgotten. */
function idempotencyCutoff(now: Date): string {
  return new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
}

function iso(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
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
