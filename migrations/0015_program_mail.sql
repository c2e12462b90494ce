CREATE TABLE `program_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`program_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`mail_id` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `program_links_contact` ON `program_links` (`program_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `program_mail_pairs` (
	`session_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`mail_id` text NOT NULL,
	`program_id` text NOT NULL,
	PRIMARY KEY(`session_id`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `program_mail_pairs_mail` ON `program_mail_pairs` (`mail_id`);--> statement-breakpoint
CREATE TABLE `program_mails` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`program_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`queued_at` text,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `program_mails_contact` ON `program_mails` (`program_id`,`contact_id`);--> statement-breakpoint
CREATE INDEX `program_mails_status` ON `program_mails` (`status`,`created_at`);