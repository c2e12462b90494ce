CREATE TABLE `dev_mail` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`template` text NOT NULL,
	`from` text NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`attachments` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dev_mail_created` ON `dev_mail` (`created_at`);--> statement-breakpoint
CREATE TABLE `mail_log` (
	`message_id` text PRIMARY KEY NOT NULL,
	`provider_id` text,
	`transport` text NOT NULL,
	`to` text NOT NULL,
	`template` text NOT NULL,
	`subject` text,
	`invitation_id` text,
	`session_id` text,
	`status` text NOT NULL,
	`status_at` text NOT NULL,
	`idempotency_key` text,
	`attempts` integer DEFAULT 1 NOT NULL,
	`error` text,
	`created_at` text NOT NULL,
	`sent_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_log_provider` ON `mail_log` (`provider_id`);--> statement-breakpoint
CREATE INDEX `mail_log_invitation` ON `mail_log` (`invitation_id`);--> statement-breakpoint
CREATE INDEX `mail_log_session` ON `mail_log` (`session_id`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_events_received` ON `webhook_events` (`received_at`);