// The session ledger's own SQLite tables (one Durable Object per session). Everything about the
// session lives here; D1 only ever receives copies through the projection outbox.

import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Answers, FormField } from "../forms/schema";
import { LOCALES } from "../i18n/locales";
import { INVITATION_EVENTS, INVITATION_STATUSES } from "../invitations/statuses";
import { CANCELLED_BY, REGISTRATION_SOURCES, REGISTRATION_STATUSES } from "../registrations/statuses";
import { BELOW_MINIMUM, MINIMUM_DECISIONS } from "../sessions/minimum";
import { SESSION_STATUSES } from "../sessions/statuses";

/**
 * Every row the D1 projection copies carries two numbers: `version` grows with each write (the
 * store bumps it in the write itself), `projected_version` is the version D1 last received. A row
 * whose version is ahead is stale; nothing else marks it.
 */
const projected = {
  version: integer("version").notNull().default(1),
  projectedVersion: integer("projected_version").notNull().default(0),
};

export const session = sqliteTable("session", {
  id: text("id").primaryKey(),
  orgId: text("org_id").notNull(),
  title: text("title").notNull(),
  description: text("description").notNull(),
  startsAt: text("starts_at").notNull(),
  timeZone: text("time_zone").notNull(),
  durationMinutes: integer("duration_minutes").notNull(),
  minParticipants: integer("min_participants").notNull(),
  capacity: integer("capacity").notNull(),
  hostCountsAsParticipant: integer("host_counts", { mode: "boolean" }).notNull(),
  registrationOpensAt: text("registration_opens_at"),
  /** Null means "when the session starts". */
  registrationClosesAt: text("registration_closes_at"),
  registrationCode: text("registration_code"),
  waitlist: integer("waitlist", { mode: "boolean" }).notNull(),
  /** Public registrations hold their seat until the registrant confirms the address by email. */
  confirmByEmail: integer("confirm_by_email", { mode: "boolean" }).notNull().default(false),
  /** Shown in the org's public listing; false: reachable by its link only. */
  listed: integer("listed", { mode: "boolean" }).notNull().default(true),
  /** JSON array of the session's tags (the public listing filters by them). */
  tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  /** Where it takes place (public). */
  location: text("location"),
  /** The meeting link (https): only confirmed participants are given it. */
  onlineUrl: text("online_url"),
  /**
   * The SEQUENCE of the last calendar file sent for this session's event (every participant's file
   * has the same UID): each new file takes a higher one, so the newest always wins (email/calendar/sequence.ts).
   */
  calendarSequence: integer("calendar_sequence").notNull().default(0),
  /** The registration form's current fields (a copy of its latest row in form_versions); null: no form. */
  form: text("form", { mode: "json" }).$type<FormField[]>(),
  /** The version of `form`; answers carry the version they were given against. */
  formVersion: integer("form_version"),
  /** What a seat costs, in the currency's minor units, and the ISO 4217 currency; both null: free. */
  priceAmount: integer("price_amount"),
  priceCurrency: text("price_currency"),
  /** A participant's own cancellation is refunded in full until this many days before the start; null: never. */
  refundUntilDays: integer("refund_until_days"),
  status: text("status", { enum: SESSION_STATUSES }).notNull(),
  /** When the minimum is decided (sessions/minimum.ts); null: 48 hours before the start. */
  decisionAt: text("decision_at"),
  /** What happens when the minimum is not met at decisionAt: cancel, or ask the org's members. */
  belowMinimum: text("below_minimum", { enum: BELOW_MINIMUM }).notNull().default("cancel"),
  /** What was decided about the minimum: null until decisionAt; asked waits for a member's answer. */
  minimumDecision: text("minimum_decision", { enum: MINIMUM_DECISIONS }),
  /** When the members were asked (belowMinimum ask). */
  minimumAskedAt: text("minimum_asked_at"),
  /** When the decision became final (run or cancelled). */
  minimumDecidedAt: text("minimum_decided_at"),
  /** Who made it final: "system", or the address of the member who answered. */
  minimumDecidedBy: text("minimum_decided_by"),
  /** Origin the session was created through; links in its emails point there. */
  baseUrl: text("base_url").notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
  cancelledAt: text("cancelled_at"),
  // Seat counters, kept by the store in the same transaction as every row they count (see
  // sessions/seats.ts for the rule; test/worker/ledger-counters.test.ts checks them against it).
  confirmedCount: integer("confirmed_count").notNull().default(0),
  waitlistedCount: integer("waitlisted_count").notNull().default(0),
  /** Invitations holding a seat whose stored status is pending (due expiries are closed first). */
  heldCount: integer("held_count").notNull().default(0),
  /** Invitations whose stored status is pending, holding a seat or not. */
  pendingInvitationCount: integer("pending_invitation_count").notNull().default(0),
  /** The last place handed out on the waitlist. */
  lastWaitlistSeq: integer("last_waitlist_seq").notNull().default(0),
  /** Registrations awaiting their email confirmation (with a held seat or a place in line). */
  unconfirmedCount: integer("unconfirmed_count").notNull().default(0),
  ...projected,
});

