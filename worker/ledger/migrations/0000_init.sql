CREATE TABLE `capacity_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`from_capacity` integer NOT NULL,
	`to_capacity` integer NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `idempotency` (
	`key` text PRIMARY KEY NOT NULL,
	`request_hash` text NOT NULL,
	`response` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `projection_outbox` (
	`kind` text NOT NULL,
	`entity_id` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`kind`, `entity_id`)
);
--> statement-breakpoint
CREATE TABLE `registrations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`email_key` text NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`invitation_id` text,
	`answers` text,
	`discount_code` text,
	`locale` text NOT NULL,
	`manage_token_hash` text NOT NULL,
	`waitlist_seq` integer,
	`created_at` text NOT NULL,
	`promoted_at` text,
	`cancelled_at` text,
	`cancelled_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registrations_live_email` ON `registrations` (`email_key`) WHERE status != 'cancelled';--> statement-breakpoint
CREATE INDEX `registrations_waitlist` ON `registrations` (`status`,`waitlist_seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `registrations_manage` ON `registrations` (`manage_token_hash`);--> statement-breakpoint
CREATE TABLE `session` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`starts_at` text NOT NULL,
	`time_zone` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`min_participants` integer NOT NULL,
	`capacity` integer NOT NULL,
	`host_counts` integer NOT NULL,
	`registration_opens_at` text,
	`registration_closes_at` text,
	`registration_code` text,
	`waitlist` integer NOT NULL,
	`status` text NOT NULL,
	`base_url` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`cancelled_at` text
);
