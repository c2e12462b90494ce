CREATE TABLE `invitation_channels` (
	`invitation_id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`channel` text NOT NULL,
	`fallback` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `invitation_channels_session` ON `invitation_channels` (`session_id`);--> statement-breakpoint
ALTER TABLE `sms_log` ADD `email` text;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_sms_opt_outs` (
	`phone_hash` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
DROP TABLE `sms_opt_outs`;--> statement-breakpoint
ALTER TABLE `__new_sms_opt_outs` RENAME TO `sms_opt_outs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;