/**
 * Every version of the session's registration form, never changed once written: an edit adds one,
 * so answers given against an older version keep their labels and choices (the roster, the CSV).
 */
export const formVersions = sqliteTable("form_versions", {
  version: integer("version").primaryKey(),
  fields: text("fields", { mode: "json" }).$type<FormField[]>().notNull(),
  createdAt: text("created_at").notNull(),
});

/** Every capacity change that went above what was planned, with who decided it and why. */
export const capacityChanges = sqliteTable("capacity_changes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  at: text("at").notNull(),
  actor: text("actor").notNull(),
  from: integer("from_capacity").notNull(),
  to: integer("to_capacity").notNull(),
  reason: text("reason").notNull(),
});

export const registrations = sqliteTable(
  "registrations",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    /** Lower-cased address: one registration per address per session. */
    emailKey: text("email_key").notNull(),
    status: text("status", { enum: REGISTRATION_STATUSES }).notNull(),
    source: text("source", { enum: REGISTRATION_SOURCES }).notNull(),
    invitationId: text("invitation_id"),
    answers: text("answers", { mode: "json" }).$type<Answers>(),
    /** The form version the answers were given against (null: no form then). */
    formVersion: integer("form_version"),
    discountCode: text("discount_code"),
    locale: text("locale", { enum: LOCALES }).notNull(),
    manageTokenHash: text("manage_token_hash").notNull(),
    /** The registrant's cancel link is derived from this salt (see ids.ts derivedToken). */
    manageTokenSalt: text("manage_token_salt").notNull().default(""),
    /** Order on the waitlist; also kept after promotion for the record. */
    waitlistSeq: integer("waitlist_seq"),
    createdAt: text("created_at").notNull(),
    promotedAt: text("promoted_at"),
    cancelledAt: text("cancelled_at"),
    cancelledBy: text("cancelled_by", { enum: CANCELLED_BY }),
    /**
     * The client a public registration came from: a keyed hash of its address or IPv6 /64, never
     * the address. What it may hold without a seat is capped (registrations/decide.ts).
     */
    clientKey: text("client_key"),
    /** Awaiting confirmation or payment: when the hold lapses. */
    confirmExpiresAt: text("confirm_expires_at"),
    /** The emailed confirmation link's secret and code, hashed; the code's wrong tries. */
    confirmTokenHash: text("confirm_token_hash"),
    confirmCodeHash: text("confirm_code_hash"),
    confirmAttempts: integer("confirm_attempts").notNull().default(0),
    /** When the registrant proved the address is theirs (confirmByEmail). */
    emailConfirmedAt: text("email_confirmed_at"),
    /** In a priced session: what the registrant owes at checkout (minor units) and its currency. */
    amountDue: integer("amount_due"),
    currency: text("currency"),
    /** The session's price (minor units, in `currency`) when the amount due was set, before its discount. */
    priceAmount: integer("price_amount"),
    /** When the payment came in (checkout completed). */
    paidAt: text("paid_at"),
    /** A payment that came in for no seat (the hold lapsed and the seat was taken): owed back. */
    refundDueAt: text("refund_due_at"),
    /** The payment provider's checkout (Stripe: the Checkout Session id) created for this registration. */
    checkoutId: text("checkout_id"),
    /** The provider's payment (Stripe: the PaymentIntent id), known once paid: what a refund refers to. */
    paymentId: text("payment_id"),
    /** When money went back, and how much in all (minor units): made by us, or by the provider's dashboard. */
    refundedAt: text("refunded_at"),
    refundedAmount: integer("refunded_amount"),
    /** When the registrant last asked for their manage link by email (one email per cooldown). */
    manageLinkSentAt: text("manage_link_sent_at"),
    /** When the person's data was erased or purged (privacy/): name, address and answers are gone; status and counts stay. */
    erasedAt: text("erased_at"),
    ...projected,
  },
  (t) => [
    uniqueIndex("registrations_live_email").on(t.emailKey).where(sql`status != 'cancelled'`),
    index("registrations_client").on(t.clientKey, t.status).where(sql`client_key is not null`),
    uniqueIndex("registrations_confirm_token").on(t.confirmTokenHash).where(sql`confirm_token_hash is not null`),
    index("registrations_unconfirmed").on(t.confirmExpiresAt).where(sql`status = 'pending_confirmation'`),
    index("registrations_waitlist").on(t.status, t.waitlistSeq),
    uniqueIndex("registrations_manage").on(t.manageTokenHash),
    index("registrations_stale").on(t.id).where(sql`version > projected_version`),
  ],
);

