// The session ledger: one Durable Object per session, the single source of truth for its seats.
//
// Every mutation runs its checks and its writes inside one `transactionSync`, with no await in
// between: the object's input gate then guarantees that no other request sees a half-decided
// seat. Side effects (the D1 projection, emails) are recorded in outboxes inside the same
// transaction and drained afterwards, by `drain()` right after the commit and by the alarm when a
// drain fails.

import { DurableObject } from "cloudflare:workers";
import { and, asc, count, eq, inArray, lte, sql } from "drizzle-orm";
import { drizzle, type DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { MailData, MailMessage, MailTemplate, SessionMailData } from "../email/message";
import { fail, ok, type Outcome } from "../errors/problem";
import { newChildId, randomSecret, sha256Hex } from "../ids/ids";
import { emailKey } from "../recipients/address";
import type { ProviderRegistrationInput, PublicRegistrationInput, RegistrationView } from "../registrations/schemas";
import { sessionCoherence } from "../sessions/rules";
import type { CreateSessionInput, PublicSessionView, SessionView, UpdateSessionInput } from "../sessions/schemas";
import { decideProviderSeats, decidePublicSeat, promotable, seatsOf, taken, type SeatCounts } from "../sessions/seats";
import { systemClock, type Clock } from "../time/clock";
import migrations from "./migrations/migrations.js";
import { d1Projection, type ProjectionRows, type ProjectionWriter } from "./projection";
import * as t from "./schema";
import { publicSessionView, registrationView, sessionView, type RegistrationRecord, type SessionRecord } from "./views";

export type Actor = string; // "key:<id>", "member:<id>", "participant", "system"

export type RegistrationResult = {
  registration: RegistrationView;
  /** The secret of the registrant's own cancel link; only ever returned to them. */
  manageToken: string;
};

const DRAIN_BATCH = 500;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;

export class SessionLedger extends DurableObject<Env> {
  private readonly db: DrizzleSqliteDODatabase<typeof t>;
  /** Replaceable in tests: where time comes from, and where projection rows go. */
  clock: Clock = systemClock;
  projection: ProjectionWriter;
  private draining: Promise<void> | null = null;
  private drainFailures = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = drizzle(ctx.storage, { schema: t });
    this.projection = d1Projection(env.DB);
    void ctx.blockConcurrencyWhile(() => migrate(this.db, migrations));
  }

  // ─── sessions ────────────────────────────────────────────────────────────────────────────

  async create(input: CreateSessionInput & { id: string; orgId: string; baseUrl: string }): Promise<Outcome<SessionView>> {
    const now = this.now();
    const result = this.ctx.storage.transactionSync(() => {
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
    const result = this.ctx.storage.transactionSync(() => {
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
      this.promoteWaitlist(now);
      this.markDirty("session", s.id);
      return ok(this.currentView());
    });
    await this.drain();
    return result;
  }

  async cancel(orgId: string, actor: Actor): Promise<Outcome<SessionView>> {
    const now = this.now();
    const result = this.ctx.storage.transactionSync(() => {
      const s = this.sessionRecord();
      if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
      if (s.status === "cancelled") return ok(this.currentView()); // a retried cancel changes nothing
      this.db.update(t.session).set({ status: "cancelled", cancelledAt: now.toISOString(), updatedAt: now.toISOString() }).run();
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
    const manageToken = `${sessionId}.${randomSecret()}`;
    const manageTokenHash = await sha256Hex(manageToken);
    const now = this.now();

    const result = this.ctx.storage.transactionSync((): Outcome<RegistrationResult> => {
      if (idempotencyKey) {
        const seen = this.db.select().from(t.idempotency).where(eq(t.idempotency.key, idempotencyKey)).get();
        if (seen) {
          if (seen.requestHash !== requestHash) {
            return fail("idempotency_conflict", "This Idempotency-Key was already used with a different request.");
          }
          return seen.response as Outcome<RegistrationResult>;
        }
      }
      const outcome = this.registerNow(input, manageToken, manageTokenHash, now);
      // Refusals are remembered too: a retry must get the same answer, not a second try.
      if (idempotencyKey && requestHash) {
        this.db.insert(t.idempotency).values({ key: idempotencyKey, requestHash, response: outcome, createdAt: now.toISOString() }).run();
      }
      return outcome;
    });
    this.drainSoon();
    return result;
  }

  private registerNow(
    input: PublicRegistrationInput,
    manageToken: string,
    manageTokenHash: string,
    now: Date,
  ): Outcome<RegistrationResult> {
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
      manageTokenHash,
      now,
    });
    this.mail(waitlisted ? "waitlisted" : "registration_confirmed", registration, { manageToken });
    this.markDirty("session", s.id);
    return ok({ registration: this.registrationView(registration), manageToken });
  }

  /** The provider places a participant directly, raising the capacity only when told to. */
  async addParticipant(
    orgId: string,
    input: ProviderRegistrationInput,
    actor: Actor,
  ): Promise<Outcome<RegistrationView & { capacityRaisedBy: number }>> {
    const sessionId = this.sessionRecord()?.id;
    if (!sessionId) return fail("not_found", "No such session.");
    const manageToken = `${sessionId}.${randomSecret()}`;
    const manageTokenHash = await sha256Hex(manageToken);
    const now = this.now();
    const result = this.ctx.storage.transactionSync((): Outcome<RegistrationView & { capacityRaisedBy: number }> => {
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
        manageTokenHash,
        now,
      });
      this.mail("registration_confirmed", registration, { manageToken });
      this.markDirty("session", s.id);
      return ok({ ...this.registrationView(registration), capacityRaisedBy: decision.raiseBy });
    });
    this.drainSoon();
    return result;
  }

  /** The provider removes a participant (or takes someone off the waitlist). */
  async cancelRegistration(orgId: string, registrationId: string): Promise<Outcome<RegistrationView>> {
    const now = this.now();
    const result = this.ctx.storage.transactionSync(() => {
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
    const hash = await sha256Hex(token);
    const now = this.now();
    const result = this.ctx.storage.transactionSync(() => {
      const r = this.db.select().from(t.registrations).where(eq(t.registrations.manageTokenHash, hash)).get();
      if (!r || !this.sessionRecord()) return fail("not_found", "This link is not valid.");
      return ok(this.registrationView(this.cancelNow(r, "participant", now)));
    });
    this.drainSoon();
    return result;
  }

  /** Registrations of the session, confirmed first, then the waitlist in order, then cancelled. */
  roster(orgId: string): Outcome<{ session: SessionView; registrations: RegistrationView[] }> {
    const s = this.sessionRecord();
    if (!s || s.orgId !== orgId) return fail("not_found", "No such session.");
    const rows = this.db.select().from(t.registrations).orderBy(asc(t.registrations.createdAt), asc(t.registrations.id)).all();
    const order = { confirmed: 0, waitlisted: 1, cancelled: 2 } as const;
    let position = 0;
    const registrations = rows
      .sort((a, b) => order[a.status] - order[b.status] || (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0))
      .map((r) => registrationView(s.id, r, r.status === "waitlisted" ? ++position : null));
    return ok({ session: this.currentView(), registrations });
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
    const cutoff = new Date(this.now().getTime() - IDEMPOTENCY_TTL_MS).toISOString();
    this.db.delete(t.idempotency).where(lte(t.idempotency.createdAt, cutoff)).run();
    await this.drain();
  }

  private drainSoon(): void {
    this.ctx.waitUntil(this.drain());
  }

  private async drainOutboxes(): Promise<void> {
    try {
      // Rows that change while a batch is in flight are picked up by the next pass.
      for (;;) {
        const dirty = this.db.select().from(t.projectionOutbox).limit(DRAIN_BATCH).all();
        const mail = this.db.select().from(t.mailOutbox).orderBy(asc(t.mailOutbox.id)).limit(100).all();
        if (dirty.length === 0 && mail.length === 0) break;
        if (dirty.length) {
          await this.projection.write(this.projectionRows(dirty));
          this.ctx.storage.transactionSync(() => {
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
          await this.env.MAIL_QUEUE.sendBatch(mail.map((m) => ({ body: m.message as MailMessage, contentType: "json" })));
          this.db.delete(t.mailOutbox).where(inArray(t.mailOutbox.id, mail.map((m) => m.id))).run();
        }
      }
      this.drainFailures = 0;
    } catch (error) {
      // Nothing is lost: the rows stay in the outboxes and the alarm tries again, backing off.
      this.drainFailures++;
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (this.drainFailures - 1));
      console.warn(`ledger ${this.sessionRecord()?.id}: drain failed (attempt ${this.drainFailures}), retrying in ${delay} ms`, error);
      await this.ctx.storage.setAlarm(Date.now() + delay);
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
    return rows;
  }

  // ─── inside transactions ─────────────────────────────────────────────────────────────────

  private now(): Date {
    return this.clock.now();
  }

  private sessionRecord(): SessionRecord | undefined {
    return this.db.select().from(t.session).get();
  }

  private counts(): SeatCounts {
    const rows = this.db
      .select({ status: t.registrations.status, n: count() })
      .from(t.registrations)
      .groupBy(t.registrations.status)
      .all();
    const of = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
    return { confirmed: of("confirmed"), held: 0, waitlisted: of("waitlisted") };
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
    r: Pick<RegistrationRecord, "name" | "email" | "status" | "source" | "answers" | "locale" | "manageTokenHash"> & {
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
      manageTokenHash: r.manageTokenHash,
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
    to: Pick<RegistrationRecord, "email" | "name" | "locale">,
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
