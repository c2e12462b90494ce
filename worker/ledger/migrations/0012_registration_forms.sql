CREATE TABLE `form_versions` (
	`version` integer PRIMARY KEY NOT NULL,
	`fields` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `registrations` ADD `form_version` integer;--> statement-breakpoint
ALTER TABLE `session` ADD `form` text;--> statement-breakpoint
ALTER TABLE `session` ADD `form_version` integer;