export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    emailKey: text("email_key").notNull(),
    name: text("name"),
    holdSeat: integer("hold_seat", { mode: "boolean" }).notNull(),
    discountCode: text("discount_code"),
    status: text("status", { enum: INVITATION_STATUSES }).notNull(),
    sendAt: text("send_at"),
    sentAt: text("sent_at"),
    sendCount: integer("send_count").notNull(),
    /** Fixed at creation (expiresAt) or set when sent (sentAt + expiresInDays). */
    expiresAt: text("expires_at"),
    expiresInDays: integer("expires_in_days"),
    subject: text("subject"),
    buttonText: text("button_text"),
    message: text("message"),
    locale: text("locale", { enum: LOCALES }).notNull(),
    requireEmailMatch: integer("require_email_match", { mode: "boolean" }).notNull(),
    /** Seats this invitation's creation added to the capacity (its share of the shortfall). */
    raisedCapacity: integer("raised_capacity").notNull(),
    linkTemplate: text("link_template"),
    tokenSalt: text("token_salt").notNull(),
    tokenHash: text("token_hash").notNull(),
    delivery: text("delivery"),
    deliveryAt: text("delivery_at"),
    registrationId: text("registration_id"),
    codeHash: text("code_hash"),
    codeExpiresAt: text("code_expires_at"),
    codeAttempts: integer("code_attempts").notNull(),
    /** Wrong codes since the provider last sent the invitation, across all its codes (invitations/decide.ts). */
    codeFailures: integer("code_failures").notNull().default(0),
    /** When each code emailed in the last day went out (invitations/decide.ts caps them). */
    codesSentAt: text("codes_sent_at", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    closedAt: text("closed_at"),
    /** When the invited person last re-opened it after declining (the roster flags it). */
    reopenedAt: text("reopened_at"),
    /** When the person's data was erased or purged (privacy/): address, name and message are gone. */
    erasedAt: text("erased_at"),
    ...projected,
  },
  (t) => [
    uniqueIndex("invitations_token").on(t.tokenHash),
    index("invitations_email").on(t.emailKey),
    index("invitations_status").on(t.status),
    index("invitations_stale").on(t.id).where(sql`version > projected_version`),
  ],
);

/** Each invitation's history: its creation and every move of its status, in order (see eventOf). */
export const invitationEvents = sqliteTable(
  "invitation_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    invitationId: text("invitation_id").notNull(),
    at: text("at").notNull(),
    event: text("event", { enum: INVITATION_EVENTS }).notNull(),
  },
  (t) => [index("invitation_events_invitation").on(t.invitationId, t.id)],
);

/** Answers already given to an `Idempotency-Key`, so a retried request is answered, not redone. */
export const idempotency = sqliteTable("idempotency", {
  key: text("key").primaryKey(),
  requestHash: text("request_hash").notNull(),
  response: text("response", { mode: "json" }).notNull(),
  createdAt: text("created_at").notNull(),
});

/**
 * Wrong registration codes in the current window (registrations/decide.ts): one row for the whole
 * session (`session`), one per client (`client:` and a keyed hash of its address or /64, never
 * the address itself).
 */
export const codeFailures = sqliteTable("code_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: text("window_started_at").notNull(),
});

/** Emails decided by a committed change, waiting to be handed to the mail queue. */
export const mailOutbox = sqliteTable("mail_outbox", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  message: text("message", { mode: "json" }).notNull(),
  createdAt: text("created_at").notNull(),
});

/**
 * Emails that could not leave: refused by the mail queue (too large for it), or given up by the
 * mail consumer after an hour of outage. The roster counts them as failed; a member re-drives them
 * (they go back to the outbox under new ids).
 */
export const mailDead = sqliteTable("mail_dead", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** The id the email had when it died: the same dead email is kept once. */
  messageId: text("message_id").notNull().unique(),
  message: text("message", { mode: "json" }).notNull(),
  reason: text("reason").notNull(),
  failedAt: text("failed_at").notNull(),
});

/**
 * Webhook events decided by a committed change (webhooks/events.ts), written in the same
 * transaction as the change, waiting to be handed to the webhook queue. The id orders one
 * session's events (it travels as the event's `sequence`).
 */
export const eventOutbox = sqliteTable("event_outbox", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  eventId: text("event_id").notNull(),
  type: text("type").notNull(),
  data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  createdAt: text("created_at").notNull(),
});

/**
 * Refunds to make: a registration whose refundDueAt went from null to a time (store.updateRegistration)
 * gets a row in the same transaction; the drainer hands it to the refunds queue and forgets it once
 * queued, and the consumer makes the refund (payments/refunds.ts), at most once per registration.
 */
export const refundOutbox = sqliteTable("refund_outbox", {
  registrationId: text("registration_id").primaryKey(),
  createdAt: text("created_at").notNull(),
});
