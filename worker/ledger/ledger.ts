// The session ledger: one Durable Object per session, the single source of truth for its seats.
//
// This file is the RPC surface. Each method prepares what needs an await (hashes, tokens), then
// runs one `transactionSync` (change()) that loads the session, brings it up to the clock, and
// hands it to a synchronous step that decides (sessions/, registrations/, invitations/ decide.ts)
// and applies (moves.ts). No await happens in between, so the object's input gate guarantees that
// no other request sees a half-decided seat. Side effects (the D1 projection, emails) are recorded
// in the same transaction and drained afterwards (drainer.ts).
//
// Beside it: sessions.ts, registrations.ts, invitations.ts (the steps), moves.ts (the writes a
// decision allows), store.ts (tables and counters), outbox.ts and drainer.ts (draining), mail.ts
// (dead letters and their re-drive), live.ts (the live channel), views.ts (rows as the API shows them).

import { DurableObject } from "cloudflare:workers";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { SessionDeactivation } from "../contacts/deactivation";
import { claimTypedDiscount } from "../discounts/check";
import type { DiscountQuote } from "../discounts/decide";
import { release } from "../discounts/redemptions";
import type { DeliveryStatus, DeliveryUpdate } from "../email/delivery";
import type { MailMessage } from "../email/message";
import { type MailQueues, mailQueues } from "../email/queues";
import { type FieldError, fieldError } from "../errors/fields";
import { type Failure, fail, type Outcome, ok } from "../errors/problem";
import type { Answering } from "../forms/answers";
import { DEFAULT_LOCALE, type Locale } from "../i18n/locales";
import {
  base64url,
  type DerivedToken,
  derivedToken,
  hmacSha256,
  newChildId,
  newDerivedToken,
  presentedHash,
  randomSecret,
  sha256Hex,
} from "../ids/ids";
import { signingKeys } from "../ids/signing-keys";
import { type InvitationWords, withWords } from "../invitations/decide";
import { effectiveStatus, fixedExpiryProblem } from "../invitations/lifecycle";
import type { AcceptInput, InvitationView, NewInvitationsInput } from "../invitations/schemas";
import {
  type BulkInvitationAction,
  type InvitationEvent,
  type InvitationStatus,
  TO_SEND_INVITATION_STATUSES,
} from "../invitations/statuses";
import { hashCode, invitationToken, newInvitationToken, oneTimeCode } from "../invitations/tokens";
import { membersOf, readOrg } from "../orgs/orgs";
import type { CheckoutOutcome, CheckoutView, ProviderPayment, RefundOrder, RefundQueueMessage, RefundRecord } from "../payments/decide";
import type { PersonInSession, PurgeCounts, SessionErasure } from "../privacy/schemas";
import { type ChosenPerson, decideRecipients } from "../recipients/decide";
import type { CodePageEntry, ProviderRegistrationInput, PublicRegistrationInput, RegistrationView } from "../registrations/schemas";
import { confirmationCodeHash, newConfirmation } from "../registrations/tokens";
import { decisionPath, decisionToken } from "../sessions/decision-links";
import { type MinimumAnswer, minimumAlarmAt, unansweredAtStart } from "../sessions/minimum";
import type { PublicSessionView, SessionView, UpdateSessionInput } from "../sessions/schemas";
import { type Clock, systemClock } from "../time/clock";
import { subscribedTypes } from "../webhooks/endpoints";
import type { WebhookQueueMessage } from "../webhooks/message";
import { deactivatePerson } from "./deactivation";
import { Drainer } from "./drainer";
import type { HostChange } from "./host-seat";
import { canonicalJson, idempotencyCutoff } from "./idempotency";
import { type AcceptPayment, accept, bulkMove, decline, invite, issueCode, linkView, recordDeliveries, reopen } from "./invitations";
import { acceptViewer, broadcast, closeCodeFor } from "./live";
import { keepDeadMail, type MailStatus, mailStatusOf, type Redriven, redriveDeadMail } from "./mail";
import { withManageLinks } from "./manage-links";
import migrations from "./migrations/migrations.js";
import { answerMinimum, applyMinimum, type MinimumPrep, minimumStepOf } from "./minimum";
import { catchUp, iso } from "./moves";
import type { Deliveries } from "./outbox";
import { attachCheckout, checkoutViewOf, paidNote, recordRefund, refundOrderOf, type Settled, settle } from "./payments";
import { erasePerson, personRecords, purgeBefore } from "./privacy";
import { answerForPerson, type ProgramSend, type ProgramSessionSeat, seatOfPerson, sendForProgram } from "./program";
import { d1Projection, type ProjectionWriter } from "./projection";
import {
  addByProvider,
  cancelFound,
  claimOwnPageLink,
  codePageList,
  confirmPublic,
  type OwnPageRecipient,
  registerPublic,
  resendManageLink,
  rosterOf,
} from "./registrations";
import { cancelSession, createSession, editSession, type NewSession, releaseDepartedHost } from "./sessions";
import { type Actor, LedgerStore } from "./store";
import {
  type BulkResult,
  type CreatedInvitations,
  type InviteLink,
  type ManageView,
  minimumPolicy,
  type PublicRegistrationAnswer,
  publicSessionView,
  type RegistrationResult,
  type Roster,
  type SessionRecord,
} from "./views";

