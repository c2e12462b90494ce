CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`email` text,
	`email_key` text,
	`first_name` text,
	`last_name` text,
	`phone` text,
	`channel` text NOT NULL,
	`locale` text,
	`type` text NOT NULL,
	`tags` text NOT NULL,
	`external_id` text,
	`notes` text,
	`deactivate_at` text,
	`status` text NOT NULL,
	`search` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`erased_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_org_email` ON `contacts` (`org_id`,`email_key`);--> statement-breakpoint
CREATE INDEX `contacts_org_name` ON `contacts` (`org_id`,`last_name`,`first_name`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_org_external` ON `contacts` (`org_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `contacts_deactivate` ON `contacts` (`status`,`deactivate_at`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`group_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`org_id` text NOT NULL,
	`added_at` text NOT NULL,
	PRIMARY KEY(`group_id`, `contact_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_members_contact` ON `group_members` (`contact_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_org_name` ON `groups` (`org_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `program_groups` (
	`program_id` text NOT NULL,
	`group_id` text NOT NULL,
	`org_id` text NOT NULL,
	`assigned_at` text NOT NULL,
	PRIMARY KEY(`program_id`, `group_id`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `program_groups_group` ON `program_groups` (`group_id`);--> statement-breakpoint
CREATE TABLE `program_sessions` (
	`session_id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`org_id` text NOT NULL,
	`added_at` text NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `program_sessions_program` ON `program_sessions` (`program_id`);--> statement-breakpoint
CREATE TABLE `programs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text,
	`time_zone` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `programs_org` ON `programs` (`org_id`,`starts_on`);