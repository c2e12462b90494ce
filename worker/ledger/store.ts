// The ledger's reads and writes of its own SQLite tables, and the session row it keeps in memory.
//
// Every method is synchronous: the ledger calls them inside one `transactionSync`, so a check and
// the write it allows can never be split by another request. The store keeps two promises so that
// no caller has to remember them:
// - Counters. The session row carries the seat counts (confirmed, waitlisted, held); every write
//   of a registration or an invitation adjusts them by the domain's rules (`occupies`,
//   `holdsSeat`), and the session row is written once, when the transaction ends.
// - Staleness. Every write bumps the row's `version`; rows whose version is ahead of the one D1
//   last received are what the projection drain sends (see outbox.ts).

import { and, asc, count, eq, gt, inArray, isNotNull, lte, min, ne, sql } from "drizzle-orm";
import { type DrizzleSqliteDODatabase, drizzle } from "drizzle-orm/durable-sqlite";
import { calendarMethodFor, nextSequence } from "../email/calendar/sequence";
import type { MailData, MailMessage, MailTemplate, SessionMailData } from "../email/message";
import { answerLines } from "../forms/display";
import type { FormField, FormView } from "../forms/schema";
import type { Locale } from "../i18n/locales";
import { randomSecret } from "../ids/ids";
import { countsAsInvited, effectiveStatus, eventOf, holdsSeat } from "../invitations/lifecycle";
import type { InvitationView } from "../invitations/schemas";
import { type InvitationEvent, isPending, PENDING_INVITATION_STATUSES } from "../invitations/statuses";
import { emailKey } from "../recipients/address";
import { type CodeFailures, greetingName, occupies } from "../registrations/decide";
import type { RegistrationView } from "../registrations/schemas";
import { HOLDING_REGISTRATION_STATUSES, type RegistrationSource, WAITING_REGISTRATION_STATUSES } from "../registrations/statuses";
import type { SessionView } from "../sessions/schemas";
import type { SeatCounts } from "../sessions/seats";
import {
  invitationData,
  invitationEventType,
  newEventId,
  paymentData,
  registrationData,
  registrationEventType,
  sessionData,
  sessionEventType,
  type WebhookEventType,
} from "../webhooks/events";
import { type Exec, PreparedWrites, reusedStatements } from "./prepared";
import * as t from "./schema";
import { type InvitationRecord, invitationView, type RegistrationRecord, registrationView, type SessionRecord, sessionView } from "./views";

export type Actor = string; // "key:<id>", "member:<id>", "participant", "system"

/** Ids per `in (…)` list, under SQLite's limit of bound parameters per statement. */
export const SQL_CHUNK = 90;
/** History rows per insert: three bound values each, under the same limit. */
const EVENT_ROWS_PER_INSERT = 30;

type NewRow<R> = Omit<R, "version" | "projectedVersion">;
type NewRegistrationRow = Omit<NewRow<RegistrationRecord>, "waitlistSeq">;

