ALTER TABLE `invitations` ADD `code_failures` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `invitations` ADD `codes_sent_at` text DEFAULT '[]' NOT NULL;