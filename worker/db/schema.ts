// D1: organisation-level data, and the read-optimised projection of every session's ledger.
// The ledgers are the source of truth for sessions, registrations and invitations; the
// projection tables here exist for listing and searching across sessions.

import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const orgs = sqliteTable(
  "orgs",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** The org's public name in URLs (/o/{slug}, the public listing); unique; unset until chosen. */
    slug: text("slug"),
    /** JSON: sender name, reply-to, embed origins, invitation link template, default locale. */
    settings: text("settings", { mode: "json" }).$type<OrgSettings>().notNull().default({}),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("orgs_slug").on(t.slug)],
);

export type OrgSettings = {
  senderName?: string;
  replyTo?: string;
  embedOrigins?: string[];
  invitationLinkTemplate?: string;
  defaultLocale?: "en" | "fr"; // LOCALES (db imports no other folder: test/worker/vocabulary.test.ts keeps them equal)
  /** Months after which closed records, past sessions' personal data and the mail log are purged (unset: 18, worker/privacy/rules.ts). */
  retentionMonths?: number;
  /** Hosts may create sessions (which they then host); unset: no (seed 001's "Allow Group Sessions"). */
  hostsCanCreateSessions?: boolean;
  /** Hosts may invite people to the sessions they host, picking from the org's contacts; unset: no. */
  hostsCanInvite?: boolean;
  /** The org's word for a host, shown in the admin ("mentor", "trainer", "coach"); unset: "host". */
  hostLabel?: string;
};

/**
 * What a member may do: an owner also manages members, roles and the org's sensitive settings; a
 * host sees and runs only the sessions they host (worker/auth/permissions.ts).
 */
export const MEMBER_ROLES = ["owner", "admin", "host"] as const;

export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    email: text("email").notNull(),
    role: text("role", { enum: MEMBER_ROLES }).notNull(),
    createdAt: text("created_at").notNull(),
    /** The name participants see on the member's public page (/o/{org slug}/hosts/{publicSlug}); null: no page. */
    publicName: text("public_name"),
    /** The page's address within the org, made from the first name given and kept while there is one. */
    publicSlug: text("public_slug"),
  },
  (t) => [
    uniqueIndex("members_org_email").on(t.orgId, t.email),
    index("members_email").on(t.email),
    uniqueIndex("members_org_public_slug").on(t.orgId, t.publicSlug),
  ],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key, hex. The key itself is never stored. */
    hash: text("hash").notNull(),
    label: text("label").notNull(),
    createdAt: text("created_at").notNull(),
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
    /**
     * The member the key answers to: the one who made it in the hosted admin, or, for a key made
     * through the API, the one its maker key answers to. Null for the org's first key and keys made
     * with keys that answer to nobody (and keys older than this column). Removing the member
     * revokes the key. (No foreign key: the member row goes, the attribution stays.)
     */
    createdBy: text("created_by"),
    /** The key that made this one through POST /v1/api-keys. */
    createdWithKey: text("created_with_key"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash), index("api_keys_org").on(t.orgId), index("api_keys_created_by").on(t.createdBy)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    title: text("title").notNull(),
    startsAt: text("starts_at").notNull(),
    timeZone: text("time_zone").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    minParticipants: integer("min_participants").notNull(),
    capacity: integer("capacity").notNull(),
    status: text("status", { enum: ["scheduled", "cancelled"] }).notNull(),
    registrationOpensAt: text("registration_opens_at"),
    registrationClosesAt: text("registration_closes_at").notNull(),
    confirmed: integer("confirmed").notNull(),
    held: integer("held").notNull(),
    waitlisted: integer("waitlisted").notNull(),
    available: integer("available").notNull(),
    /** Shown in the org's public listing (sessions' `listed`). */
    listed: integer("listed", { mode: "boolean" }).notNull().default(true),
    /** JSON array of the session's tags, for the public listing's tag filter. */
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    /** The whole session as the ledger last described it (JSON), so reads need no second hop. */
    snapshot: text("snapshot").notNull(),
  },
  (t) => [index("sessions_org_starts").on(t.orgId, t.startsAt, t.id)],
);

