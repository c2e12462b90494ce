// The ledger's reads and writes of its own SQLite tables, and the session row it keeps in memory.
//
// Every method is synchronous: the ledger calls them inside one `transactionSync`, so a check and
// the write it allows can never be split by another request. Writes that change what D1 or the
// live channel show mark the row dirty in the projection outbox; emails go to the mail outbox.

import { and, asc, count, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { type DrizzleSqliteDODatabase, drizzle } from "drizzle-orm/durable-sqlite";
import type { MailData, MailMessage, MailTemplate, SessionMailData } from "../email/message";
import { type DerivedToken, newChildId, randomSecret } from "../ids/ids";
import { effectiveStatus } from "../invitations/lifecycle";
import type { InvitationView } from "../invitations/schemas";
import { emailKey } from "../recipients/address";
import type { RegistrationView } from "../registrations/schemas";
import type { SessionView } from "../sessions/schemas";
import type { SeatCounts } from "../sessions/seats";
import * as t from "./schema";
import { type InvitationRecord, invitationView, type RegistrationRecord, registrationView, type SessionRecord, sessionView } from "./views";

export type Actor = string; // "key:<id>", "member:<id>", "participant", "system"

export type DirtyKind = "session" | "registration" | "invitation";

export type NewRegistration = Pick<RegistrationRecord, "name" | "email" | "status" | "source" | "answers" | "locale"> & {
  manage: DerivedToken;
  now: Date;
  invitationId?: string;
  discountCode?: string | null;
};

/** Ids per `in (…)` list, under SQLite's limit of bound parameters per statement. */
export const SQL_CHUNK = 90;

export class LedgerStore {
  readonly db: DrizzleSqliteDODatabase<typeof t>;
  /** Something was written since the last broadcast to the live channel. */
  private changed = false;
  private session: SessionRecord | undefined;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly now: () => Date,
  ) {
    this.db = drizzle(storage, { schema: t });
  }

  /** One synchronous storage transaction; a failure leaves no cached row that was rolled back. */
  transaction<T>(body: () => T): T {
    try {
      return this.storage.transactionSync(body);
    } catch (error) {
      this.forgetSession();
      throw error;
    }
  }

  /** Whether anything was marked dirty since the last call. */
  takeChanged(): boolean {
    const changed = this.changed;
    this.changed = false;
    return changed;
  }

  // ─── the session row ─────────────────────────────────────────────────────────────────────

  /** The session row, read once and kept until a write to it (every one goes through forgetSession). */
  sessionRecord(): SessionRecord | undefined {
    this.session ??= this.db.select().from(t.session).get();
    return this.session;
  }

  forgetSession(): void {
    this.session = undefined;
  }

  insertSession(row: typeof t.session.$inferInsert): void {
    this.db.insert(t.session).values(row).run();
    this.forgetSession();
  }

  updateSession(set: Partial<SessionRecord>): void {
    this.db.update(t.session).set(set).run();
    this.forgetSession();
  }

  counts(now: Date = this.now()): SeatCounts {
    const rows = this.db.select({ status: t.registrations.status, n: count() }).from(t.registrations).groupBy(t.registrations.status).all();
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

  currentView(): SessionView {
    const s = this.sessionRecord()!;
    const changes = this.db.select().from(t.capacityChanges).orderBy(asc(t.capacityChanges.id)).all();
    return sessionView(s, this.counts(), changes, this.now());
  }

  recordCapacity(from: number, to: number, actor: Actor, reason: string, now: Date): void {
    this.db.insert(t.capacityChanges).values({ at: now.toISOString(), actor, from, to, reason }).run();
  }

  // ─── registrations ───────────────────────────────────────────────────────────────────────

  registration(id: string): RegistrationRecord | undefined {
    return this.db.select().from(t.registrations).where(eq(t.registrations.id, id)).get();
  }

  registrationByManageHash(hash: string): RegistrationRecord | undefined {
    return this.db.select().from(t.registrations).where(eq(t.registrations.manageTokenHash, hash)).get();
  }

  manageTokenSalt(registrationId: string): string | undefined {
    return this.db
      .select({ salt: t.registrations.manageTokenSalt })
      .from(t.registrations)
      .where(eq(t.registrations.id, registrationId))
      .get()?.salt;
  }

  /** In order of creation. */
  registrations(): RegistrationRecord[] {
    return this.db.select().from(t.registrations).orderBy(asc(t.registrations.createdAt), asc(t.registrations.id)).all();
  }

  /** Everyone holding a seat or a place on the waitlist. */
  activeRegistrations(): RegistrationRecord[] {
    return this.db
      .select()
      .from(t.registrations)
      .where(inArray(t.registrations.status, ["confirmed", "waitlisted"]))
      .all();
  }

  /** The first `n` on the waitlist, in order. */
  waitlistHead(n: number): RegistrationRecord[] {
    return this.db
      .select()
      .from(t.registrations)
      .where(eq(t.registrations.status, "waitlisted"))
      .orderBy(asc(t.registrations.waitlistSeq))
      .limit(n)
      .all();
  }

  liveRegistration(email: string): RegistrationRecord | undefined {
    return this.db
      .select()
      .from(t.registrations)
      .where(and(eq(t.registrations.emailKey, emailKey(email)), sql`${t.registrations.status} != 'cancelled'`))
      .get();
  }

  insertRegistration(s: SessionRecord, r: NewRegistration): RegistrationRecord {
    const waitlistSeq =
      r.status === "waitlisted"
        ? (this.db
            .select({ max: sql<number>`coalesce(max(${t.registrations.waitlistSeq}), 0)` })
            .from(t.registrations)
            .get()?.max ?? 0) + 1
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

  updateRegistration(id: string, set: Partial<RegistrationRecord>): void {
    this.db.update(t.registrations).set(set).where(eq(t.registrations.id, id)).run();
  }

  registrationView(r: RegistrationRecord): RegistrationView {
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

  // ─── invitations ─────────────────────────────────────────────────────────────────────────

  invitation(id: string): InvitationRecord | undefined {
    return this.db.select().from(t.invitations).where(eq(t.invitations.id, id)).get();
  }

  invitationByTokenHash(hash: string): InvitationRecord | undefined {
    return this.db.select().from(t.invitations).where(eq(t.invitations.tokenHash, hash)).get();
  }

  /** In order of creation. */
  invitations(): InvitationRecord[] {
    return this.db.select().from(t.invitations).orderBy(asc(t.invitations.createdAt), asc(t.invitations.id)).all();
  }

  invitationsIn(ids: string[]): InvitationRecord[] {
    return this.db.select().from(t.invitations).where(inArray(t.invitations.id, ids)).all();
  }

  invitationsWithStatus(status: InvitationRecord["status"]): InvitationRecord[] {
    return this.db.select().from(t.invitations).where(eq(t.invitations.status, status)).all();
  }

  /** Scheduled invitations whose send time has come. */
  dueToSend(now: Date): InvitationRecord[] {
    return this.db
      .select()
      .from(t.invitations)
      .where(and(eq(t.invitations.status, "scheduled"), lte(t.invitations.sendAt, now.toISOString())))
      .all();
  }

  /** Unanswered invitations whose expiry has come. */
  dueToExpire(now: Date): InvitationRecord[] {
    return this.db
      .select()
      .from(t.invitations)
      .where(and(inArray(t.invitations.status, ["draft", "scheduled", "sent"]), lte(t.invitations.expiresAt, now.toISOString())))
      .all();
  }

  /** The earliest scheduled send and the earliest expiry still ahead of an unanswered invitation. */
  nextInvitationTimes(): { send: string | null; expiry: string | null } | undefined {
    return this.db
      .select({
        send: sql<string | null>`(select min(${t.invitations.sendAt}) from ${t.invitations} where ${t.invitations.status} = 'scheduled')`,
        expiry: sql<
          string | null
        >`(select min(${t.invitations.expiresAt}) from ${t.invitations} where ${t.invitations.status} in ('draft','scheduled','sent'))`,
      })
      .from(t.session)
      .get();
  }

  /** An invitation of this address that still counts: pending, or accepted. */
  liveInvitation(email: string, now: Date): InvitationRecord | undefined {
    return this.db
      .select()
      .from(t.invitations)
      .where(and(eq(t.invitations.emailKey, emailKey(email)), inArray(t.invitations.status, ["draft", "scheduled", "sent", "accepted"])))
      .all()
      .find((r) => r.status === "accepted" || effectiveStatus(r, now) !== "expired");
  }

  /** An invitation of this address still waiting for an answer. */
  pendingInvitation(email: string, now: Date): InvitationRecord | undefined {
    return this.db
      .select()
      .from(t.invitations)
      .where(and(eq(t.invitations.emailKey, emailKey(email)), inArray(t.invitations.status, ["draft", "scheduled", "sent"])))
      .all()
      .find((r) => effectiveStatus(r, now) !== "expired");
  }

  insertInvitation(row: InvitationRecord): void {
    this.db.insert(t.invitations).values(row).run();
  }

  updateInvitation(id: string, set: Partial<InvitationRecord>): void {
    this.db.update(t.invitations).set(set).where(eq(t.invitations.id, id)).run();
  }

  /** The delivery status of each of these invitations this ledger knows. */
  deliveries(ids: string[]): Map<string, string | null> {
    const current = new Map<string, string | null>();
    for (let i = 0; i < ids.length; i += SQL_CHUNK) {
      const rows = this.db
        .select({ id: t.invitations.id, delivery: t.invitations.delivery })
        .from(t.invitations)
        .where(inArray(t.invitations.id, ids.slice(i, i + SQL_CHUNK)))
        .all();
      for (const r of rows) current.set(r.id, r.delivery ?? null);
    }
    return current;
  }

  invitationView(r: InvitationRecord, now: Date): InvitationView {
    return invitationView(this.sessionRecord()!.id, r, effectiveStatus(r, now));
  }

  // ─── idempotency ─────────────────────────────────────────────────────────────────────────

  idempotencyRecord(key: string): typeof t.idempotency.$inferSelect | undefined {
    return this.db.select().from(t.idempotency).where(eq(t.idempotency.key, key)).get();
  }

  rememberAnswer(key: string, record: { requestHash: string; response: unknown; createdAt: string }): void {
    this.db
      .insert(t.idempotency)
      .values({ key, ...record })
      .onConflictDoUpdate({ target: t.idempotency.key, set: record })
      .run();
  }

  /** Forgets the answers given at or before `cutoff`. */
  forgetAnswers(cutoff: string): void {
    this.db.delete(t.idempotency).where(lte(t.idempotency.createdAt, cutoff)).run();
  }

  // ─── outboxes ────────────────────────────────────────────────────────────────────────────

  markDirty(kind: DirtyKind, entityId: string): void {
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
  mail<K extends Exclude<MailTemplate, "sign_in">>(
    template: K,
    to: { email: string; name: string | null; locale: "en" | "fr" },
    extra: Omit<MailData[K], keyof SessionMailData>,
    invitationId?: string,
  ): void {
    const message = sessionMail(this.sessionRecord()!, template, to, extra, invitationId);
    this.db.insert(t.mailOutbox).values({ message, createdAt: this.now().toISOString() }).run();
  }
}

/** One email about this session, with the session's details every template shows. */
function sessionMail<K extends Exclude<MailTemplate, "sign_in">>(
  s: SessionRecord,
  template: K,
  to: { email: string; name: string | null; locale: "en" | "fr" },
  extra: Omit<MailData[K], keyof SessionMailData>,
  invitationId: string | undefined,
): MailMessage<K> {
  const data: SessionMailData = {
    name: to.name,
    sessionTitle: s.title,
    startsAt: s.startsAt,
    durationMinutes: s.durationMinutes,
    timeZone: s.timeZone,
    baseUrl: s.baseUrl,
  };
  return {
    id: `msg_${randomSecret(12)}`,
    template,
    to: to.email,
    locale: to.locale,
    sessionId: s.id,
    invitationId,
    data: { ...data, ...extra },
  } as MailMessage<K>;
}
