CREATE TABLE `invitation_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`invitation_id` text NOT NULL,
	`at` text NOT NULL,
	`event` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `invitation_events_invitation` ON `invitation_events` (`invitation_id`,`id`);--> statement-breakpoint
ALTER TABLE `invitations` ADD `reopened_at` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `manage_link_sent_at` text;