export const registrations = sqliteTable(
  "registrations",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    orgId: text("org_id").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    status: text("status").notNull(),
    source: text("source").notNull(),
    invitationId: text("invitation_id"),
    createdAt: text("created_at").notNull(),
    cancelledAt: text("cancelled_at"),
    /** Set when the person's data was erased or purged for retention (worker/privacy/): name and email are empty. */
    erasedAt: text("erased_at"),
    /** The org's contact with this address (matched by email key; created when missing); none once erased. */
    contactId: text("contact_id"),
  },
  (t) => [
    index("registrations_session").on(t.sessionId),
    index("registrations_org_email").on(t.orgId, t.email),
    index("registrations_contact").on(t.contactId),
  ],
);

export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    orgId: text("org_id").notNull(),
    email: text("email").notNull(),
    name: text("name"),
    status: text("status").notNull(),
    delivery: text("delivery"),
    holdSeat: integer("hold_seat", { mode: "boolean" }).notNull(),
    sendAt: text("send_at"),
    sentAt: text("sent_at"),
    expiresAt: text("expires_at"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    /** Set when the person's data was erased or purged for retention (worker/privacy/): name and email are empty. */
    erasedAt: text("erased_at"),
    /** The org's contact with this address (matched by email key; created when missing); none once erased. */
    contactId: text("contact_id"),
  },
  (t) => [
    index("invitations_session").on(t.sessionId),
    index("invitations_org_email").on(t.orgId, t.email),
    index("invitations_contact").on(t.contactId),
  ],
);

// ─── email ───────────────────────────────────────────────────────────────────────────────────

/**
 * One row per mail message the queue consumer handled: what went to whom, the provider's id for
 * it (which is how a webhook finds the invitation), and its delivery status so far.
 */
export const mailLog = sqliteTable(
  "mail_log",
  {
    /** The MailMessage id (stable across retries). */
    messageId: text("message_id").primaryKey(),
    /** Resend's email id, or the dev outbox row's id. */
    providerId: text("provider_id"),
    transport: text("transport", { enum: ["resend", "dev"] }).notNull(),
    to: text("to").notNull(),
    template: text("template").notNull(),
    subject: text("subject"),
    invitationId: text("invitation_id"),
    sessionId: text("session_id"),
    /** DELIVERY_STATUSES, spelled out because db imports no other folder (test/worker/vocabulary.test.ts keeps them equal). */
    status: text("status", { enum: ["queued", "sent", "delivered", "delayed", "bounced", "complained", "failed"] }).notNull(),
    statusAt: text("status_at").notNull(),
    idempotencyKey: text("idempotency_key"),
    attempts: integer("attempts").notNull().default(1),
    error: text("error"),
    createdAt: text("created_at").notNull(),
    sentAt: text("sent_at"),
  },
  (t) => [
    uniqueIndex("mail_log_provider").on(t.providerId),
    index("mail_log_invitation").on(t.invitationId),
    index("mail_log_session").on(t.sessionId),
    // The hourly retention purge (worker/privacy/retention.ts) deletes by age.
    index("mail_log_created").on(t.createdAt),
  ],
);

/**
 * Each org's emails per hour (UTC), counted by the mail consumer before it sends, against the
 * hourly budget (MAIL_HOURLY_BUDGET): one org cannot spend the Resend account that also carries
 * everyone's sign-in links. `alerted_at`: when the owner was told the budget ran out (once per hour).
 */
export const mailBudget = sqliteTable(
  "mail_budget",
  {
    orgId: text("org_id").notNull(),
    /** The hour, as the ISO instant it starts at. */
    windowStart: text("window_start").notNull(),
    sent: integer("sent").notNull().default(0),
    /** How many the last reservation got (set by the same statement that counts them). */
    granted: integer("granted").notNull().default(0),
    alertedAt: text("alerted_at"),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.windowStart] }), index("mail_budget_window").on(t.windowStart)],
);

