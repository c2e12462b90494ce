ALTER TABLE `session` ADD `location` text;--> statement-breakpoint
ALTER TABLE `session` ADD `online_url` text;--> statement-breakpoint
ALTER TABLE `session` ADD `calendar_sequence` integer DEFAULT 0 NOT NULL;