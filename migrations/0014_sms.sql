CREATE TABLE `sms_log` (
	`message_id` text PRIMARY KEY NOT NULL,
	`transport` text NOT NULL,
	`to` text NOT NULL,
	`template` text NOT NULL,
	`body` text NOT NULL,
	`segments` integer NOT NULL,
	`invitation_id` text,
	`session_id` text,
	`sid` text,
	`status` text NOT NULL,
	`status_at` text NOT NULL,
	`intent_at` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sms_log_sid` ON `sms_log` (`sid`);--> statement-breakpoint
CREATE INDEX `sms_log_created` ON `sms_log` (`created_at`);--> statement-breakpoint
CREATE TABLE `sms_opt_outs` (
	`phone` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `dev_mail` ADD `channel` text DEFAULT 'email' NOT NULL;--> statement-breakpoint
ALTER TABLE `dev_mail` ADD `segments` integer;--> statement-breakpoint
CREATE INDEX `contacts_phone` ON `contacts` (`phone`);