/** Webhook deliveries already handled, by their svix-id, so a replay changes nothing. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    receivedAt: text("received_at").notNull(),
  },
  (t) => [index("webhook_events_received").on(t.receivedAt)],
);

/** The local outbox: where mail goes when no RESEND_API_KEY is set (read at /dev/mail). */
export const devMail = sqliteTable(
  "dev_mail",
  {
    /** `dev_<message id>`: sending the same message twice keeps one copy, as Resend's keys do. */
    id: text("id").primaryKey(),
    messageId: text("message_id").notNull(),
    template: text("template").notNull(),
    from: text("from").notNull(),
    replyTo: text("reply_to"),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    attachments: text("attachments", { mode: "json" }).$type<{ filename: string; contentType: string; content: string }[]>(),
    createdAt: text("created_at").notNull(),
    /** "sms": a text kept by the SMS dev outbox (worker/sms/dev-outbox.ts); `to` is the number, `text` the text. */
    channel: text("channel", { enum: ["email", "sms"] })
      .notNull()
      .default("email"),
    /** A text's segment count (GSM-7 or UCS-2, worker/sms/segments.ts); null for an email. */
    segments: integer("segments"),
  },
  (t) => [index("dev_mail_created").on(t.createdAt)],
);

// ─── SMS ─────────────────────────────────────────────────────────────────────────────────────

/**
 * One row per mail message that went to a contact by SMS (worker/sms/). `intent_at` is written
 * before the first call to the provider and `sid` once it answers (or its status callback says):
 * a retry after an unknown outcome first looks for the text sent since `intent_at`, so a lost
 * answer never sends it twice.
 */
export const smsLog = sqliteTable(
  "sms_log",
  {
    /** The MailMessage id (stable across retries). */
    messageId: text("message_id").primaryKey(),
    transport: text("transport", { enum: ["twilio", "dev"] }).notNull(),
    /** E.164. */
    to: text("to").notNull(),
    template: text("template").notNull(),
    body: text("body").notNull(),
    /** The address of the mail message the text stands for: a person's erasure finds their texts by it, as their emails. */
    email: text("email"),
    segments: integer("segments").notNull(),
    invitationId: text("invitation_id"),
    sessionId: text("session_id"),
    /** Twilio's message SID, or the dev outbox row's id. */
    sid: text("sid"),
    /** DELIVERY_STATUSES, as mail_log spells them. */
    status: text("status", { enum: ["queued", "sent", "delivered", "delayed", "bounced", "complained", "failed"] }).notNull(),
    statusAt: text("status_at").notNull(),
    intentAt: text("intent_at"),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("sms_log_sid").on(t.sid), index("sms_log_created").on(t.createdAt)],
);

/**
 * Numbers that answered STOP (or ARRET…) and not START since: never texted again, whatever a
 * contact says. Kept as a hash only (worker/sms/opt-outs.ts), never the number: a person's erasure
 * and the retention purge leave this list alone, so an erased person who said STOP stays never texted.
 */
export const smsOptOuts = sqliteTable("sms_opt_outs", {
  /** SHA-256 of the E.164 number (optOutKey). */
  phoneHash: text("phone_hash").primaryKey(),
  at: text("at").notNull(),
});

/**
 * How the latest message about an invitation that could go by SMS went, for the roster's note
 * (worker/roster/): by SMS, or by email to a contact who chose SMS, and why (`fallback`: no_phone,
 * invalid_phone, opted_out, as worker/sms/channel.ts decides). Written by the SMS divert when it
 * decides a round; an invitation whose person does not choose SMS has no row. No personal data.
 */
export const invitationChannels = sqliteTable(
  "invitation_channels",
  {
    invitationId: text("invitation_id").primaryKey(),
    sessionId: text("session_id").notNull(),
    channel: text("channel", { enum: ["email", "sms"] }).notNull(),
    fallback: text("fallback", { enum: ["no_phone", "invalid_phone", "opted_out"] }),
    at: text("at").notNull(),
  },
  (t) => [index("invitation_channels_session").on(t.sessionId)],
);

// ─── hosted admin ────────────────────────────────────────────────────────────────────────────

/**
 * One-time links emailed to an address: signing a member in (15 minutes) or inviting a colleague
 * to become a member (72 hours). Only the SHA-256 of the link's secret is kept; a link is spent
 * by setting `used_at` in the same statement that checks it, so it works once.
 */
export const adminLinks = sqliteTable(
  "admin_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    purpose: text("purpose", { enum: ["sign_in", "member_invite"] }).notNull(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    email: text("email").notNull(),
    /** The member who sent a member invitation (null when an org's own API key sent it). */
    invitedBy: text("invited_by"),
    /** The role a member invitation gives (admin for invitations older than roles in invitations). */
    role: text("role", { enum: MEMBER_ROLES }),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
  },
  (t) => [index("admin_links_org").on(t.orgId, t.purpose), index("admin_links_expires").on(t.expiresAt)],
);

