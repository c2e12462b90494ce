CREATE TABLE `session_hosts` (
	`session_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`member_id` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `session_hosts_member` ON `session_hosts` (`org_id`,`member_id`);--> statement-breakpoint
ALTER TABLE `admin_sessions` ADD `view_as_member_id` text;