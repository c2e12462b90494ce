// The session ledger: one Durable Object per session, the single source of truth for its seats.
//
// This file is the RPC surface. Each method reads as load → decide → apply: it prepares what needs
// an await (hashes, tokens), then opens one `transactionSync` in which it loads rows, asks a plain
// decision function (sessions/, registrations/, invitations/) and applies the result with the
// moves in moves.ts. No await happens in between, so the object's input gate guarantees that no
// other request sees a half-decided seat. Side effects (the D1 projection, emails) are recorded
// in the same transaction and drained afterwards (drainer.ts).
//
// Beside it: store.ts (its tables and counters), moves.ts (the writes a decision allows),
// outbox.ts and drainer.ts (draining), live.ts (the live channel), views.ts (rows as the API shows them).

import { DurableObject } from "cloudflare:workers";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { type DeliveryStatus, type DeliveryUpdate, deliveryChanges } from "../email/delivery";
import type { MailMessage } from "../email/message";
import { type Failure, fail, type Outcome, ok } from "../errors/problem";
import { type DerivedToken, derivedToken, newDerivedToken, presentedHash, sha256Hex } from "../ids/ids";
import {
  acceptingEmail,
  CODE_TTL_MS,
  checkCode,
  decideAcceptance,
  decideBulkAction,
  decideNewInvitations,
  linkRefusal,
} from "../invitations/decide";
import { effectiveStatus, fixedExpiryProblem, initialStatus, maskEmail } from "../invitations/lifecycle";
import type { AcceptInput, CreateInvitationsInput, InvitationView } from "../invitations/schemas";
import type { BulkInvitationAction, InvitationStatus } from "../invitations/statuses";
import { hashCode, invitationToken, newInvitationToken, oneTimeCode } from "../invitations/tokens";
import { emailKey } from "../recipients/address";
import { MAX_RECIPIENTS, parseRecipients } from "../recipients/parse";
import { decideProviderRegistration, decidePublicRegistration } from "../registrations/decide";
import type { ProviderRegistrationInput, PublicRegistrationInput, RegistrationView } from "../registrations/schemas";
import { decideSessionEdit } from "../sessions/decide";
import type { CreateSessionInput, PublicSessionView, SessionView, UpdateSessionInput } from "../sessions/schemas";
import { seatsOf } from "../sessions/seats";
import { type Clock, systemClock } from "../time/clock";
import { Drainer } from "./drainer";
import { canonicalJson, idempotencyCutoff } from "./idempotency";
import { acceptViewer, broadcast } from "./live";
import migrations from "./migrations/migrations.js";
import {
  addInvitation,
  addRegistration,
  cancelRegistration,
  catchUp,
  closeInvitation,
  iso,
  promoteWaitlist,
  raiseCapacity,
  sendInvitation,
} from "./moves";
import { d1Projection, type ProjectionWriter } from "./projection";
import { type Actor, LedgerStore } from "./store";
import { endsAt, publicSessionView, registrationView, type SessionRecord } from "./views";

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

const NO_SESSION = fail("not_found", "No such session.");