/**
 * Every change to an org's name or settings: who made it (`member:<id>` or `key:<id>`, and their
 * address or key label at the time), when, and each field's value before and after. Owners read
 * them in the hosted admin's settings.
 */
export const orgSettingsChanges = sqliteTable(
  "org_settings_changes",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    at: text("at").notNull(),
    actor: text("actor").notNull(),
    actorName: text("actor_name").notNull(),
    changes: text("changes", { mode: "json" }).$type<{ field: string; from: unknown; to: unknown }[]>().notNull(),
  },
  (t) => [index("org_settings_changes_org").on(t.orgId, t.at)],
);

/** Signed-in members of the hosted admin: the cookie holds a secret, D1 its SHA-256. */
export const adminSessions = sqliteTable(
  "admin_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    /** An owner or admin looking at the admin as this host sees it (read-only); null: their own view. */
    viewAsMemberId: text("view_as_member_id"),
  },
  (t) => [index("admin_sessions_member").on(t.memberId), index("admin_sessions_expires").on(t.expiresAt)],
);

// ─── the people directory ────────────────────────────────────────────────────────────────────

/**
 * The org's people. `email_key` (the address as `emailKey` folds it) is unique per org; a contact
 * without an address (reached by SMS) has none. `search` is the lower-cased "first last email"
 * the type-ahead matches. Erasure blanks the personal fields and sets `erased_at`, keeping the row
 * so counts and history stay whole.
 */
export const contacts = sqliteTable(
  "contacts",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    email: text("email"),
    emailKey: text("email_key"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    /** E.164. */
    phone: text("phone"),
    channel: text("channel", { enum: ["email", "sms"] }).notNull(),
    locale: text("locale", { enum: ["en", "fr"] }),
    /** The provider's word for the person: member, mentor, trainee, client… */
    type: text("type").notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    externalId: text("external_id"),
    notes: text("notes"),
    /** An instant: the contact becomes deactivated when it passes. */
    deactivateAt: text("deactivate_at"),
    status: text("status", { enum: ["active", "deactivated"] }).notNull(),
    search: text("search").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    erasedAt: text("erased_at"),
    /** How the contact came to be when not created by the provider: from an invitation or a registration. */
    createdFrom: text("created_from", { enum: ["invitation", "registration"] }),
  },
  (t) => [
    uniqueIndex("contacts_org_email").on(t.orgId, t.emailKey),
    index("contacts_org_external").on(t.orgId, t.externalId),
    index("contacts_deactivate").on(t.status, t.deactivateAt),
    // An inbound STOP sets every contact with the number back to email (worker/sms/webhooks.ts).
    index("contacts_phone").on(t.phone),
    // The contact list over a large directory (contacts/store.ts, contactListStatements). Each
    // holds every column a filter reads, so SQLite decides each candidate from the index alone:
    // the page, walked in name order;
    index("contacts_org_list").on(t.orgId, t.erasedAt, t.lastName, t.firstName, t.id, t.type, t.status, t.search),
    // counts by type, status or a short text, on narrower entries;
    index("contacts_org_filter").on(t.orgId, t.erasedAt, t.type, t.status, t.search),
    // and each member of a group or holder of a tag, looked up by id.
    index("contacts_lookup").on(t.id, t.orgId, t.erasedAt, t.type, t.status, t.lastName, t.firstName),
  ],
);

/**
 * Each tag of each contact, one row apiece, for the tag filter; kept equal to `contacts.tags` by
 * triggers (migrations/0010_contact_search.sql), whatever writes the contact.
 */
