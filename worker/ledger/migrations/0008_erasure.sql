ALTER TABLE `invitations` ADD `erased_at` text;--> statement-breakpoint
ALTER TABLE `registrations` ADD `erased_at` text;