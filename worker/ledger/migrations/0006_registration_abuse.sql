CREATE TABLE `code_failures` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`window_started_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `registrations` ADD `client_key` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `confirm_expires_at` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `confirm_token_hash` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `confirm_code_hash` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `confirm_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `registrations` ADD `email_confirmed_at` text;--> statement-breakpoint
CREATE INDEX `registrations_client` ON `registrations` (`client_key`,`status`) WHERE client_key is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `registrations_confirm_token` ON `registrations` (`confirm_token_hash`) WHERE confirm_token_hash is not null;--> statement-breakpoint
CREATE INDEX `registrations_unconfirmed` ON `registrations` (`confirm_expires_at`) WHERE status = 'pending_confirmation';--> statement-breakpoint
ALTER TABLE `session` ADD `confirm_by_email` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `session` ADD `unconfirmed_count` integer DEFAULT 0 NOT NULL;