CREATE TABLE `code_failures` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`window_started_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `registrations` ADD `client_key` text;--> statement-breakpoint
CREATE INDEX `registrations_client` ON `registrations` (`client_key`,`status`) WHERE client_key is not null;