export type { Actor } from "./store";
export type { BulkResult, CreatedInvitations, InviteLink, ManageView, PublicRegistrationAnswer, RegistrationResult } from "./views";

const NO_SESSION = fail("session_not_found", "No such session: check the session id.");
const NO_LINK = fail("not_found", "This invitation link is not valid.");

export class SessionLedger extends DurableObject<Env> {
  private readonly store: LedgerStore;
  private readonly drainer: Drainer;
  /** Replaceable in tests: where time comes from, where projection rows and mail go. */
  clock: Clock = systemClock;
  projection: ProjectionWriter;
  mailQueue: Pick<MailQueues, "sendBatch">;
  webhookQueue: Pick<Queue<WebhookQueueMessage>, "sendBatch">;
  webhookSubscriptions: Deliveries["webhookSubscriptions"];
  refundQueue: Pick<Queue<RefundQueueMessage>, "sendBatch">;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new LedgerStore(ctx.storage, () => this.now());
    this.projection = d1Projection(env.DB, () => this.now());
    this.mailQueue = mailQueues(env);
    this.webhookQueue = env.WEBHOOK_QUEUE;
    this.webhookSubscriptions = (orgId) => subscribedTypes(env.DB, orgId);
    this.refundQueue = env.REFUND_QUEUE;
    const mailQueue = withManageLinks(
      () => this.mailQueue,
      () => signingKeys(this.env),
      () => this.store.sessionRecord()?.id,
    );
    const deliveries = (): Deliveries => ({
      projection: this.projection,
      mailQueue,
      webhookQueue: this.webhookQueue,
      webhookSubscriptions: this.webhookSubscriptions,
      refundQueue: this.refundQueue,
    });
    this.drainer = new Drainer(
      ctx,
      this.store,
      deliveries,
      () => this.now(),
      () => broadcast(ctx, () => this.publicState()),
    );
    // A ledger no one created stays empty: its tables come with the session, in create().
    void ctx.blockConcurrencyWhile(async () => {
      if (this.store.created()) await migrate(this.store.db, migrations);
    });
  }

  // ─── sessions ────────────────────────────────────────────────────────────────────────────

  async create(input: NewSession): Promise<Outcome<SessionView>> {
    if (!this.store.created()) {
      // The migrator runs synchronously inside one storage transaction: nothing comes in between.
      await migrate(this.store.db, migrations);
      this.store.markCreated();
    }
    const now = this.now();
    const manage = input.host?.person ? await this.newManageToken(input.id) : null;
    const result = this.store.transaction(() =>
      this.store.sessionRecord()
        ? fail("invalid_transition", "This session already exists.")
        : ok(createSession(this.store, input, manage, now)),
    );
    // Creation is rare and lists should show the new session at once: wait for the projection.
    await this.drainer.drain();
    if (result.ok) await this.scheduleAlarm();
    return result;
  }

  read(orgId: string): Outcome<SessionView> {
    return this.change(orgId, (_s, now) => ok(this.store.sessionView(now)));
  }

  readPublic(): Outcome<PublicSessionView> {
    const state = this.publicState();
    return state ? ok(state) : NO_SESSION;
  }

  /** `host`: who hosts the session now, as D1 says (left out: the host's seat stays with whoever holds it). */
  async update(orgId: string, patch: UpdateSessionInput, actor: Actor, host?: HostChange): Promise<Outcome<SessionView>> {
    const sessionId = this.store.sessionRecord()?.id;
    const manage = host?.person && sessionId ? await this.newManageToken(sessionId) : null;
    const result = this.change(orgId, (s, now) => editSession(this.store, s, patch, actor, now, host, manage));
    if (result.ok) {
      await this.drainer.drain();
      await this.scheduleAlarm();
    }
    return result;
  }

  /**
   * The host's seat of a member who left the org (`email`; null: whoever holds it), released as an
   * edit naming nobody would. Does nothing once the session has ended, or when someone else holds it.
   */
  async releaseHost(orgId: string, email: string | null, actor: Actor): Promise<Outcome<SessionView>> {
    const result = this.change(orgId, (s, now) => releaseDepartedHost(this.store, s, email, actor, now));
    if (result.ok) {
      await this.drainer.drain();
      await this.scheduleAlarm();
    }
    return result;
  }

  async cancel(orgId: string, actor: Actor): Promise<Outcome<SessionView>> {
    const s = this.store.sessionRecord();
    if (!s || s.orgId !== orgId) return NO_SESSION;
    // The emails to those invited name the organisation, which D1 knows (read before the transaction).
    const orgName = s.status === "cancelled" ? "" : ((await readOrg(this.env.DB, orgId))?.name ?? "");
    const result = this.change(orgId, (s, now) => cancelSession(this.store, s, actor, orgName, now));
    if (result.ok) await this.drainer.drain();
    return result;
  }

  /**
   * A member's answer to the minimum's question (their emailed link, or the admin's buttons):
   * `by` is the member's address. The first answer wins; a later one gets minimum_decided.
   */
  async answerMinimum(orgId: string, answer: MinimumAnswer, by: string): Promise<Outcome<SessionView>> {
    const s = this.store.created() ? this.store.sessionRecord() : undefined;
    if (!s || s.orgId !== orgId) return NO_SESSION;
    const orgName = answer === "cancel" ? ((await readOrg(this.env.DB, orgId))?.name ?? "") : "";
    const result = this.change(orgId, (s, now) => answerMinimum(this.store, s, answer, by, orgName, now));
    if (result.ok) await this.drainer.drain();
    return result;
  }

  /** Decides the minimum when it is due (the alarm calls this), reading first what the decision may need. */
  private async decideMinimumIfDue(): Promise<void> {
    const s = this.store.sessionRecord()!;
    const now = this.now();
    const policy = minimumPolicy(s);
    const step = minimumStepOf(this.store, s, now);
    if (step !== "cancel" && step !== "ask" && step !== "run" && !unansweredAtStart(policy, now)) return;
    const org = step === "cancel" || step === "ask" ? await readOrg(this.env.DB, s.orgId) : null;
    const prep: MinimumPrep = { orgName: org?.name ?? "", askees: null };
    if (step === "ask") {
      const keys = await signingKeys(this.env);
      const locale = org?.settings.defaultLocale ?? DEFAULT_LOCALE;
      const link = async (memberId: string, answer: MinimumAnswer) =>
        s.baseUrl + decisionPath(await decisionToken(keys, { sessionId: s.id, memberId, answer }));
      prep.askees = await Promise.all(
        (await membersOf(this.env.DB, s.orgId)).map(async (m) => ({
          email: m.email,
          locale,
          runLink: await link(m.id, "run"),
          cancelLink: await link(m.id, "cancel"),
        })),
      );
    }
    this.change(null, (s, now) => ok(applyMinimum(this.store, s, prep, now)));
  }

  // ─── registrations ───────────────────────────────────────────────────────────────────────

  /**
   * A member of the public registers (an Idempotency-Key makes a retry safe). `client` is the
   * caller's address or IPv6 /64 (auth/client-prefix.ts), null when the edge named none.
   */
  async register(
    input: PublicRegistrationInput,
    options: {
      idempotencyKey?: string | undefined;
      client?: string | null;
      payments?: boolean;
      discount?: DiscountQuote | null;
      /** The id the caller made for a new registration (its discount's use is claimed under it). */
      registrationId?: string;
      /** The caller refused the request (its discount code is used up): only a replay of an earlier answer goes ahead. */
      refusal?: Failure;
    } = {},
  ): Promise<Outcome<PublicRegistrationAnswer>> {
    const sessionId = this.store.sessionRecord()?.id;
    if (!sessionId) return NO_SESSION;
    const { idempotencyKey, client = null } = options;
    const idempotency = idempotencyKey ? { key: idempotencyKey, requestHash: await sha256Hex(canonicalJson(input)) } : null;
    const secrets = {
      manage: await this.newManageToken(sessionId),
      confirm: this.store.sessionRecord()?.confirmByEmail ? await newConfirmation(sessionId, oneTimeCode()) : null,
    };
    const clientKey = client && (await this.clientKey(sessionId, client));
    const payments = options.payments ?? false;
    const result = this.change(null, (s, now) =>
      registerPublic(this.store, s, input, secrets, idempotency, clientKey, now, payments, options.discount ?? null, {
        id: options.registrationId,
        refusal: options.refusal,
      }),
    );
    this.drainer.soon();
    // A hold awaiting confirmation lapses by the alarm.
    // A hold awaiting payment lapses by the alarm too.
    if (result.ok && (result.value.confirmation || result.value.payment)) await this.scheduleAlarm();
    return result;
  }

  /** The registrant confirms their address with the emailed code (a session that confirms by email). */
  async confirmWithCode(registrationId: string, code: string): Promise<Outcome<PublicRegistrationAnswer>> {
    const found = this.store.registration(registrationId);
    if (!found?.confirmTokenHash) return fail("not_found", "No such registration awaits a confirmation.");
    const codeHash = await confirmationCodeHash(found.confirmTokenHash, code);
    return this.confirm(found, { kind: "code", codeHash });
  }

  /** The registrant follows the emailed link (the hosted page /c/{token}). */
  async confirmWithLink(token: string): Promise<Outcome<PublicRegistrationAnswer>> {
    const hash = await presentedHash(token);
    const found = hash ? this.store.registrationByConfirmHash(hash) : undefined;
    if (!found) return fail("not_found", "This link is not valid.");
    return this.confirm(found, { kind: "link" });
  }

  private async confirm(
    found: { id: string; manageTokenSalt: string; manageTokenHash: string },
    proof: { kind: "link" } | { kind: "code"; codeHash: string },
  ): Promise<Outcome<PublicRegistrationAnswer>> {
    const sessionId = this.store.sessionRecord()!.id;
    // The cancel link the confirmation email carries, derived again from the registration's salt.
    const manage = await derivedToken(await signingKeys(this.env), "manage", sessionId, found.manageTokenSalt, found.manageTokenHash);
    const result = this.change(null, (s, now) => confirmPublic(this.store, s, this.store.registration(found.id)!, proof, manage, now));
    this.drainer.soon();
    return result;
  }

  /** What a checkout page shows of a registration that owes a payment (not_found for any other). */
  async checkoutView(registrationId: string): Promise<Outcome<CheckoutView>> {
    const sessionId = this.store.sessionRecord()?.id;
    if (!sessionId || !this.store.registration(registrationId)?.amountDue)
      return fail("not_found", "No such registration awaits a payment.");
    return this.change(null, (s) => ok(checkoutViewOf(s, this.store.registration(registrationId)!)));
  }

  /**
   * A checkout's outcome for a registration awaiting payment (the dev checkout page, or the payment
   * provider's event): paid confirms it, with the usual confirmation and its cancel link; given up
   * frees the seat. Repeats and late arrivals are decided by the registration's state (payments/decide.ts).
   */
  async settlePayment(registrationId: string, outcome: CheckoutOutcome, payment: ProviderPayment | null = null): Promise<Outcome<Settled>> {
    const sessionId = this.store.sessionRecord()?.id;
    const found = sessionId ? this.store.registration(registrationId) : undefined;
    if (!sessionId || !found?.amountDue) return fail("not_found", "No such registration awaits a payment.");
    const manage = await derivedToken(await signingKeys(this.env), "manage", sessionId, found.manageTokenSalt, found.manageTokenHash);
    const result = this.change(null, (s, now) => settle(this.store, s, this.store.registration(found.id)!, outcome, manage, now, payment));
    this.drainer.soon();
    return result;
  }

  /** Keeps the id of the provider's checkout made for a registration awaiting payment. */
  async attachCheckout(registrationId: string, checkoutId: string): Promise<Outcome<{ checkoutId: string }>> {
    const found = this.store.registration(registrationId);
    if (!found?.amountDue) return fail("not_found", "No such registration awaits a payment.");
    return this.change(null, () => attachCheckout(this.store, this.store.registration(registrationId)!, checkoutId));
  }

  /** What a registration owes back (payments/refunds.ts reads it before making the refund). */
  async refundOrder(registrationId: string): Promise<Outcome<RefundOrder>> {
    const found = this.store.registration(registrationId);
    if (!found?.amountDue) return fail("not_found", "No such paid registration.");
    return this.change(null, (s) => ok(refundOrderOf(s, this.store.registration(registrationId)!)));
  }

  /** Money that went back for a registration: announces payment.refunded the first time. */
  async recordRefund(registrationId: string, refund: RefundRecord): Promise<Outcome<RegistrationView>> {
    const found = this.store.registration(registrationId);
    if (!found?.amountDue) return fail("not_found", "No such paid registration.");
    const result = this.change(null, () =>
      ok(this.store.registrationView(recordRefund(this.store, this.store.registration(registrationId)!, refund))),
    );
    this.drainer.soon();
    return result;
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
    const result = this.change(orgId, (s, now) => addByProvider(this.store, s, input, manage, actor, now));
    this.drainer.soon();
    return result;
  }

  /** The provider removes a participant (or takes someone off the waitlist). */
  async cancelRegistration(orgId: string, registrationId: string): Promise<Outcome<RegistrationView>> {
    // Another org's session answers as an unknown registration would: nothing to tell apart.
    const notFound = "No such registration.";
    const result = this.change(orgId, (_s, now) =>
      cancelFound(this.store, this.store.registration(registrationId), "provider", notFound, now),
    );
    if (result.ok) this.drainer.soon();
    return result.ok || result !== NO_SESSION ? result : fail("not_found", notFound);
  }

  /** The participant's own cancel link. */
  async cancelByManageToken(token: string): Promise<Outcome<RegistrationView>> {
    const hash = (await presentedHash(token)) ?? "";
    const notFound = "This link is not valid.";
    const result = this.change(null, (_s, now) =>
      cancelFound(this.store, this.store.registrationByManageHash(hash), "participant", notFound, now),
    );
    // A link that finds nothing changed nothing: no drain, no alarm.
    if (result.ok) this.drainer.soon();
    return result.ok || result !== NO_SESSION ? result : fail("not_found", notFound);
  }

  /** The participant's own page cancels their live registration here (the page's sign-in vouched for the address). */
  async cancelForPerson(orgId: string, email: string): Promise<Outcome<RegistrationView>> {
    const notFound = "No such registration.";
    const result = this.change(orgId, (_s, now) =>
      cancelFound(this.store, this.store.liveRegistration(email), "participant", notFound, now),
    );
    if (result.ok) this.drainer.soon();
    return result.ok || result !== NO_SESSION ? result : fail("not_found", notFound);
  }

  /**
   * Emails a registrant their manage link again, when this address is registered (see
   * resendManageLink). The answer is the same for any address, and so is the work before it.
   */
  async sendManageLink(email: string): Promise<Outcome<null>> {
    const s = this.store.sessionRecord();
    if (!s) return NO_SESSION;
    const live = this.store.liveRegistration(email);
    const manage = await derivedToken(
      await signingKeys(this.env),
      "manage",
      s.id,
      live?.manageTokenSalt ?? randomSecret(16),
      live?.manageTokenHash,
    );
    this.change(null, (_s, now) => resendManageLink(this.store, email, manage, now));
    this.drainer.soon();
    return ok(null);
  }

  /**
   * The code page's list (seed 004): with the right code, those registered as "First I."; a wrong
   * code is counted for the client and the session (10 a client, then 429 until the hour ends).
   */
  async codePage(code: string, client: string | null): Promise<Outcome<CodePageEntry[]>> {
    const sessionId = this.store.sessionRecord()?.id;
    if (!sessionId) return NO_SESSION;
    const clientKey = client && (await this.clientKey(sessionId, client));
    return this.change(null, (s, now) => codePageList(this.store, s, code, clientKey, now));
  }

  /**
   * "That's me" on the code page: the registration's address and language when its page's link may
   * be sent now (the manage link's cooldown, counted here), else null. The caller sends the link
   * (pages/own-page-link.ts: the participant's page lives in D1) and answers the same either way.
   */
  claimOwnPageLink(registrationId: string): Outcome<OwnPageRecipient | null> {
    return this.change(null, (s, now) => claimOwnPageLink(this.store, s, registrationId, now));
  }

  /** What the participant's own link shows before they decide: who, which session, and where they stand. */
  async manageView(token: string): Promise<Outcome<ManageView>> {
    const hash = (await presentedHash(token)) ?? "";
    const result = this.change(null, (s, now) => {
      const r = this.store.registrationByManageHash(hash);
      if (!r) return fail("not_found", "This link is not valid.");
      const { id, name, status, locale } = r;
      return ok({
        registration: { id, name, status, locale, waitlistPosition: this.store.waitlistPosition(r) },
        session: publicSessionView(s, this.store.counts(), now),
        onlineUrl: status === "confirmed" ? s.onlineUrl : null,
        // A paid seat: what was paid and until when cancelling refunds it, as its confirmation said.
        paid: status === "confirmed" && r.paidAt ? (paidNote(s, r, now).paid ?? null) : null,
      });
    });
    return result.ok || result !== NO_SESSION ? result : fail("not_found", "This link is not valid.");
  }

  /** Everyone the session concerns: its registrations (waitlist in order) and its invitations; and its mail that is stuck or failed. */
  roster(orgId: string): Outcome<Roster & { mail: MailStatus }> {
    return this.change(orgId, (s, now) => ok({ ...rosterOf(this.store, s, now), mail: mailStatusOf(this.store, now) }));
  }

  // ─── invitations ─────────────────────────────────────────────────────────────────────────

  /**
   * Invites up to 200 people at once. Invalid addresses refuse the whole request; duplicates and
   * people already invited or registered are skipped and reported. Invitations that hold seats
   * need the seats, unless the provider explicitly raises the capacity by the shortfall.
   */
  async createInvitations(
    orgId: string,
    input: NewInvitationsInput & { chosen?: ChosenPerson[] },
    actor: Actor,
  ): Promise<Outcome<CreatedInvitations>> {
    const parsed = decideRecipients(input.recipients ?? [], input.chosen);
    if (!parsed.ok) return parsed;
    const s = this.store.sessionRecord();
    if (!s || s.orgId !== orgId) return NO_SESSION;
    const expiryProblem = fixedExpiryProblem(iso(input.expiresAt), iso(input.sendAt), this.now());
    if (expiryProblem)
      return fail("validation_failed", `expiresAt ${expiryProblem.message}.`, undefined, [
        fieldError("expiresAt", expiryProblem.code, expiryProblem.message),
      ]);
    const keys = await signingKeys(this.env);
    const tokens = new Map(
      await Promise.all(parsed.value.recipients.map(async (r) => [r.position, await newInvitationToken(keys, s.id)] as const)),
    );
    const result = this.change(orgId, (s, now) => invite(this.store, s, parsed.value, tokens, input, actor, now));
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
    // Another org's session answers as an unknown invitation would: nothing to tell apart.
    if (result === NO_SESSION) return fail("not_found", "No such invitation.");
    if (!result.ok) return result;
    const [skip] = result.value.skipped;
    if (skip) return fail(skip.code as "not_found" | "invalid_transition", skip.detail);
    return ok(result.value.invitations[0]!);
  }

  /** New words for the email of an invitation still to send (PATCH /v1/invitations/{id}). */
  async editInvitationWords(orgId: string, invitationId: string, words: Partial<InvitationWords>): Promise<Outcome<InvitationView>> {
    const result = this.change(orgId, (_s, now) => {
      const row = this.store.invitation(invitationId);
      if (!row) return fail("not_found", "No such invitation.");
      const next = withWords(row, words, now);
      return next.ok ? ok(this.store.invitationView(this.store.updateInvitation(row, next.value), now)) : next;
    });
    // Another org's session answers as an unknown invitation would.
    if (result === NO_SESSION) return fail("not_found", "No such invitation.");
    await this.afterInvitationChange();
    return result;
  }

  /**
   * The roster's buttons: "Send invitations" sends every one still to send, "Resend invitations"
   * every pending one, or just the given ids. Each refusal is reported; the others go ahead.
   */
  async bulkAction(orgId: string, action: BulkInvitationAction, ids?: string[]): Promise<Outcome<BulkResult>> {
    const s = this.store.sessionRecord();
    if (!s || s.orgId !== orgId) return NO_SESSION;
    // The candidates are chosen, and their links derived (an await), before the transaction.
    // Without ids: "Send all" sends every one to send (kept or scheduled), "Resend all" every one sent.
    const from: readonly InvitationStatus[] = action === "send" ? TO_SEND_INVITATION_STATUSES : ["sent"];
    const candidates = ids
      ? this.store.invitationsIn(ids.slice(0, 1000))
      : from.flatMap((status) => this.store.invitationsWithStatus(status)).filter((r) => from.includes(effectiveStatus(r, this.now())));
    const links = action === "cancel" ? new Map<string, string>() : await this.linksFor(candidates);
    const result = this.change(orgId, (_s, now) => bulkMove(this.store, action, candidates, ids, links, now));
    await this.afterInvitationChange();
    return result;
  }

  /** What the invitation link shows. */
  async openInvitation(token: string): Promise<Outcome<InviteLink>> {
    const found = await this.invitationByToken(token);
    if (!found) return NO_LINK;
    const result = this.change(null, (s, now) => linkView(this.store, s, this.store.invitation(found.id), now));
    return result === NO_SESSION ? NO_LINK : result;
  }

  /** Re-opens a declined invitation from its link (the person changed their mind). */
  async reopenInvitation(token: string): Promise<Outcome<InviteLink>> {
    const found = await this.invitationByToken(token);
    if (!found) return NO_LINK;
    const result = this.change(null, (s, now) => reopen(this.store, s, this.store.invitation(found.id)!, now));
    await this.afterInvitationChange();
    return result;
  }

  /** An invitation's history: its creation and every move of its status, oldest first. */
  invitationHistory(orgId: string, invitationId: string): Outcome<{ at: string; event: InvitationEvent }[]> {
    return this.change(orgId, () =>
      this.store.invitation(invitationId) ? ok(this.store.invitationHistory(invitationId)) : fail("not_found", "No such invitation."),
    );
  }

  /** Emails a six-digit code to the invited address (for invitations that require it). */
  async requestInvitationCode(token: string): Promise<Outcome<{ sentTo: string; expiresAt: string; address: string }>> {
    const found = await this.invitationByToken(token);
    if (!found) return NO_LINK;
    const code = oneTimeCode();
    const codeHash = await hashCode(found.id, code);
    const result = this.change(null, (s, now) => issueCode(this.store, s, this.store.invitation(found.id)!, code, codeHash, now));
    if (result.ok) this.drainer.soon();
    return result;
  }

  /**
   * Accepts through the link: takes the held seat (even in a full session) or asks for one. In a
   * priced session the seat may await payment (`payments`: whether this request can start a
   * checkout); the answer then carries `payment`.
   */
  async acceptInvitation(token: string, input: AcceptInput, options: { payments?: boolean } = {}): Promise<Outcome<RegistrationResult>> {
    const found = await this.invitationByToken(token);
    if (!found) return NO_LINK;
    const codeHash = input.code ? await hashCode(found.id, input.code) : null;
    return this.acceptPaying(
      found.id,
      options.payments ?? false,
      (manage, pay, s, now) => accept(this.store, s, this.store.invitation(found.id)!, codeHash, input, manage, now, pay),
      (answer) => answer.registration.id,
    );
  }

  /**
   * An acceptance, with the invitation's discount claimed first as a typed code is on the public
   * path (discounts/check.ts claimTypedDiscount, under the new registration's id): a code expired
   * or used up since refuses with its discount_* code, holding nothing; the use goes back when no
   * registration is made under that id.
   */
  private async acceptPaying<T>(
    invitationId: string | undefined,
    payments: boolean,
    run: (manage: DerivedToken, pay: AcceptPayment, s: SessionRecord, now: Date) => Outcome<T>,
    made: (answer: T) => string | undefined,
  ): Promise<Outcome<T>> {
    const s = this.store.sessionRecord()!;
    const code = (invitationId && this.store.invitation(invitationId)?.discountCode) || null;
    const id = newChildId("reg", s.id);
    const claimed = code && s.priceAmount !== null ? await claimTypedDiscount(this.env.DB, s.id, code, id, this.now()) : null;
    if (claimed && !claimed.ok) return claimed;
    const manage = await this.newManageToken(s.id);
    const result = this.change(null, (s, now) => run(manage, { payments, discount: claimed?.value ?? null, id }, s, now));
    if (claimed && (!result.ok || made(result.value) !== id)) await release(this.env.DB, id);
    // Sets the alarm too, for a hold awaiting payment (the new registration's, or that of someone on
    // the waitlist who took the invitation's seat) to lapse by.
    await this.afterInvitationChange();
    return result;
  }

  /** Declines through the link: the held seat goes back to the public (or the waitlist). */
  async declineInvitation(token: string, code?: string): Promise<Outcome<{ status: "declined" }>> {
    const found = await this.invitationByToken(token);
    if (!found) return NO_LINK;
    const codeHash = code ? await hashCode(found.id, code) : null;
    const result = this.change(null, (s, now) => decline(this.store, s, this.store.invitation(found.id)!, codeHash, now));
    await this.afterInvitationChange();
    return result;
  }

  // ─── program invitations (programs/mailing.ts, pages/program.tsx) ───────────────────────

  /** The program email names this session: these addresses' invitations to send become sent, with no email of their own. */
  async sendForProgram(orgId: string, emails: string[]): Promise<Outcome<ProgramSend>> {
    const result = this.change(orgId, (s, now) => sendForProgram(this.store, s, emails, now));
    await this.afterInvitationChange();
    return result;
  }

  /** A person's place in this session, for the program page (the program link vouched for the address). */
  programSeat(orgId: string, email: string): Outcome<ProgramSessionSeat> {
    return this.change(orgId, (s, now) => ok(seatOfPerson(this.store, s, email, now)));
  }

  /** Accepts or declines a person's open invitation from the program page; answers their place afterwards and any refusal. */
  async answerProgramSeat(
    orgId: string,
    email: string,
    answer: "accept" | "decline",
    /** `locale`: the language of the page the person accepts on; the registration's emails speak it (else the invitation's). */
    options: { payments?: boolean; answering?: Answering; locale?: Locale } = {},
  ): Promise<
    Outcome<{ seat: ProgramSessionSeat; refusal: string | null; errors?: FieldError[]; registrationId?: string; checkout?: boolean }>
  > {
    const s = this.store.created() ? this.store.sessionRecord() : undefined;
    if (!s || s.orgId !== orgId) return NO_SESSION;
    const pending = answer === "accept" ? this.store.pendingInvitation(email, this.now()) : undefined;
    // `checkout`: the registration made (`registrationId`) holds its seat awaiting payment (a priced session); the caller sends the person to checkout.
    return this.acceptPaying(
      pending?.id,
      options.payments ?? false,
      (manage, pay, s, now) => {
        const answered = answerForPerson(this.store, s, email, answer, manage, now, pay, { ...options.answering, locale: options.locale });
        if (!answered.ok) return answered;
        const { refusal, errors, registrationId, payment } = answered.value;
        return ok({
          seat: seatOfPerson(this.store, this.store.sessionRecord()!, email, now),
          refusal,
          ...(errors ? { errors } : {}),
          ...(registrationId ? { registrationId } : {}),
          ...(payment ? { checkout: true } : {}),
        });
      },
      (answer) => answer.registrationId,
    );
  }

  /** Delivery news about one invitation: recordDeliveries with one update; not_found when unknown. */
  recordDelivery(invitationId: string, status: DeliveryStatus, at: string): Outcome<null> {
    const result = this.recordDeliveries([{ invitationId, status, at }]);
    if (!result.ok) return result;
    return result.value.unknown.length ? fail("not_found", "No such invitation.") : ok(null);
  }

  /** Delivery news from the mail provider, a batch at once (the consumer and the webhook call each ledger once per batch). */
  recordDeliveries(updates: DeliveryUpdate[]): Outcome<{ updated: number; unknown: string[] }> {
    if (!this.store.created()) return ok({ updated: 0, unknown: [...new Set(updates.map((u) => u.invitationId))] });
    const result = this.store.transaction(() => recordDeliveries(this.store, updates));
    if (result.updated > 0) this.drainer.soon();
    return ok(result);
  }

  // ─── mail that could not leave ───────────────────────────────────────────────────────────

  /** Emails the mail consumer gave up on: kept for a re-drive, their invitations marked failed. */
  recordDeadMail(messages: MailMessage[], reason: string, at: string): Outcome<{ kept: number }> {
    const result = this.store.transaction(() => keepDeadMail(this.store, messages, reason, at));
    this.drainer.soon();
    return ok(result);
  }

  /** Emails waiting longer than they should, and emails that failed. */
  mailStatus(orgId: string): Outcome<MailStatus> {
    return this.change(orgId, (_s, now) => ok(mailStatusOf(this.store, now)));
  }

  /** A member's "send them again": every dead email still worth sending goes back to the outbox. */
  async redriveMail(orgId: string): Promise<Outcome<Redriven>> {
    const result = this.change(orgId, (_s, now) => ok(redriveDeadMail(this.store, now)));
    await this.drainer.drain();
    return result;
  }

  // ─── a person's data ─────────────────────────────────────────────────────────────────────

  /** Everything this session holds about one address (the privacy export). */
  personRecords(orgId: string, email: string): Outcome<PersonInSession> {
    return this.change(orgId, (s, now) => ok(personRecords(this.store, s, email, now)));
  }

  /** Erases one address from this session, then waits for D1's copy to lose it too. */
  async erasePerson(orgId: string, email: string): Promise<Outcome<SessionErasure>> {
    const result = this.change(orgId, (s, now) => ok(erasePerson(this.store, s, email, now)));
    await this.drainer.drain();
    return result;
  }

  /** Cancels what a deactivated address still has open here (ledger/deactivation.ts), then waits for D1's copy. */
  async deactivatePerson(orgId: string, email: string): Promise<Outcome<SessionDeactivation>> {
    const result = this.change(orgId, (s, now) => ok(deactivatePerson(this.store, s, email, now)));
    await this.drainer.drain();
    return result;
  }

  /** The retention purge: erases what closed, or ended, before `cutoff` (an ISO instant). */
  async purge(orgId: string, cutoff: string): Promise<Outcome<PurgeCounts>> {
    const result = this.change(orgId, (s, now) => ok(purgeBefore(this.store, s, cutoff, now)));
    await this.drainer.drain();
    return result;
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
    ws.close(closeCodeFor(code), "bye");
  }

  // ─── drain and alarm ─────────────────────────────────────────────────────────────────────

  /** Writes pending projection rows to D1 and hands pending mail to the queue. Returns what is left. */
  async drain(): Promise<{ pending: number }> {
    if (!this.store.created()) return { pending: 0 };
    await this.drainer.drain();
    return { pending: this.store.pendingCount() };
  }

  override async alarm(): Promise<void> {
    this.drainer.alarmFired();
    // An alarm in a ledger holding no session has nothing to do (and no tables to read).
    if (!this.store.sessionRecord()) return;
    this.store.forgetAnswers(idempotencyCutoff(this.now()));
    await this.decideMinimumIfDue();
    // Time-driven work: send what is scheduled (links derived first), expire what is due.
    const due = this.store.dueToSend(this.now());
    const links = await this.linksFor(due);
    const now = this.now();
    this.store.transaction(() => catchUp(this.store, now, due, links));
    await this.drainer.drain();
    await this.scheduleAlarm();
  }

  // ─── the benchmark's floor ───────────────────────────────────────────────────────────────

  /**
   * One row in one transaction and nothing else: what the cheapest write to this object costs
   * (bench/registrations.mjs compares a registration with it). Only in development.
   */
  benchWrite(): Outcome<null> {
    if (this.env.ROLLCALL_ENV !== "development" || !this.store.created()) return NO_SESSION;
    const sql = this.ctx.storage.sql;
    // Its table made once per object, not inside every measured write.
    if (!this.benchTable) sql.exec("CREATE TABLE IF NOT EXISTS bench_writes (id INTEGER PRIMARY KEY, at TEXT NOT NULL)");
    this.benchTable = true;
    this.store.transaction(() => sql.exec("INSERT INTO bench_writes (at) VALUES (?)", this.now().toISOString()));
    return ok(null);
  }

  private benchTable = false;

  // ─── the shape every change takes ────────────────────────────────────────────────────────

  /**
   * One transaction on this session: load it (not_found for another org's, when `orgId` is given),
   * bring it up to the clock (due expiries), then run `step`, which decides and applies. Reads go
   * through here too: they write nothing unless the clock made something due.
   */
  private change<T>(orgId: string | null, step: (s: SessionRecord, now: Date) => Outcome<T>): Outcome<T> {
    if (!this.store.created()) return NO_SESSION;
    const now = this.now();
    return this.store.transaction(() => {
      const s = this.store.sessionRecord();
      if (!s || (orgId !== null && s.orgId !== orgId)) return NO_SESSION;
      catchUp(this.store, now);
      return step(this.store.sessionRecord()!, now);
    });
  }

  /** The public state of the session, up to the clock. */
  private publicState(): PublicSessionView | null {
    const state = this.change(null, (s, now) => ok(publicSessionView(s, this.store.counts(), now)));
    return state.ok ? state.value : null;
  }

  private async newManageToken(sessionId: string): Promise<DerivedToken> {
    return newDerivedToken(await signingKeys(this.env), "manage", sessionId);
  }

  /** A client as the ledger keeps it: a keyed hash of its address, so its storage holds no address. */
  private async clientKey(sessionId: string, client: string): Promise<string> {
    const mac = await hmacSha256(`client:${this.env.ROLLCALL_SIGNING_SECRET}`, `${sessionId}:${client}`);
    return base64url(mac.slice(0, 16));
  }

  private async invitationByToken(token: string) {
    const hash = await presentedHash(token);
    return hash && this.store.created() ? this.store.invitationByTokenHash(hash) : undefined;
  }

  /** The link tokens of these invitations, derived again from their salts (for sends). */
  private async linksFor(rows: { id: string; tokenSalt: string; tokenHash: string }[]): Promise<Map<string, string>> {
    const sessionId = this.store.sessionRecord()!.id;
    const keys = await signingKeys(this.env);
    const tokens = await Promise.all(rows.map((r) => invitationToken(keys, sessionId, r.tokenSalt, r.tokenHash)));
    return new Map(rows.map((r, i) => [r.id, tokens[i]!.token]));
  }

  private async afterInvitationChange(): Promise<void> {
    this.drainer.soon();
    await this.scheduleAlarm();
  }

  /** The alarm goes off at the next scheduled send, expiry, lapse of a hold or decision about the minimum, never later than one already set. */
  private async scheduleAlarm(): Promise<void> {
    // The clock may be a test's: its "when" becomes real time from now.
    const s = this.store.sessionRecord();
    const minimum = s ? minimumAlarmAt(minimumPolicy(s)) : null;
    const times = [this.store.nextScheduledSend(), this.store.earliestExpiry(), this.store.earliestHoldExpiry(), minimum]
      .filter((v): v is string => !!v)
      .map((v) => Date.parse(v));
    if (times.length) await this.drainer.alarmNoLaterThan(Date.now() + Math.max(0, Math.min(...times) - this.now().getTime()));
  }

  private now(): Date {
    return this.clock.now();
  }
}