export class SessionLedger extends DurableObject<Env> {
  private readonly store: LedgerStore;
  private readonly drainer: Drainer;
  /** Replaceable in tests: where time comes from, where projection rows and mail go. */
  clock: Clock = systemClock;
  projection: ProjectionWriter;
  mailQueue: Pick<Queue<MailMessage>, "sendBatch">;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new LedgerStore(ctx.storage, () => this.now());
    this.projection = d1Projection(env.DB);
    this.mailQueue = env.MAIL_QUEUE;
    this.drainer = new Drainer(
      ctx,
      this.store,
      () => ({ projection: this.projection, mailQueue: this.mailQueue }),
      () => this.now(),
      () => broadcast(ctx, () => this.publicState()),
    );
    void ctx.blockConcurrencyWhile(() => migrate(this.store.db, migrations));
  }

  // ─── sessions ────────────────────────────────────────────────────────────────────────────

  async create(input: CreateSessionInput & { id: string; orgId: string; baseUrl: string }): Promise<Outcome<SessionView>> {
    const now = this.now();
    const result = this.store.transaction(() => {
      if (this.store.sessionRecord()) return fail("invalid_transition", "This session already exists.");
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
      return ok(this.store.sessionView(now));
    });
    // Creation is rare and lists should show the new session at once: wait for the projection.
    await this.drainer.drain();
    return result;
  }

  read(orgId: string): Outcome<SessionView> {
    return this.change(orgId, (_s, now) => ok(this.store.sessionView(now)));
  }

  readPublic(): Outcome<PublicSessionView> {
    const state = this.publicState();
    return state ? ok(state) : NO_SESSION;
  }

  async update(orgId: string, patch: UpdateSessionInput, actor: Actor): Promise<Outcome<SessionView>> {
    const result = this.change(orgId, (s, now) => {
      const edit = decideSessionEdit(s, patch, this.store.counts(), now);
      if (!edit.ok) return edit;
      if (edit.value.capacityChanged) this.store.recordCapacity(s.capacity, edit.value.next.capacity, actor, "edited", now);
      this.store.patchSession(edit.value.next);
      promoteWaitlist(this.store, now);
      return ok(this.store.sessionView(now));
    });
    await this.drainer.drain();
    return result;
  }

  async cancel(orgId: string, actor: Actor): Promise<Outcome<SessionView>> {
    const result = this.change(orgId, (s, now) => {
      if (s.status === "cancelled") return ok(this.store.sessionView(now)); // a retried cancel changes nothing
      this.store.patchSession({ status: "cancelled", cancelledAt: now.toISOString(), updatedAt: now.toISOString() });
      for (const r of this.store.activeRegistrations()) this.store.mail("session_cancelled", r, { cancelledBy: actor });
      return ok(this.store.sessionView(now));
    });
    await this.drainer.drain();
    return result;
  }

  // ─── registrations ───────────────────────────────────────────────────────────────────────

  /**
   * A member of the public registers. With an idempotency key, the same key and body give the
   * same answer without a second registration; the same key with another body is refused.
   */
  async register(input: PublicRegistrationInput, idempotencyKey?: string): Promise<Outcome<RegistrationResult>> {
    const requestHash = idempotencyKey ? await sha256Hex(canonicalJson(input)) : null;
    const sessionId = this.store.sessionRecord()?.id;
    if (!sessionId) return NO_SESSION;
    const manage = await this.newManageToken(sessionId);

    const result = this.change(null, (s, now): Outcome<RegistrationResult> => {
      if (idempotencyKey && requestHash) {
        const seen = this.store.idempotencyRecord(idempotencyKey);
        // A key is remembered for a day; an older record may not have been purged yet.
        if (seen && seen.createdAt > idempotencyCutoff(now)) {
          if (seen.requestHash !== requestHash)
            return fail("idempotency_conflict", "This Idempotency-Key was already used with a different request.");
          return seen.response as Outcome<RegistrationResult>;
        }
      }
      const outcome = this.registerNow(s, input, manage, now);
      // Refusals are remembered too: a retry must get the same answer, not a second try. The
      // cancel link is not kept: a replay derives it again from the registration's salt.
      if (idempotencyKey && requestHash) {
        const response = outcome.ok ? { ...outcome, value: { ...outcome.value, manageToken: "" } } : outcome;
        this.store.rememberAnswer(idempotencyKey, { requestHash, response, createdAt: now.toISOString() });
      }
      return outcome;
    });
    this.drainer.soon();
    if (result.ok && result.value.manageToken === "") {
      const salt = this.store.registration(result.value.registration.id)?.manageTokenSalt;
      if (salt) result.value.manageToken = (await derivedToken(this.env.ROLLCALL_SIGNING_SECRET, "manage", sessionId, salt)).token;
    }
    return result;
  }

  private registerNow(s: SessionRecord, input: PublicRegistrationInput, manage: DerivedToken, now: Date): Outcome<RegistrationResult> {
    const already = this.store.liveRegistration(input.email) !== undefined;
    const decision = decidePublicRegistration(s, seatsOf(s, this.store.counts()), input, already, now);
    if (!decision.ok) return decision;
    const { status, source } = decision.value;
    const registration = addRegistration(
      this.store,
      { name: input.name, email: input.email, status, source, answers: input.answers ?? null, locale: input.locale ?? "en", manage },
      now,
    );
    // Someone invited who registered on the public page instead: their invitation is answered, and
    // the seat it held goes back (they took a public one). On the waitlist, the invitation stays:
    // following its link later moves them into the held seat.
    const invitation = status === "confirmed" ? this.store.pendingInvitation(input.email, now) : undefined;
    if (invitation) closeInvitation(this.store, invitation, "accepted", now, registration.id);
    return ok({ registration: this.store.registrationView(registration), manageToken: manage.token });
  }

  /** The provider places a participant directly, raising the capacity only when told to. */
  async addParticipant(
    orgId: string,
    input: ProviderRegistrationInput,
    actor: Actor,
  ): Promise<Outcome<RegistrationView & { capacityRaisedBy: number }>> {
    const sessionId = this.store.sessionRecord()?.id;
    if (!sessionId) return NO_SESSION;
    const manage = await this.newManageToken(sessionId);
    const result = this.change(orgId, (s, now): Outcome<RegistrationView & { capacityRaisedBy: number }> => {
      const already = this.store.liveRegistration(input.email) !== undefined;
      const decision = decideProviderRegistration(s, seatsOf(s, this.store.counts()), already, input.allowOverCapacity);
      if (!decision.ok) return decision;
      const { raiseBy } = decision.value;
      if (raiseBy > 0) raiseCapacity(this.store, s, raiseBy, actor, "participant added by the provider", now);
      const registration = addRegistration(
        this.store,
        {
          name: input.name,
          email: input.email,
          status: "confirmed",
          source: "provider",
          answers: null,
          locale: input.locale ?? "en",
          manage,
        },
        now,
      );
      return ok({ ...this.store.registrationView(registration), capacityRaisedBy: raiseBy });
    });
    this.drainer.soon();
    return result;
  }

  /** The provider removes a participant (or takes someone off the waitlist). */
  async cancelRegistration(orgId: string, registrationId: string): Promise<Outcome<RegistrationView>> {
    const result = this.change(orgId, (_s, now) => {
      const r = this.store.registration(registrationId);
      if (!r) return fail("not_found", "No such registration.");
      return ok(this.store.registrationView(cancelRegistration(this.store, r, "provider", now)));
    });
    this.drainer.soon();
    return result.ok || result.error.code !== "not_found" ? result : fail("not_found", "No such registration.");
  }

  /** The participant's own cancel link. */
  async cancelByManageToken(token: string): Promise<Outcome<RegistrationView>> {
    const hash = (await presentedHash(token)) ?? "";
    const result = this.change(null, (_s, now) => {
      const r = this.store.registrationByManageHash(hash);
      if (!r) return fail("not_found", "This link is not valid.");
      return ok(this.store.registrationView(cancelRegistration(this.store, r, "participant", now)));
    });
    this.drainer.soon();
    return result.ok || result.error.code !== "not_found" ? result : fail("not_found", "This link is not valid.");
  }

  /** Everyone the session concerns: its registrations (waitlist in order) and its invitations. */
  roster(orgId: string): Outcome<{ session: SessionView; registrations: RegistrationView[]; invitations: InvitationView[] }> {
    return this.change(orgId, (s, now) => {
      let position = 0;
      const registrations = this.store
        .registrations()
        .sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0))
        .map((r) => registrationView(s.id, r, r.status === "waitlisted" ? ++position : null));
      const invitations = this.store.invitations().map((r) => this.store.invitationView(r, now));
      return ok({ session: this.store.sessionView(now), registrations, invitations });
    });
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
    const s0 = this.store.sessionRecord();
    if (!s0 || s0.orgId !== orgId) return NO_SESSION;
    const expiryProblem = fixedExpiryProblem(iso(input.expiresAt), iso(input.sendAt), this.now());
    if (expiryProblem)
      return fail("validation_failed", `expiresAt ${expiryProblem}.`, undefined, [{ path: "expiresAt", message: expiryProblem }]);
    const tokens = new Map(
      await Promise.all(
        parsed.recipients.map(async (r) => [r.position, await newInvitationToken(this.env.ROLLCALL_SIGNING_SECRET, s0.id)] as const),
      ),
    );

    const result = this.change(orgId, (s, now): Outcome<CreatedInvitations> => {
      const keys = parsed.recipients.map((r) => emailKey(r.email));
      const decision = decideNewInvitations({
        session: s,
        seats: seatsOf(s, this.store.counts()),
        recipients: parsed.recipients,
        duplicates: parsed.duplicates,
        invited: this.store.invitedKeys(keys, now),
        registered: this.store.liveRegistrationKeys(keys),
        holdSeat: input.holdSeat,
        allowOverCapacity: input.allowOverCapacity,
      });
      if (!decision.ok) return decision;
      const { kept, skipped, raiseBy } = decision.value;
      if (raiseBy > 0) raiseCapacity(this.store, s, raiseBy, actor, `${kept.length} invitation(s) holding seats`, now);
      const status = initialStatus(input.send, input.sendAt ?? null, now);
      const created = kept.map((recipient, i) => {
        const token = tokens.get(recipient.position)!;
        // Sent below, through the one send path; the last `raiseBy` carry the seats they added.
        const raised = i >= kept.length - raiseBy ? 1 : 0;
        const row = addInvitation(this.store, recipient, token, input, status === "sent" ? "draft" : status, raised, actor, now);
        return status === "sent" ? sendInvitation(this.store, row, token.token, "send", now) : row;
      });
      return ok({
        invitations: created.map((r) => this.store.invitationView(r, now)),
        skipped,
        seats: seatsOf(this.store.sessionRecord()!, this.store.counts()),
        capacityRaisedBy: raiseBy,
      });
    });
    await this.afterInvitationChange();
    return result;
  }

  listInvitations(orgId: string, status?: InvitationStatus): Outcome<InvitationView[]> {
    return this.change(orgId, (_s, now) => {
      const views = this.store.invitations().map((r) => this.store.invitationView(r, now));
      return ok(status ? views.filter((v) => v.status === status) : views);
    });
  }

  /** Send, resend or cancel one invitation. */
  async invitationAction(orgId: string, invitationId: string, action: BulkInvitationAction): Promise<Outcome<InvitationView>> {
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
  async bulkAction(orgId: string, action: BulkInvitationAction, ids?: string[]): Promise<Outcome<BulkResult>> {
    const s = this.store.sessionRecord();
    if (!s || s.orgId !== orgId) return NO_SESSION;
    // The links are derived (an await) before the transaction, for every invitation it may send.
    const from = action === "send" ? "draft" : "sent";
    const candidates = ids
      ? this.store.invitationsIn(ids.slice(0, 1000))
      : this.store.invitationsWithStatus(from).filter((r) => effectiveStatus(r, this.now()) === from);
    const links = action === "cancel" ? new Map<string, string>() : await this.linksFor(candidates);
    const order = ids ?? candidates.map((c) => c.id);

    const result = this.change(orgId, (_s, now): Outcome<BulkResult> => {
      const rows = this.store.invitationsIn(candidates.map((c) => c.id)).sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
      const { move, skipped } = decideBulkAction(action, rows, ids, now);
      const moved = move.map((row) =>
        action === "cancel"
          ? closeInvitation(this.store, row, "cancelled", now)
          : sendInvitation(this.store, row, links.get(row.id)!, action, now),
      );
      if (action === "cancel") promoteWaitlist(this.store, now);
      return ok({ invitations: moved.map((r) => this.store.invitationView(r, now)), skipped });
    });
    await this.afterInvitationChange();
    return result;
  }

  /** What the invitation link shows. */
  async openInvitation(token: string): Promise<Outcome<InviteLink>> {
    const inv = await this.invitationByToken(token);
    const s = this.store.sessionRecord();
    if (!inv || !s || inv.status === "draft" || inv.status === "scheduled") return fail("not_found", "This invitation link is not valid.");
    const now = this.now();
    return ok({
      session: this.publicState()!,
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
    const found = await this.invitationByToken(token);
    if (!found) return fail("not_found", "This invitation link is not valid.");
    const code = oneTimeCode();
    const codeHash = await hashCode(found.id, code);
    const result = this.change(null, (s, now): Outcome<{ sentTo: string; expiresAt: string }> => {
      const inv = this.store.invitation(found.id)!;
      const refusal = linkRefusal(inv, s.status, now);
      if (refusal) return refusal;
      if (!inv.requireEmailMatch) return fail("invalid_transition", "This invitation does not need a code.");
      const expiresAt = new Date(now.getTime() + CODE_TTL_MS).toISOString();
      this.store.updateInvitation(inv, { ...inv, codeHash, codeExpiresAt: expiresAt, codeAttempts: 0, updatedAt: now.toISOString() });
      this.store.mail("one_time_code", inv, { code, expiresAt }, inv.id);
      return ok({ sentTo: maskEmail(inv.email), expiresAt });
    });
    this.drainer.soon();
    return result;
  }

  /** Accepts through the link: takes the held seat (even in a full session) or asks for one. */
  async acceptInvitation(token: string, input: AcceptInput): Promise<Outcome<RegistrationResult>> {
    const found = await this.invitationByToken(token);
    if (!found) return fail("not_found", "This invitation link is not valid.");
    const codeHash = input.code ? await hashCode(found.id, input.code) : null;
    const manage = await this.newManageToken(this.store.sessionRecord()!.id);

    const result = this.change(null, (s, now): Outcome<RegistrationResult> => {
      const inv = this.store.invitation(found.id)!;
      const refusal = this.linkOrCodeRefusal(inv, s, codeHash, now);
      if (refusal) return refusal;
      const existing = this.store.liveRegistration(acceptingEmail(inv, input.email));
      const decision = decideAcceptance({
        invitation: inv,
        session: { ...s, endsAt: endsAt(s) },
        seats: seatsOf(s, this.store.counts()),
        email: input.email,
        existing,
        now,
      });
      if (!decision.ok) return decision;
      if (decision.value.kind === "upgrade") {
        // Their cancel link changes with the confirmation that carries it.
        const confirmed = this.store.updateRegistration(existing!, {
          ...existing!,
          status: "confirmed",
          promotedAt: now.toISOString(),
          invitationId: inv.id,
          manageTokenHash: manage.secretHash,
          manageTokenSalt: manage.salt,
        });
        closeInvitation(this.store, inv, "accepted", now, confirmed.id);
        this.store.mail("registration_confirmed", confirmed, { manageToken: manage.token });
        return ok({ registration: this.store.registrationView(confirmed), manageToken: manage.token });
      }
      const { email, status } = decision.value;
      // The held seat turns into the confirmed one in the same transaction: the count never moves.
      const registration = addRegistration(
        this.store,
        {
          name: input.name ?? inv.name ?? email.slice(0, email.indexOf("@")),
          email,
          status,
          source: "invitation",
          answers: null,
          locale: input.locale ?? inv.locale,
          manage,
          invitationId: inv.id,
          discountCode: inv.discountCode,
        },
        now,
      );
      closeInvitation(this.store, inv, "accepted", now, registration.id);
      return ok({ registration: this.store.registrationView(registration), manageToken: manage.token });
    });
    await this.afterInvitationChange();
    return result;
  }

  /** Declines through the link: the held seat goes back to the public (or the waitlist). */
  async declineInvitation(token: string, code?: string): Promise<Outcome<{ status: "declined" }>> {
    const found = await this.invitationByToken(token);
    if (!found) return fail("not_found", "This invitation link is not valid.");
    const codeHash = code ? await hashCode(found.id, code) : null;
    const result = this.change(null, (s, now): Outcome<{ status: "declined" }> => {
      const inv = this.store.invitation(found.id)!;
      // Whoever holds a forwarded link must not give the invited person's seat away either.
      const refusal = this.linkOrCodeRefusal(inv, s, codeHash, now);
      if (refusal) return refusal;
      closeInvitation(this.store, inv, "declined", now);
      promoteWaitlist(this.store, now);
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
    const result = this.store.transaction(() => {
      const ids = [...new Set(updates.map((u) => u.invitationId))];
      const rows = this.store.deliveries(ids);
      const current = new Map([...rows].map(([id, r]) => [id, r.delivery as DeliveryStatus | null]));
      const changes = deliveryChanges(current, updates);
      for (const [id, change] of changes) {
        const row = rows.get(id)!;
        this.store.updateInvitation(row, { ...row, delivery: change.status, deliveryAt: change.at });
      }
      return { updated: changes.size, unknown: ids.filter((id) => !rows.has(id)) };
    });
    if (result.updated > 0) this.drainer.soon();
    return ok(result);
  }

  // ─── live channel ────────────────────────────────────────────────────────────────────────

  /** WebSocket upgrades for `/v1/public/sessions/{id}/live` (see live.ts). */
  override async fetch(request: Request): Promise<Response> {
    return acceptViewer(this.ctx, request, this.publicState());
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    if (message === "ping") ws.send("pong");
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    ws.close(code === 1005 ? 1000 : code, "bye");
  }

  // ─── drain and alarm ─────────────────────────────────────────────────────────────────────

  /** Writes pending projection rows to D1 and hands pending mail to the queue. Returns what is left. */
  drain(): Promise<{ pending: number }> {
    return this.drainer.drain();
  }

  override async alarm(): Promise<void> {
    this.drainer.alarmFired();
    this.store.forgetAnswers(idempotencyCutoff(this.now()));
    // Time-driven work: send what is scheduled (links derived first), expire what is due.
    const due = this.store.dueToSend(this.now());
    const links = await this.linksFor(due);
    const now = this.now();
    this.store.transaction(() => catchUp(this.store, now, due, links));
    await this.drainer.drain();
    await this.scheduleAlarm();
  }

  // ─── the shape every change takes ────────────────────────────────────────────────────────

  /**
   * One transaction on this session: load it (not_found for another org's, when `orgId` is given),
   * bring it up to the clock (due expiries), then run `body`, which decides and applies. Reads go
   * through here too: they write nothing unless the clock made something due.
   */
  private change<T>(orgId: string | null, body: (s: SessionRecord, now: Date) => Outcome<T>): Outcome<T> {
    const now = this.now();
    return this.store.transaction(() => {
      const s0 = this.store.sessionRecord();
      if (!s0 || (orgId !== null && s0.orgId !== orgId)) return NO_SESSION as Outcome<T>;
      catchUp(this.store, now);
      return body(this.store.sessionRecord()!, now);
    });
  }

  /** The public state of the session, up to the clock. */
  private publicState(): PublicSessionView | null {
    const state = this.change(null, (s, now) => ok(publicSessionView(s, this.store.counts(), now)));
    return state.ok ? state.value : null;
  }

  /** The link must be usable, and when the invitation requires it, the code right (a wrong one costs a try). */
  private linkOrCodeRefusal(
    inv: Parameters<typeof checkCode>[0] & Parameters<typeof linkRefusal>[0] & { requireEmailMatch: boolean },
    s: SessionRecord,
    codeHash: string | null,
    now: Date,
  ): { ok: false; error: Failure } | null {
    const refusal = linkRefusal(inv, s.status, now);
    if (refusal || !inv.requireEmailMatch) return refusal;
    const check = checkCode(inv, codeHash, now);
    if (!check) return null;
    if (check.spendTry) {
      const row = this.store.invitation(inv.id)!;
      this.store.updateInvitation(row, { ...row, codeAttempts: row.codeAttempts + 1 });
    }
    return check.refusal;
  }

  private newManageToken(sessionId: string): Promise<DerivedToken> {
    return newDerivedToken(this.env.ROLLCALL_SIGNING_SECRET, "manage", sessionId);
  }

  private async invitationByToken(token: string) {
    const hash = await presentedHash(token);
    return hash ? this.store.invitationByTokenHash(hash) : undefined;
  }

  /** The link tokens of these invitations, derived again from their salts (for sends). */
  private async linksFor(rows: { id: string; tokenSalt: string }[]): Promise<Map<string, string>> {
    const sessionId = this.store.sessionRecord()!.id;
    const tokens = await Promise.all(rows.map((r) => invitationToken(this.env.ROLLCALL_SIGNING_SECRET, sessionId, r.tokenSalt)));
    return new Map(rows.map((r, i) => [r.id, tokens[i]!.token]));
  }

  private async afterInvitationChange(): Promise<void> {
    this.drainer.soon();
    await this.scheduleAlarm();
  }

  /** Sets the alarm for the next scheduled send or expiry, never later than one already set. */
  private async scheduleAlarm(): Promise<void> {
    const times = [this.store.nextScheduledSend(), this.store.earliestExpiry()].filter((v): v is string => !!v).map((v) => Date.parse(v));
    if (times.length === 0) return;
    // The clock may be a test's: convert its "when" into real time from now.
    await this.drainer.alarmNoLaterThan(Date.now() + Math.max(0, Math.min(...times) - this.now().getTime()));
  }

  private now(): Date {
    return this.clock.now();
  }
}