export class LedgerStore {
  readonly db: DrizzleSqliteDODatabase<typeof t>;
  /** SQL statements run so far, and the last few (tests hold the hot paths to a budget with them). */
  statements = 0;
  readonly recentStatements: string[] = [];
  /** The session row as this transaction sees it; written back once when the transaction ends. */
  private session: SessionRecord | undefined;
  /** The columns of the session row this transaction changed (all a hot transaction changes is a few counters). */
  private sessionPatch: Partial<SessionRecord> | null = null;
  /** The earliest expiry among pending invitations: undefined when not known, null when none. */
  private nextExpiry: string | null | undefined;
  /** The same for registrations awaiting their email confirmation. */
  private nextHoldExpiry: string | null | undefined;
  /** Something was written since the last broadcast to the live channel. */
  private changed = false;
  /** Whether the ledger's tables exist (undefined until looked up): see `created()`. */
  private tables: boolean | undefined;
  /** History events of this transaction's invitation writes, inserted together when it ends. */
  private events: (typeof t.invitationEvents.$inferInsert)[] = [];
  /** Webhook events of this transaction's writes, inserted into the event outbox when it ends. */
  private outgoing: (typeof t.eventOutbox.$inferInsert)[] = [];
  /** The session row as it was before this transaction first changed it (what session events compare). */
  private sessionBefore: SessionRecord | undefined;
  /**
   * Per client key, its registrations that wait without a confirmed seat (what the per-client cap
   * counts): counted in SQL once, then kept by every registration write, so a registration that
   * checks the cap reads no row for it. Undefined until first needed, and again after a rollback.
   */
  private waitingByClient: Map<string, number> | undefined;
  /** The hot single-row writes (a registration's), their SQL built once: see prepared.ts. */
  private readonly prepared: PreparedWrites;
  /** The drain's statements (and the session view's read), built at first use: see prepared.ts. */
  private reusable: ReturnType<typeof reusedStatements> | undefined;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly now: () => Date,
  ) {
    // drizzle reaches storage through `sql.exec` and `transactionSync` only: counting the first
    // counts every statement the ledger runs.
    const sql = storage.sql;
    const exec: Exec = (query, ...bindings) => {
      this.statements++;
      this.recentStatements.push(query);
      if (this.recentStatements.length > 20) this.recentStatements.shift();
      return sql.exec(query, ...bindings);
    };
    const counted = {
      sql: { exec },
      transactionSync: <T>(body: () => T) => storage.transactionSync(body),
    } as unknown as DurableObjectStorage;
    this.db = drizzle(counted, { schema: t });
    this.prepared = new PreparedWrites(this.db, exec);
  }

  /**
   * One synchronous storage transaction. The session row changed in it is written once at the end;
   * a failure rolls everything back and forgets what was cached, so nothing rolled back survives.
   */
  transaction<T>(body: () => T): T {
    try {
      return this.storage.transactionSync(() => {
        const result = body();
        this.writeEvents();
        this.writeSession();
        this.writeOutgoing();
        return result;
      });
    } catch (error) {
      this.session = undefined;
      this.sessionPatch = null;
      this.nextExpiry = undefined;
      this.nextHoldExpiry = undefined;
      this.events = [];
      this.outgoing = [];
      this.sessionBefore = undefined;
      this.waitingByClient = undefined;
      throw error;
    }
  }

  /** Whether anything was written since the last call. */
  takeChanged(): boolean {
    const changed = this.changed;
    this.changed = false;
    return changed;
  }

  // ─── the session row ─────────────────────────────────────────────────────────────────────

  /**
   * Whether this ledger was ever created. A session id nobody created still locates a ledger; it
   * must stay as it is (no table, no row: nothing stored), so nothing reads a table it lacks.
   * Looked up once, from SQLite's own catalogue, which a read does not create.
   */
  created(): boolean {
    this.tables ??= this.storage.sql.exec("select 1 from sqlite_master where type = 'table' and name = 'session'").toArray().length > 0;
    return this.tables;
  }

  /** The tables now exist (the ledger's migrations ran in `create()`). */
  markCreated(): void {
    this.tables = true;
  }

  sessionRecord(): SessionRecord | undefined {
    if (!this.created()) return undefined;
    this.session ??= this.db.select().from(t.session).get();
    return this.session;
  }

  counts(): SeatCounts {
    const s = this.sessionRecord();
    return { confirmed: s?.confirmedCount ?? 0, held: s?.heldCount ?? 0, waitlisted: s?.waitlistedCount ?? 0 };
  }

  insertSession(row: NewRow<typeof t.session.$inferInsert>): void {
    this.db.insert(t.session).values(row).run();
    this.session = undefined;
    this.changed = true;
    this.announce("session.created", { ...row, cancelledAt: row.cancelledAt ?? null } as SessionRecord);
  }

  /** Changes the session row; the change is written when the transaction ends. */
  patchSession(set: Partial<SessionRecord>): void {
    const s = this.sessionRecord();
    if (!s) throw new Error("no session in this ledger");
    if (!this.sessionPatch) this.sessionBefore ??= s;
    this.session = { ...s, ...set };
    this.sessionPatch = { ...this.sessionPatch, ...set };
  }

  /** Writes the columns the transaction changed, and the row's next version. */
  private writeSession(): void {
    if (!this.sessionPatch || !this.session) return;
    const { id: _id, ...patch } = this.sessionPatch;
    this.session = { ...this.session, version: this.session.version + 1 };
    this.prepared.updateAll(t.session, { ...patch, version: this.session.version });
    this.sessionPatch = null;
    this.changed = true;
    const before = this.sessionBefore;
    this.sessionBefore = undefined;
    const type = before ? sessionEventType(before, this.session) : null;
    if (type) this.announce(type, this.session);
  }

  /** Records a webhook event about the session, a registration or an invitation; written when the transaction ends. */
  private announce(type: WebhookEventType | null, row: SessionRecord | RegistrationRecord | InvitationRecord): void {
    if (!type) return;
    const sessionId = this.sessionRecord()?.id ?? (row as SessionRecord).id;
    const data = type.startsWith("session.")
      ? sessionData(row as SessionRecord)
      : type.startsWith("registration.")
        ? registrationData(sessionId, row as RegistrationRecord)
        : type.startsWith("payment.")
          ? paymentData(sessionId, row as RegistrationRecord)
          : invitationData(sessionId, row as InvitationRecord);
    this.outgoing.push({ eventId: newEventId(), type, data, createdAt: this.now().toISOString() });
  }

  /** The transaction's webhook events, in the order they happened (the outbox id orders them). */
  private writeOutgoing(): void {
    const [only, ...more] = this.outgoing;
    if (only && more.length === 0) {
      this.prepared.insert(t.eventOutbox, only);
    } else {
      for (let i = 0; i < this.outgoing.length; i += EVENT_ROWS_PER_INSERT / 2) {
        this.db
          .insert(t.eventOutbox)
          .values(this.outgoing.slice(i, i + EVENT_ROWS_PER_INSERT / 2))
          .run();
      }
    }
    this.outgoing = [];
  }

  private count(delta: SeatCounts & { pending: number; unconfirmed: number }): void {
    if (Object.values(delta).every((d) => d === 0)) return;
    const s = this.sessionRecord();
    if (!s) return;
    this.patchSession({
      confirmedCount: s.confirmedCount + delta.confirmed,
      waitlistedCount: s.waitlistedCount + delta.waitlisted,
      heldCount: s.heldCount + delta.held,
      pendingInvitationCount: s.pendingInvitationCount + delta.pending,
      unconfirmedCount: s.unconfirmedCount + delta.unconfirmed,
    });
  }

  /** Every version of the registration form, oldest first. */
  formVersions(): FormView[] {
    if (this.sessionRecord()?.formVersion == null) return [];
    return this.db
      .select()
      .from(t.formVersions)
      .orderBy(asc(t.formVersions.version))
      .all()
      .map((v) => ({ version: v.version, fields: v.fields }));
  }

  /** The fields of one version of the form (none for an unknown version). */
  formFields(version: number | null): FormField[] {
    if (version === null) return [];
    return this.db.select().from(t.formVersions).where(eq(t.formVersions.version, version)).get()?.fields ?? [];
  }

  /**
   * Makes `fields` the session's form: a new version when they differ from the current one
   * (versions are never rewritten, so answers keep the questions they answered). Null or no fields
   * removes the form; its versions stay.
   */
  saveForm(fields: FormField[] | null, now: Date): void {
    const s = this.sessionRecord()!;
    const next = fields?.length ? fields : null;
    if (JSON.stringify(next) === JSON.stringify(s.form ?? null)) return;
    if (!next) {
      this.patchSession({ form: null });
      return;
    }
    const version = (s.formVersion ?? 0) + 1;
    this.db.insert(t.formVersions).values({ version, fields: next, createdAt: now.toISOString() }).run();
    this.patchSession({ form: next, formVersion: version });
  }

  /** A registration's answers as question → answer lines in its registrant's language (its emails). */
  answerLines(r: RegistrationRecord): { label: string; value: string }[] {
    return answerLines(this.formFields(r.formVersion), r.answers, r.locale);
  }

  sessionView(now: Date): SessionView {
    const changes = this.reused().capacityChanges.all();
    return sessionView(this.sessionRecord()!, this.counts(), changes, now);
  }

  recordCapacity(from: number, to: number, actor: Actor, reason: string, now: Date): void {
    this.db.insert(t.capacityChanges).values({ at: now.toISOString(), actor, from, to, reason }).run();
  }

  /** The session row's D1 copy now has this version (not a change of the session itself). */
  markSessionProjected(version: number): void {
    this.db.update(t.session).set({ projectedVersion: version }).run();
    if (this.session) this.session = { ...this.session, projectedVersion: version };
  }

  // ─── registrations ───────────────────────────────────────────────────────────────────────

  registration(id: string): RegistrationRecord | undefined {
    return this.db.select().from(t.registrations).where(eq(t.registrations.id, id)).get();
  }

  registrationByManageHash(hash: string): RegistrationRecord | undefined {
    return this.db.select().from(t.registrations).where(eq(t.registrations.manageTokenHash, hash)).get();
  }

  registrationByConfirmHash(hash: string): RegistrationRecord | undefined {
    return this.db.select().from(t.registrations).where(eq(t.registrations.confirmTokenHash, hash)).get();
  }

  /**
   * Registrations whose hold lapsed unconfirmed. Costs no statement while none awaits confirmation
   * or the earliest lapse is known to lie ahead, which keeps a registration's transaction short.
   */
  lapsedHolds(now: Date): RegistrationRecord[] {
    if (this.sessionRecord()?.unconfirmedCount === 0) return [];
    const next = this.earliestHoldExpiry();
    if (next === null || next > now.toISOString()) return [];
    return this.db
      .select()
      .from(t.registrations)
      .where(and(inArray(t.registrations.status, HOLDING_REGISTRATION_STATUSES), lte(t.registrations.confirmExpiresAt, now.toISOString())))
      .all();
  }

  /** When the earliest hold awaiting confirmation lapses (cached until such a registration is written). */
  earliestHoldExpiry(): string | null {
    if (this.sessionRecord()?.unconfirmedCount === 0) return null;
    if (this.nextHoldExpiry === undefined) {
      this.nextHoldExpiry =
        this.db
          .select({ at: min(t.registrations.confirmExpiresAt) })
          .from(t.registrations)
          .where(inArray(t.registrations.status, HOLDING_REGISTRATION_STATUSES))
          .get()?.at ?? null;
    }
    return this.nextHoldExpiry;
  }

  /** In order of creation. */
  registrations(): RegistrationRecord[] {
    return this.db.select().from(t.registrations).orderBy(asc(t.registrations.createdAt), asc(t.registrations.id)).all();
  }

  /** Everyone holding a seat or a place on the waitlist. */
  activeRegistrations(): RegistrationRecord[] {
    return this.db.select().from(t.registrations).where(ne(t.registrations.status, "cancelled")).all();
  }

  /** The first `n` on the waitlist, in order. */
  waitlistHead(n: number): RegistrationRecord[] {
    if (n <= 0) return [];
    return this.db
      .select()
      .from(t.registrations)
      .where(eq(t.registrations.status, "waitlisted"))
      .orderBy(asc(t.registrations.waitlistSeq))
      .limit(n)
      .all();
  }

  /** The registration of this address that still holds a seat or a place on the waitlist. */
  liveRegistration(email: string): RegistrationRecord | undefined {
    return this.db
      .select()
      .from(t.registrations)
      .where(and(eq(t.registrations.emailKey, emailKey(email)), ne(t.registrations.status, "cancelled")))
      .get();
  }

  /** Registrations of this client that wait without a confirmed seat. */
  waitingFromClient(clientKey: string): number {
    this.waitingByClient ??= new Map(
      this.db
        .select({ clientKey: t.registrations.clientKey, n: count() })
        .from(t.registrations)
        .where(and(isNotNull(t.registrations.clientKey), inArray(t.registrations.status, WAITING_REGISTRATION_STATUSES)))
        .groupBy(t.registrations.clientKey)
        .all()
        .map((r) => [r.clientKey!, r.n]),
    );
    return this.waitingByClient.get(clientKey) ?? 0;
  }

  /** Keeps the per-client waiting counts, once loaded, in step with a registration's write. */
  private countWaiting(before: RegistrationRecord | undefined, next: RegistrationRecord): void {
    const counts = this.waitingByClient;
    if (!counts) return;
    const add = (r: RegistrationRecord | undefined, by: number) => {
      if (!r?.clientKey || !WAITING.has(r.status)) return;
      const n = (counts.get(r.clientKey) ?? 0) + by;
      if (n > 0) counts.set(r.clientKey, n);
      else counts.delete(r.clientKey);
    };
    add(before, -1);
    add(next, 1);
  }

  /** Which of these addresses (email keys) hold a live registration. */
  liveRegistrationKeys(keys: string[]): Set<string> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += SQL_CHUNK) {
      const rows = this.db
        .select({ key: t.registrations.emailKey })
        .from(t.registrations)
        .where(and(inArray(t.registrations.emailKey, keys.slice(i, i + SQL_CHUNK)), ne(t.registrations.status, "cancelled")))
        .all();
      for (const r of rows) found.add(r.key);
    }
    return found;
  }

  /**
   * Inserts a registration; a waitlisted one takes the next place in line, and so does one
   * awaiting confirmation for the waitlist (`queued`). With `unlessLive`, an address that already
   * holds a live registration gets none and the answer is undefined, nothing written: the unique
   * index on live addresses is the check, so a public registration looks nothing up first.
   */
  insertRegistration(row: NewRegistrationRow, queued?: boolean): RegistrationRecord;
  insertRegistration(row: NewRegistrationRow, queued: boolean, options: { unlessLive: true }): RegistrationRecord | undefined;
  insertRegistration(
    row: NewRegistrationRow,
    queued = row.status === "waitlisted",
    { unlessLive = false }: { unlessLive?: boolean } = {},
  ): RegistrationRecord | undefined {
    const s = this.sessionRecord()!;
    const waitlistSeq = queued ? s.lastWaitlistSeq + 1 : null;
    const record: RegistrationRecord = { ...row, waitlistSeq, version: 1, projectedVersion: 0 };
    if (unlessLive) {
      // Any unique index may refuse the row (drizzle cannot name a partial index as the target);
      // the id and token hashes are random, so a refusal is the live address, looked up to be sure.
      if (!this.prepared.insertUnlessConflict(t.registrations, record)) {
        if (this.liveRegistration(record.email)) return undefined;
        throw new Error(`registration ${record.id} collides with a stored one`);
      }
    } else {
      this.prepared.insert(t.registrations, record);
    }
    if (waitlistSeq !== null) this.patchSession({ lastWaitlistSeq: waitlistSeq });
    this.count(registrationDelta(undefined, record));
    this.countWaiting(undefined, record);
    this.announce(registrationEventType(undefined, record), record);
    if (holding(record) && record.confirmExpiresAt && this.nextHoldExpiry !== undefined) {
      const next = this.nextHoldExpiry;
      this.nextHoldExpiry = next === null || record.confirmExpiresAt < next ? record.confirmExpiresAt : next;
    }
    this.changed = true;
    return record;
  }

  /** Writes `next` over `before` (the row as read in this transaction). */
  updateRegistration(before: RegistrationRecord, next: RegistrationRecord): RegistrationRecord {
    const { id, version: _v, projectedVersion: _p, ...set } = next;
    this.db
      .update(t.registrations)
      .set({ ...set, version: sql`${t.registrations.version} + 1` })
      .where(eq(t.registrations.id, id))
      .run();
    this.count(registrationDelta(before, next));
    this.countWaiting(before, next);
    this.announce(registrationEventType(before, next), next);
    // A refund now due is a refund to make (payments/refunds.ts), queued with this change.
    if (before.refundDueAt === null && next.refundDueAt !== null)
      this.db.insert(t.refundOutbox).values({ registrationId: id, createdAt: this.now().toISOString() }).onConflictDoNothing().run();
    // A hold that ends, or one that begins (a waitlisted person taking an invitation's seat to pay
    // for it), changes when the earliest hold lapses: looked up again when next asked.
    if (holding(before) || holding(next)) this.nextHoldExpiry = undefined;
    this.changed = true;
    return { ...next, version: before.version + 1 };
  }

  /** Place in line of a waitlisted registration (1 = next to be promoted). */
  waitlistPosition(r: RegistrationRecord): number | null {
    if (r.status !== "waitlisted" || r.waitlistSeq === null) return null;
    const s = this.sessionRecord()!;
    // The last one in line needs no count: its place is the length of the line.
    if (r.waitlistSeq === s.lastWaitlistSeq) return s.waitlistedCount;
    return (
      this.db
        .select({ n: count() })
        .from(t.registrations)
        .where(and(eq(t.registrations.status, "waitlisted"), lte(t.registrations.waitlistSeq, r.waitlistSeq)))
        .get()?.n ?? null
    );
  }

  registrationView(r: RegistrationRecord): RegistrationView {
    return registrationView(this.sessionRecord()!.id, r, this.waitlistPosition(r));
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
    const rows: InvitationRecord[] = [];
    for (let i = 0; i < ids.length; i += SQL_CHUNK) {
      rows.push(
        ...this.db
          .select()
          .from(t.invitations)
          .where(inArray(t.invitations.id, ids.slice(i, i + SQL_CHUNK)))
          .all(),
      );
    }
    return rows;
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

  /**
   * Pending invitations whose expiry has come. Costs no statement while the earliest expiry is
   * known to lie ahead, which is what keeps a registration's transaction short.
   */
  dueToExpire(now: Date): InvitationRecord[] {
    if (this.sessionRecord()?.pendingInvitationCount === 0) return [];
    const next = this.earliestExpiry();
    if (next === null || next > now.toISOString()) return [];
    return this.db
      .select()
      .from(t.invitations)
      .where(and(inArray(t.invitations.status, PENDING_INVITATION_STATUSES), lte(t.invitations.expiresAt, now.toISOString())))
      .all();
  }

  /** The earliest expiry among pending invitations (cached until an invitation is written). */
  earliestExpiry(): string | null {
    if (this.nextExpiry === undefined) {
      this.nextExpiry =
        this.db
          .select({ at: min(t.invitations.expiresAt) })
          .from(t.invitations)
          .where(inArray(t.invitations.status, PENDING_INVITATION_STATUSES))
          .get()?.at ?? null;
    }
    return this.nextExpiry;
  }

  /** The earliest scheduled send still ahead. */
  nextScheduledSend(): string | null {
    return (
      this.db
        .select({ at: min(t.invitations.sendAt) })
        .from(t.invitations)
        .where(eq(t.invitations.status, "scheduled"))
        .get()?.at ?? null
    );
  }

  /** Which of these addresses (email keys) count as already invited at `now`. */
  invitedKeys(keys: string[], now: Date): Set<string> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += SQL_CHUNK) {
      const rows = this.db
        .select({ key: t.invitations.emailKey, status: t.invitations.status, expiresAt: t.invitations.expiresAt })
        .from(t.invitations)
        .where(
          and(
            inArray(t.invitations.emailKey, keys.slice(i, i + SQL_CHUNK)),
            inArray(t.invitations.status, [...PENDING_INVITATION_STATUSES, "accepted"]),
          ),
        )
        .all();
      for (const r of rows) if (countsAsInvited(r, now)) found.add(r.key);
    }
    return found;
  }

  /** An invitation of this address still waiting for an answer (none costs no statement). */
  pendingInvitation(email: string, now: Date): InvitationRecord | undefined {
    if (this.sessionRecord()?.pendingInvitationCount === 0) return undefined;
    return this.db
      .select()
      .from(t.invitations)
      .where(and(eq(t.invitations.emailKey, emailKey(email)), inArray(t.invitations.status, PENDING_INVITATION_STATUSES)))
      .all()
      .find((r) => effectiveStatus(r, now) !== "expired");
  }

  insertInvitation(row: NewRow<InvitationRecord>): InvitationRecord {
    const record: InvitationRecord = { ...row, version: 1, projectedVersion: 0 };
    this.db.insert(t.invitations).values(record).run();
    this.recordEvent(undefined, record);
    this.announce(invitationEventType(undefined, record), record);
    this.count(invitationDelta(undefined, record));
    if (isPending(record.status) && record.expiresAt && this.nextExpiry !== undefined) {
      this.nextExpiry = this.nextExpiry === null || record.expiresAt < this.nextExpiry ? record.expiresAt : this.nextExpiry;
    }
    this.changed = true;
    return record;
  }

  /** Writes `next` over `before` (the row as read in this transaction). */
  updateInvitation(before: InvitationRecord, next: InvitationRecord): InvitationRecord {
    const { id, version: _v, projectedVersion: _p, ...set } = next;
    this.db
      .update(t.invitations)
      .set({ ...set, version: sql`${t.invitations.version} + 1` })
      .where(eq(t.invitations.id, id))
      .run();
    this.count(invitationDelta(before, next));
    this.recordEvent(before, next);
    this.announce(invitationEventType(before, next), next);
    if (before.status !== next.status || before.expiresAt !== next.expiresAt) this.nextExpiry = undefined;
    this.changed = true;
    return { ...next, version: before.version + 1 };
  }

  /** The invitations with these ids that this ledger knows, by id. */
  invitationsById(ids: string[]): Map<string, InvitationRecord> {
    return new Map(this.invitationsIn(ids).map((r) => [r.id, r]));
  }

  /** An invitation's history, oldest first. */
  invitationHistory(id: string): { at: string; event: InvitationEvent }[] {
    return this.db
      .select({ at: t.invitationEvents.at, event: t.invitationEvents.event })
      .from(t.invitationEvents)
      .where(eq(t.invitationEvents.invitationId, id))
      .orderBy(asc(t.invitationEvents.id))
      .all();
  }

  private recordEvent(before: InvitationRecord | undefined, after: InvitationRecord): void {
    const event = eventOf(before, after);
    if (event) this.events.push({ invitationId: after.id, at: after.updatedAt, event });
  }

  /** The transaction's history events, a few rows per statement (SQLite's limit on bound parameters). */
  private writeEvents(): void {
    for (let i = 0; i < this.events.length; i += EVENT_ROWS_PER_INSERT) {
      this.db
        .insert(t.invitationEvents)
        .values(this.events.slice(i, i + EVENT_ROWS_PER_INSERT))
        .run();
    }
    this.events = [];
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

  // ─── wrong registration codes ────────────────────────────────────────────────────────────

  /** The counters of wrong codes kept under these keys, by key. */
  codeFailures(keys: string[]): Map<string, CodeFailures> {
    const rows = this.db.select().from(t.codeFailures).where(inArray(t.codeFailures.key, keys)).all();
    return new Map(rows.map(({ key, ...counter }) => [key, counter]));
  }

  saveCodeFailures(key: string, counter: CodeFailures): void {
    this.db
      .insert(t.codeFailures)
      .values({ key, ...counter })
      .onConflictDoUpdate({ target: t.codeFailures.key, set: counter })
      .run();
  }

  // ─── mail outbox ─────────────────────────────────────────────────────────────────────────

  /**
   * Records an email to send once this transaction commits. `to` is the row the email is about (a
   * registration or an invitation): its name greets the recipient only where greetingName allows.
   * With `manageSalt`, the registrant's manage token is derived from it into the message before it
   * leaves (see MailMessage). Nothing is sent to a person whose data was erased.
   */
  mail<K extends Exclude<MailTemplate, "sign_in" | "program_invitation">>(
    template: K,
    to: {
      email: string;
      name: string | null;
      locale: Locale;
      source?: RegistrationSource;
      emailConfirmedAt?: string | null;
      erasedAt?: string | null;
    },
    extra: Omit<MailData[K], keyof SessionMailData>,
    invitationId?: string,
    manageSalt?: string,
  ): void {
    if (to.erasedAt) return;
    const recipient = { email: to.email, name: greetingName(to), locale: to.locale };
    const session = this.sessionRecord()!;
    // A host's own seat is confirmed as theirs to host (email/templates/registration.ts).
    const hosting = template === "registration_confirmed" && to.source === "host" ? { host: true } : {};
    const message = sessionMail(session, template, recipient, { ...extra, ...hosting }, invitationId);
    if (manageSalt) message.manageSalt = manageSalt;
    // Each calendar file takes the session's next SEQUENCE, kept in this same transaction.
    if (calendarMethodFor(template, extra as { hadSeat?: boolean })) {
      const sequence = nextSequence(session.calendarSequence, this.now());
      this.patchSession({ calendarSequence: sequence });
      (message.data as SessionMailData).calendarSequence = sequence;
    }
    this.prepared.insert(t.mailOutbox, { message, createdAt: this.now().toISOString() });
  }

  /** The first `limit` emails waiting in the outbox, oldest first. */
  outboxMail(limit: number): (typeof t.mailOutbox.$inferSelect)[] {
    return this.reused().outboxMail.all({ limit });
  }

  /** These emails reached the mail queue. */
  deleteOutboxMail(ids: number[]): void {
    if (ids.length) this.reused().deleteOutboxMail.run({ ids: JSON.stringify(ids) });
  }

  /** Queues a whole message again (a re-driven dead letter). */
  requeueMail(message: MailMessage, now: Date): void {
    this.db.insert(t.mailOutbox).values({ message, createdAt: now.toISOString() }).run();
  }

  /** Keeps a dead email (once per message id). */
  keepDeadMail(message: MailMessage, reason: string, at: string): void {
    this.db.insert(t.mailDead).values({ messageId: message.id, message, reason, failedAt: at }).onConflictDoNothing().run();
  }

  deadMail(): (typeof t.mailDead.$inferSelect)[] {
    return this.db.select().from(t.mailDead).orderBy(asc(t.mailDead.id)).all();
  }

  forgetDeadMail(ids: number[]): void {
    for (let i = 0; i < ids.length; i += SQL_CHUNK)
      this.db
        .delete(t.mailDead)
        .where(inArray(t.mailDead.id, ids.slice(i, i + SQL_CHUNK)))
        .run();
  }

  /** Emails waiting in the outbox since before `before`, and dead emails. */
  mailCounts(before: Date): { waiting: number; failed: number } {
    const waiting =
      this.db.select({ n: count() }).from(t.mailOutbox).where(lte(t.mailOutbox.createdAt, before.toISOString())).get()?.n ?? 0;
    const failed = this.db.select({ n: count() }).from(t.mailDead).get()?.n ?? 0;
    return { waiting, failed };
  }

  /** Forgets the emails not yet handed to the queue that go to one of these addresses (as stored). */
  forgetMailTo(addresses: string[]): number {
    let forgotten = 0;
    for (let i = 0; i < addresses.length; i += SQL_CHUNK) {
      const to = sql`json_extract(${t.mailOutbox.message}, '$.to')`;
      forgotten += this.db
        .delete(t.mailOutbox)
        .where(inArray(to, addresses.slice(i, i + SQL_CHUNK)))
        .returning({ id: t.mailOutbox.id })
        .all().length;
    }
    return forgotten;
  }

  // ─── webhook event outbox ────────────────────────────────────────────────────────────────

  /** The first `limit` webhook events waiting in the outbox, oldest first. */
  outboxEvents(limit: number): (typeof t.eventOutbox.$inferSelect)[] {
    return this.reused().outboxEvents.all({ limit });
  }

  /** These events reached the webhook queue. */
  deleteOutboxEvents(ids: number[]): void {
    if (ids.length) this.reused().deleteOutboxEvents.run({ ids: JSON.stringify(ids) });
  }

  /** Refunds due, not yet handed to the refunds queue. */
  outboxRefunds(limit: number): (typeof t.refundOutbox.$inferSelect)[] {
    return this.reused().outboxRefunds.all({ limit });
  }

  /** These refunds reached the refunds queue. */
  deleteOutboxRefunds(ids: string[]): void {
    if (ids.length) this.reused().deleteOutboxRefunds.run({ ids: JSON.stringify(ids) });
  }

  // ─── privacy ─────────────────────────────────────────────────────────────────────────────

  /** Every registration of this address (email key), whatever its status. */
  registrationsWithKey(key: string): RegistrationRecord[] {
    return this.db.select().from(t.registrations).where(eq(t.registrations.emailKey, key)).orderBy(asc(t.registrations.createdAt)).all();
  }

  /** Every invitation of this address (email key), whatever its status. */
  invitationsWithKey(key: string): InvitationRecord[] {
    return this.db.select().from(t.invitations).where(eq(t.invitations.emailKey, key)).orderBy(asc(t.invitations.createdAt)).all();
  }

  /** Forgets the answers kept for retried requests that registered one of these registrations (they hold the person's name and address). */
  forgetAnswersAbout(registrationIds: string[]): void {
    for (let i = 0; i < registrationIds.length; i += SQL_CHUNK) {
      const id = sql`json_extract(${t.idempotency.response}, '$.value.registration.id')`;
      this.db
        .delete(t.idempotency)
        .where(inArray(id, registrationIds.slice(i, i + SQL_CHUNK)))
        .run();
    }
  }

  // ─── what D1 has not seen ────────────────────────────────────────────────────────────────

  staleRegistrations(limit: number): RegistrationRecord[] {
    return this.reused().staleRegistrations.all({ limit });
  }

  staleInvitations(limit: number): InvitationRecord[] {
    return this.reused().staleInvitations.all({ limit });
  }

  /** D1 now has these rows at these versions; a row written since stays stale. */
  markProjected(kind: "registrations" | "invitations", rows: { id: string; version: number }[]): void {
    const byVersion = new Map<number, string[]>();
    for (const r of rows) {
      const ids = byVersion.get(r.version);
      if (ids) ids.push(r.id);
      else byVersion.set(r.version, [r.id]);
    }
    for (const [version, ids] of byVersion) this.reused().markProjected[kind].run({ version, ids: JSON.stringify(ids) });
  }

  private reused(): ReturnType<typeof reusedStatements> {
    this.reusable ??= reusedStatements(this.db);
    return this.reusable;
  }

  /** Rows D1 has not received yet, and emails not yet handed to the queue. */
  pendingCount(): number {
    const s = this.sessionRecord();
    const stale = (table: typeof t.registrations | typeof t.invitations) =>
      this.db.select({ n: count() }).from(table).where(gt(table.version, table.projectedVersion)).get()?.n ?? 0;
    const mail = this.db.select({ n: count() }).from(t.mailOutbox).get()?.n ?? 0;
    const events = this.db.select({ n: count() }).from(t.eventOutbox).get()?.n ?? 0;
    const refunds = this.db.select({ n: count() }).from(t.refundOutbox).get()?.n ?? 0;
    return (s && s.version > s.projectedVersion ? 1 : 0) + stale(t.registrations) + stale(t.invitations) + mail + events + refunds;
  }
}

