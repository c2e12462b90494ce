ALTER TABLE `session` ADD `listed` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `session` ADD `tags` text DEFAULT '[]' NOT NULL;