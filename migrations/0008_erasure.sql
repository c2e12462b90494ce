ALTER TABLE `invitations` ADD `erased_at` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `erased_at` text;--> statement-breakpoint
CREATE INDEX `mail_log_created` ON `mail_log` (`created_at`);