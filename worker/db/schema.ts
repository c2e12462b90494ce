// D1: organisation-level data, and the read-optimised projection of every session's ledger.
// The ledgers are the source of truth for sessions, registrations and invitations; the
// projection tables here exist for listing and searching across sessions.

import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const orgs = sqliteTable("orgs", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** JSON: sender name, reply-to, embed origins, invitation link template, default locale. */
  settings: text("settings", { mode: "json" }).$type<OrgSettings>().notNull().default({}),
  createdAt: text("created_at").notNull(),
});

export type OrgSettings = {
  senderName?: string;
  replyTo?: string;
  embedOrigins?: string[];
  invitationLinkTemplate?: string;
  defaultLocale?: "en" | "fr";
};

export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    email: text("email").notNull(),
    role: text("role", { enum: ["owner", "admin"] }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("members_org_email").on(t.orgId, t.email), index("members_email").on(t.email)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key, hex. The key itself is never stored. */
    hash: text("hash").notNull(),
    label: text("label").notNull(),
    createdAt: text("created_at").notNull(),
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash), index("api_keys_org").on(t.orgId)],
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
  },
  (t) => [index("registrations_session").on(t.sessionId), index("registrations_org_email").on(t.orgId, t.email)],
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
  },
  (t) => [index("invitations_session").on(t.sessionId), index("invitations_org_email").on(t.orgId, t.email)],
);