export const contactTags = sqliteTable(
  "contact_tags",
  {
    orgId: text("org_id").notNull(),
    tag: text("tag").notNull(),
    contactId: text("contact_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.tag, t.contactId] }), index("contact_tags_contact").on(t.contactId)],
);

/** A named set of contacts: a cohort, a class, a team. Names are unique per org, case-insensitively. */
export const groups = sqliteTable(
  "groups",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    name: text("name").notNull(),
    nameKey: text("name_key").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("groups_org_name").on(t.orgId, t.nameKey)],
);

export const groupMembers = sqliteTable(
  "group_members",
  {
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    contactId: text("contact_id")
      .notNull()
      .references(() => contacts.id),
    orgId: text("org_id").notNull(),
    addedAt: text("added_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.contactId] }), index("group_members_contact").on(t.contactId)],
);

/** A named series of sessions (a training program, a camp season), from `startsOn` in its zone. */
export const programs = sqliteTable(
  "programs",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    name: text("name").notNull(),
    /** A date (YYYY-MM-DD) in the program's zone. */
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on"),
    timeZone: text("time_zone").notNull(),
    /** The language of its invitations for people without one of their own; null: the org's default. */
    locale: text("locale", { enum: ["en", "fr"] }),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("programs_org").on(t.orgId, t.startsOn)],
);

/** Which sessions make up a program; a session belongs to at most one. */
export const programSessions = sqliteTable(
  "program_sessions",
  {
    sessionId: text("session_id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    orgId: text("org_id").notNull(),
    addedAt: text("added_at").notNull(),
  },
  (t) => [index("program_sessions_program").on(t.programId)],
);

/** Groups assigned to a program: their members, now and later, are invited to its sessions. */
export const programGroups = sqliteTable(
  "program_groups",
  {
    programId: text("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    orgId: text("org_id").notNull(),
    assignedAt: text("assigned_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.groupId] }), index("program_groups_group").on(t.groupId)],
);

/**
 * Sign-in links asked for, per address and UTC day (auth/sign-in-cap.ts): past the day's cap the
 * sign-in form answers 429 until the next day, for members and strangers alike (it counts
 * requests, so it says nothing about who is a member). The address is kept only as the SHA-256 of
 * its normalised form; rows of past days are deleted as new ones are counted.
 */
export const signInRequests = sqliteTable(
  "sign_in_requests",
  {
    addressHash: text("address_hash").notNull(),
    /** YYYY-MM-DD, in UTC. */
    day: text("day").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.addressHash, t.day] }), index("sign_in_requests_day").on(t.day)],
);

// ─── program invitations: the fan-out (programs/fanout.ts) ────────────────────────────────────

/**
 * One fan-out: people × sessions of a program, invited through the `rollcall-fanout` queue in
 * chunks. `total` is the pairs to invite; `done` and `failed` are recomputed from the chunks, so a
 * chunk handled twice is counted once. `trigger` says which path made it (the invitations route, a
 * group assigned, a member added to an assigned group, a session attached).
 */
export const invitationJobs = sqliteTable(
  "invitation_jobs",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    trigger: text("trigger", { enum: ["invitations", "groups", "members", "sessions"] }).notNull(),
    holdSeat: integer("hold_seat", { mode: "boolean" }).notNull(),
    /** The organiser's subject, button words and message for the program emails naming this job's invitations; null: the defaults. */
    subject: text("subject"),
    buttonText: text("button_text"),
    message: text("message"),
    /** The program emails are kept to send until the organiser sends them (send: "later"); false once they may go. */
    sendLater: integer("send_later", { mode: "boolean" }).notNull().default(false),
    people: integer("people").notNull(),
    sessions: integer("sessions").notNull(),
    total: integer("total").notNull(),
    done: integer("done").notNull(),
    failed: integer("failed").notNull(),
    status: text("status", { enum: ["running", "done"] }).notNull(),
    createdAt: text("created_at").notNull(),
    finishedAt: text("finished_at"),
  },
  (t) => [index("invitation_jobs_program").on(t.programId, t.createdAt)],
);

/** A job's unit of work, one queue message: some contacts × one session. Done once, whatever the redeliveries. */
export const invitationJobChunks = sqliteTable(
  "invitation_job_chunks",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => invitationJobs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    sessionId: text("session_id").notNull(),
    contactIds: text("contact_ids", { mode: "json" }).$type<string[]>().notNull(),
    status: text("status", { enum: ["pending", "done"] }).notNull(),
    done: integer("done").notNull(),
    failed: integer("failed").notNull(),
    doneAt: text("done_at"),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);

/**
 * Every (session, contact) pair a fan-out has taken on, and which job took it: a pair is claimed
 * once, so two jobs racing for the same people (a group assigned while the program's invitations
 * run, a member added twice) never invite anyone twice. The ledger's own check (no second
 * invitation to an address invited or registered) stays underneath.
 */
export const invitationJobPairs = sqliteTable(
  "invitation_job_pairs",
  {
    sessionId: text("session_id").notNull(),
    contactId: text("contact_id").notNull(),
    jobId: text("job_id").notNull(),
    orgId: text("org_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.contactId] }), index("invitation_job_pairs_job").on(t.jobId)],
);

/** Who a job could not invite, and why (a problem code); `session_id` is '' when no session was tried. */
export const invitationJobFailures = sqliteTable(
  "invitation_job_failures",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => invitationJobs.id, { onDelete: "cascade" }),
    contactId: text("contact_id").notNull(),
    sessionId: text("session_id").notNull(),
    reason: text("reason").notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.contactId, t.sessionId] })],
);

