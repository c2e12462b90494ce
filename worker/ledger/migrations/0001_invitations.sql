CREATE TABLE `invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`email_key` text NOT NULL,
	`name` text,
	`hold_seat` integer NOT NULL,
	`discount_code` text,
	`status` text NOT NULL,
	`send_at` text,
	`sent_at` text,
	`send_count` integer NOT NULL,
	`expires_at` text,
	`expires_in_days` integer,
	`subject` text,
	`button_text` text,
	`message` text,
	`locale` text NOT NULL,
	`require_email_match` integer NOT NULL,
	`raised_capacity` integer NOT NULL,
	`link_template` text,
	`token_salt` text NOT NULL,
	`token_hash` text NOT NULL,
	`delivery` text,
	`delivery_at` text,
	`registration_id` text,
	`code_hash` text,
	`code_expires_at` text,
	`code_attempts` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`closed_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_token` ON `invitations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invitations_email` ON `invitations` (`email_key`);--> statement-breakpoint
CREATE INDEX `invitations_status` ON `invitations` (`status`);