type Occupying = Pick<RegistrationRecord, "status" | "waitlistSeq" | "source">;

/** A registration whose hold lapses by the clock (awaiting its email confirmation, or its payment). */
const WAITING: ReadonlySet<string> = new Set(WAITING_REGISTRATION_STATUSES);
const holding = (r: Pick<RegistrationRecord, "status">) => (HOLDING_REGISTRATION_STATUSES as readonly string[]).includes(r.status);

/**
 * How a registration's write moves the counts: the registration rule (`occupies`) applied twice. A
 * seat held until its registrant confirms counts with the seats held by invitations.
 */
function registrationDelta(before: Occupying | undefined, after: Occupying) {
  const was = before ? occupies(before) : null;
  const is = occupies(after);
  const d = (place: "seat" | "waitlist" | "hold") => (is === place ? 1 : 0) - (was === place ? 1 : 0);
  const unconfirmed = (r: Occupying | undefined) => (r && holding(r) ? 1 : 0);
  return {
    confirmed: d("seat"),
    waitlisted: d("waitlist"),
    held: d("hold"),
    pending: 0,
    unconfirmed: unconfirmed(after) - unconfirmed(before),
  };
}

/** How an invitation's write moves the counts: `holdsSeat` and pending-ness, by stored status. */
function invitationDelta(before: InvitationRecord | undefined, after: InvitationRecord) {
  const held = (r: InvitationRecord | undefined) => (r && holdsSeat(r) ? 1 : 0);
  const pending = (r: InvitationRecord | undefined) => (r && isPending(r.status) ? 1 : 0);
  return { confirmed: 0, waitlisted: 0, held: held(after) - held(before), pending: pending(after) - pending(before), unconfirmed: 0 };
}

/** The messages of a confirmed seat: the only ones that carry the meeting link. */
const SEAT_TEMPLATES: ReadonlySet<MailTemplate> = new Set(["registration_confirmed", "promoted", "session_updated"]);

/** The messages that offer a seat or give one: they say what it costs. */
const PRICE_TEMPLATES: ReadonlySet<MailTemplate> = new Set(["registration_confirmed", "promoted", "waitlisted", "invitation"]);

/** One email about this session, with the session's details every template shows. */
function sessionMail<K extends Exclude<MailTemplate, "sign_in" | "program_invitation">>(
  s: SessionRecord,
  template: K,
  to: { email: string; name: string | null; locale: Locale },
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
    location: s.location,
    ...(PRICE_TEMPLATES.has(template) && s.priceAmount !== null && s.priceCurrency !== null
      ? { price: { amount: s.priceAmount, currency: s.priceCurrency } }
      : {}),
    // The meeting link goes only to people with a seat (never to an invitation or the waitlist).
    ...(SEAT_TEMPLATES.has(template) && s.onlineUrl ? { onlineUrl: s.onlineUrl } : {}),
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
