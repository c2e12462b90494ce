CREATE TABLE `contact_tags` (
	`org_id` text NOT NULL,
	`tag` text NOT NULL,
	`contact_id` text NOT NULL,
	PRIMARY KEY(`org_id`, `tag`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `contact_tags_contact` ON `contact_tags` (`contact_id`);--> statement-breakpoint
DROP INDEX `contacts_org_name`;--> statement-breakpoint
CREATE INDEX `contacts_org_list` ON `contacts` (`org_id`,`erased_at`,`last_name`,`first_name`,`id`,`type`,`status`,`search`);--> statement-breakpoint
CREATE INDEX `contacts_org_filter` ON `contacts` (`org_id`,`erased_at`,`type`,`status`,`search`);--> statement-breakpoint
CREATE INDEX `contacts_lookup` ON `contacts` (`id`,`org_id`,`erased_at`,`type`,`status`,`last_name`,`first_name`);