// ─── program invitation emails (programs/mailing.ts) and the program page (pages/program.tsx) ──

/**
 * One program invitation email: to one contact, naming the sessions of one program its pairs
 * list. `claimed` until it is handed to the mail queue (`queued`; `empty` when no session was left
 * to name), so a retry finishes what a failed attempt started rather than starting another.
 */
export const programMails = sqliteTable(
  "program_mails",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    contactId: text("contact_id").notNull(),
    status: text("status", { enum: ["claimed", "queued", "empty"] }).notNull(),
    /** The words it goes with, taken from the newest job of its pairs that had any when it was claimed. */
    subject: text("subject"),
    buttonText: text("button_text"),
    message: text("message"),
    createdAt: text("created_at").notNull(),
    queuedAt: text("queued_at"),
  },
  (t) => [index("program_mails_contact").on(t.programId, t.contactId), index("program_mails_status").on(t.status, t.createdAt)],
);

/**
 * Which (session, contact) pairs a program email names: each pair once, whatever path or retry
 * asked (the primary key is the claim), so no one is told twice about the same session.
 */
export const programMailPairs = sqliteTable(
  "program_mail_pairs",
  {
    sessionId: text("session_id").notNull(),
    contactId: text("contact_id").notNull(),
    mailId: text("mail_id").notNull(),
    programId: text("program_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.contactId] }), index("program_mail_pairs_mail").on(t.mailId)],
);

/**
 * Links to the program page (/programs/i/{token}), one per program email: the SHA-256 of a
 * random token, scoped to one contact and one program. The link lasts as long as the program
 * (its end is read when the link is used, so a program moved later keeps its links).
 */
export const programLinks = sqliteTable(
  "program_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    orgId: text("org_id").notNull(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    contactId: text("contact_id").notNull(),
    mailId: text("mail_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("program_links_contact").on(t.programId, t.contactId)],
);

// ─── the participant's own page (/p, worker/participants/) ─────────────────────────────────────

/**
 * One-time links to a person's own page in one org, sent to their address when they ask (15
 * minutes, single use, like the admin's sign-in links). `email` is the address's key (emailKey),
 * or null for a contact reached only by phone; `contact_id` is their contact when there is one.
 * Only the SHA-256 of the link's secret is kept; `used_at` is set by the statement that checks it.
 */
export const participantLinks = sqliteTable(
  "participant_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    email: text("email"),
    contactId: text("contact_id"),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
  },
  (t) => [index("participant_links_expires").on(t.expiresAt)],
);

/** A person's page opened by a link: the cookie (path /p) holds a secret, D1 its SHA-256, for an hour. */
export const participantSessions = sqliteTable(
  "participant_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    email: text("email"),
    contactId: text("contact_id"),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("participant_sessions_expires").on(t.expiresAt)],
);

// ─── discount codes ──────────────────────────────────────────────────────────────────────────

/**
 * The org's catalogue of discount codes (worker/discounts/). A code is unique per org in its
 * normalised form (upper case); either `percentOff` or `amountOff` + `currency` is set. Archived
 * (`active` false) rather than deleted once used, so registrations keep naming it.
 */
export const discountCodes = sqliteTable(
  "discount_codes",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id),
    code: text("code").notNull(),
    percentOff: integer("percent_off"),
    /** Minor units of `currency`. */
    amountOff: integer("amount_off"),
    currency: text("currency"),
    validFrom: text("valid_from"),
    validUntil: text("valid_until"),
    /** Unset: no limit. Counted by the rows of discount_redemptions. */
    maxUses: integer("max_uses"),
    /** JSON arrays; both empty: the code applies to every session of the org. */
    sessionIds: text("session_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
    programIds: text("program_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("discount_codes_org_code").on(t.orgId, t.code)],
);

/**
 * One use of a discount code: a registration that took it (payments redeem it when checkout is
 * created, release it when the hold ends unpaid). Inserted only while fewer than `maxUses` rows
 * exist, in one statement (worker/discounts/redemptions.ts).
 */
export const discountRedemptions = sqliteTable(
  "discount_redemptions",
  {
    discountId: text("discount_id")
      .notNull()
      .references(() => discountCodes.id),
    registrationId: text("registration_id").notNull(),
    orgId: text("org_id").notNull(),
    redeemedAt: text("redeemed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.discountId, t.registrationId] }),
    index("discount_redemptions_registration").on(t.registrationId),
    // The cron's sweep of uses whose registration never came reads one window of claim times.
    index("discount_redemptions_redeemed").on(t.redeemedAt),
  ],
);

/**
 * An org's outgoing webhook endpoints (worker/webhooks/). The signing secret is kept sealed
 * (AES-GCM under a key derived from ROLLCALL_SIGNING_SECRET, webhooks/secrets.ts): it must be
 * readable to sign, so it cannot be a hash. After a rotation the previous secret also signs until
 * `previousSecretExpiresAt` (24 hours), so receivers can switch over.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** JSON array of subscribed event types (webhooks/events.ts WEBHOOK_EVENT_TYPES). */
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    secretSealed: text("secret_sealed").notNull(),
    previousSecretSealed: text("previous_secret_sealed"),
    previousSecretExpiresAt: text("previous_secret_expires_at"),
    /** Since when every delivery has failed (null: the last one succeeded); 3 days of it disables the endpoint. */
    failingSince: text("failing_since"),
    disabledAt: text("disabled_at"),
    /** Why it was disabled: "failures" (by the system, owners were emailed) or "member". */
    disabledReason: text("disabled_reason"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_org").on(t.orgId)],
);

/**
 * One event for one endpoint: unique per (endpoint, event), so an event that reaches the queue
 * twice is still delivered once. Carries the event itself, so "send again" needs nothing else.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id").notNull(),
    orgId: text("org_id").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The event as sent (JSON text: the signed body is exactly this). */
    payload: text("payload").notNull(),
    /** pending (tried again later), succeeded, failed (given up after 3 days). */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** The last answer's HTTP status (null: no answer: timeout or network error). */
    responseStatus: integer("response_status"),
    latencyMs: integer("latency_ms"),
    /** The first 500 characters of the last answer's body, or of the error. */
    responseExcerpt: text("response_excerpt"),
    lastAttemptAt: text("last_attempt_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event").on(t.endpointId, t.eventId),
    index("webhook_deliveries_endpoint").on(t.endpointId, t.createdAt),
  ],
);

/**
 * Who hosts a session: one of the org's members (a `host`, or any member an admin names). Kept in
 * D1 beside the members it points at, not in the ledger: it decides who may see and run the
 * session, not who holds a seat. A session without a row has no host. (No foreign key: removing
 * the member takes them off its sessions that have not ended, see sessions/host-release.ts.)
 */
export const sessionHosts = sqliteTable(
  "session_hosts",
  {
    sessionId: text("session_id").primaryKey(),
    orgId: text("org_id").notNull(),
    memberId: text("member_id").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("session_hosts_member").on(t.orgId, t.memberId)],
);

/**
 * Webhook events decided outside a session's ledger (contact.created, contact.deactivated), written
 * in the same D1 batch as the change they announce, so a crash after that write loses none.
 * webhooks/outbox.ts sends them to the webhook queue and deletes what the queue took: right after
 * the request that wrote them, and from the hourly cron for anything left. `id` is the event's id.
 */
export const webhookOutbox = sqliteTable(
  "webhook_outbox",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    type: text("type").notNull(),
    /** The event's `data` (JSON text). */
    data: text("data").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("webhook_outbox_created").on(t.createdAt)],
);
