ALTER TABLE `session` ADD `decision_at` text;--> statement-breakpoint
ALTER TABLE `session` ADD `below_minimum` text DEFAULT 'cancel' NOT NULL;--> statement-breakpoint
ALTER TABLE `session` ADD `minimum_decision` text;--> statement-breakpoint
ALTER TABLE `session` ADD `minimum_asked_at` text;--> statement-breakpoint
ALTER TABLE `session` ADD `minimum_decided_at` text;--> statement-breakpoint
ALTER TABLE `session` ADD `minimum_decided_by` text;