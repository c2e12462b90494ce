ALTER TABLE `members` ADD `public_name` text;--> statement-breakpoint
ALTER TABLE `members` ADD `public_slug` text;--> statement-breakpoint
CREATE UNIQUE INDEX `members_org_public_slug` ON `members` (`org_id`,`public_slug`);