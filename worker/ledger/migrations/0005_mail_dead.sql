CREATE TABLE `mail_dead` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`message` text NOT NULL,
	`reason` text NOT NULL,
	`failed_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_dead_message_id_unique` ON `mail_dead` (`message_id`);