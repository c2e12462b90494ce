ALTER TABLE `orgs` ADD `slug` text;--> statement-breakpoint
CREATE UNIQUE INDEX `orgs_slug` ON `orgs` (`slug`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `listed` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `tags` text DEFAULT '[]' NOT NULL;